package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"hark"
	"hark/db/dbtest"
	"hark/internal/sharedtest"
	"hark/jobs"
	"hark/search/searchtest"
)

// TestBackupRestore is the restore the README's backup section promises: a database of its
// own on the test server, migrated and filled, is dumped with pg_dump (custom format), dropped,
// made again and restored with pg_restore; the restored database passes serve's migration check,
// holds the same rows, and the search index rebuilt from it (as after losing Typesense too)
// answers a search as before the dump.
func TestBackupRestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dump, restore := pgTool(t, "pg_dump"), pgTool(t, "pg_restore")
	admin, dbURL := newDatabase(t)
	tsURL, tsKey := searchtest.Env(t)
	cfg := Config{DatabaseURL: dbURL, TypesenseURLs: []string{tsURL}, TypesenseAPIKey: tsKey,
		TypesensePrefix: fmt.Sprintf("bk%d_", time.Now().UnixNano()), BaseURL: "http://hark.test", CrawlWorkers: 1}
	logger := slog.New(slog.DiscardHandler)
	if err := Migrate(ctx, cfg, logger); err != nil {
		t.Fatal(err)
	}

	before, counts := fillAndSearch(t, cfg, logger)
	file := filepath.Join(t.TempDir(), "hark.dump")
	run(t, dump, "--format=custom", "--file="+file, "--dbname="+dbURL)
	name := databaseName(t, dbURL)
	if _, err := admin.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	run(t, restore, "--exit-on-error", "--no-owner", "--dbname="+dbURL, file)

	cfg.TypesensePrefix = fmt.Sprintf("rs%d_", time.Now().UnixNano()) // the index is gone too
	after, restoredCounts := fillAndSearch(t, cfg, logger)
	if diff := cmp.Diff(counts, restoredCounts); diff != "" {
		t.Errorf("rows after the restore (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("search after the restore (-before +after):\n%s", diff)
	}
}

// fillAndSearch opens Hark on cfg's database; stores the shows a backup should keep when the
// database has none (and an error group), rebuilds the search index from Postgres, and returns
// what a search finds and the rows of the tables it filled.
func fillAndSearch(t *testing.T, cfg Config, logger *slog.Logger) (hits []string, counts map[string]int) {
	t.Helper()
	ctx := context.Background()
	a, err := New(ctx, cfg, logger, Opts{Migrated: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	t.Cleanup(func() { _ = searchtest.DropAll(context.Background(), a.Index) })
	if n, err := a.Store.CountPodcasts(ctx); err != nil {
		t.Fatal(err)
	} else if n == 0 {
		storeTideTables(t, a)
		storeShow(t, a, "harbour", &hark.Feed{
			Podcast: hark.Podcast{Title: "Harbour Tides", Language: "en"},
			Episodes: []hark.Episode{
				{GUID: "a", Title: "Neap tides and the moon", AudioURL: "https://example.com/a.mp3", PublishedAt: time.Now()},
				{GUID: "b", Title: "Harbour walls", AudioURL: "https://example.com/b.mp3", PublishedAt: time.Now()},
			},
		})
		if _, _, err := a.Store.RecordError(ctx, "fp", hark.ErrorEvent{Kind: hark.ErrorHTTP5xx, Message: "kept", At: time.Now()}, "r", time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.EnsureIndex(ctx, false); err != nil {
		t.Fatal(err)
	}
	if _, err := jobs.Reindex(ctx, a.Store, a.Index, a.Client, logger, jobs.ReindexOpts{}); err != nil {
		t.Fatal(err)
	}
	res, err := a.Index.Search(ctx, hark.SearchQuery{Q: "tides"})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		hits = append(hits, h.Episode.ID+" "+h.Episode.Title)
	}
	if len(hits) < 2 {
		t.Fatalf("search for tides found %q; want the stored episodes", hits)
	}
	counts = map[string]int{}
	for _, table := range []string{"podcasts", "episodes", "error_groups", "error_events", "goose_db_version", "river_migration"} {
		var n int
		if err := a.Pool.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		counts[table] = n
	}
	return hits, counts
}

// newDatabase creates a database of the test's own on the test server (never one of the shared
// ones), dropped when the test ends. It returns a pool on the server's maintenance database and
// the new database's URL.
func newDatabase(t *testing.T) (*pgxpool.Pool, string) {
	t.Helper()
	ctx := context.Background()
	admin, err := pgxpool.New(ctx, dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(admin.Close)
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "hark_restore_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(dbtest.URL(t))
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("TEST_DATABASE_URL is not a postgres:// URL (%v): the restore test names its own database in one", err)
	}
	u.Path = "/" + name
	return admin, u.String()
}

// databaseName is the database a URL names, checked to be one this test made.
func databaseName(t *testing.T, url string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(url)
	if err != nil || !strings.HasPrefix(cfg.Database, "hark_restore_") {
		t.Fatalf("%q is not a test's own database (%v)", url, err)
	}
	return cfg.Database
}

// pgTool finds Debian's PostgreSQL client program name, of the newest installed version: a
// dump must be made by a pg_dump at least as new as the server.
func pgTool(t *testing.T, name string) string {
	t.Helper()
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(matches) > 0 {
		return matches[len(matches)-1]
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	sharedtest.Missing(t, "%s is not installed (Debian's postgresql-client)", name)
	return ""
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", filepath.Base(name), err, out)
	}
}
