package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertest"

	"hark"
	"hark/db"
	"hark/db/dbtest"
	"hark/jobs"
	"hark/search/searchtest"
)

// TestServeReindexesAnUpgradedIndex: started against an index built by an older Hark (here,
// collections without the languages field a language filter needs), serve's start-up adds the
// field and enqueues one rebuild, which the workers run; after it, a language filter finds the
// shows of a regional language code again. Against an up-to-date index it enqueues nothing, nor
// for a new index over an empty catalogue.
func TestServeReindexesAnUpgradedIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := newTestApp(t, Opts{Work: true, Migrated: true}, nil)
	t.Cleanup(a.Close)
	tsURL, tsKey := a.Config.TypesenseURLs[0], a.Config.TypesenseAPIKey

	// A new installation: new collections, nothing to fill them with.
	if err := a.EnsureIndex(ctx, true); err != nil {
		t.Fatal(err)
	}
	storeTideTables(t, a)
	// An up-to-date index: nothing to rebuild.
	if err := a.EnsureIndex(ctx, true); err != nil {
		t.Fatal(err)
	}
	rivertest.RequireNotInserted(ctx, t, riverpgxv5.New(a.Pool), &jobs.ReindexArgs{}, nil) // for an up-to-date index
	// The same collections as an older Hark built them.
	for _, kind := range []string{"episodes", "podcasts"} {
		dropField(t, tsURL, tsKey, a.Config.TypesensePrefix+kind, "languages")
	}
	if err := a.EnsureIndex(ctx, true); err != nil {
		t.Fatal(err)
	}
	if err := a.EnsureIndex(ctx, true); err != nil { // a restart finds the fields there
		t.Fatal(err)
	}
	// Web processes that start together may each find the fields missing: they enqueue one job.
	if res, err := a.Client.Insert(ctx, jobs.ReindexArgs{}, nil); err != nil || !res.UniqueSkippedAsDuplicate {
		t.Fatalf("a second reindex job: %+v, %v; want it skipped as a duplicate", res, err)
	}
	// One job after starting twice on an upgraded index (RequireInserted fails on two).
	rivertest.RequireInserted(ctx, t, riverpgxv5.New(a.Pool), &jobs.ReindexArgs{}, nil)
	runReindex(t, a)
	res, err := a.Index.Search(ctx, hark.SearchQuery{Q: "tides", Language: "en"})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Episode.Title != "Spring tides" {
		t.Fatalf("language=en search after the rebuild = %+v, %v; want the en-GB show's episode", res, err)
	}
}

// TestServeFillsALostIndex: when Typesense has lost its data (here, a new index prefix over a
// catalogue already stored), serve's start-up creates the collections and enqueues a reindex,
// so search finds the catalogue again without waiting for the reconcile job.
func TestServeFillsALostIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := newTestApp(t, Opts{Work: true, Migrated: true}, nil)
	t.Cleanup(a.Close)
	storeTideTables(t, a)
	if err := a.EnsureIndex(ctx, true); err != nil {
		t.Fatal(err)
	}
	rivertest.RequireInserted(ctx, t, riverpgxv5.New(a.Pool), &jobs.ReindexArgs{}, nil) // for a new index over a stored catalogue
	runReindex(t, a)
	res, err := a.Index.Search(ctx, hark.SearchQuery{Q: "spring tides"})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Episode.Title != "Spring tides" {
		t.Fatalf("search after the fill = %+v, %v; want the stored episode", res, err)
	}
}

// storeTideTables stores a crawled en-GB show with one episode, "Spring tides".
func storeTideTables(t *testing.T, a *App) {
	t.Helper()
	storeShow(t, a, "tides", &hark.Feed{
		Podcast:  hark.Podcast{Title: "Tide Tables", Language: "en-GB"},
		Episodes: []hark.Episode{{GUID: "1", Title: "Spring tides", AudioURL: "https://example.com/1.mp3", PublishedAt: time.Now()}},
	})
}

// storeShow stores feed as the crawl of a new podcast at https://example.com/<name>.xml.
func storeShow(t *testing.T, a *App, name string, feed *hark.Feed) {
	t.Helper()
	ctx := context.Background()
	p, _, err := a.Store.CreatePodcast(ctx, "https://example.com/"+name+".xml", "example.com/"+name+".xml", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.SaveCrawl(ctx, p.ID, feed, hark.CrawlState{NextCrawlAt: time.Now().Add(time.Hour)}, db.Fingerprint{}); err != nil {
		t.Fatal(err)
	}
}

// startWeb runs a's web server, without workers, until stop, which returns what Serve returned.
func startWeb(t *testing.T, a *App) (base string, stop func() error) {
	t.Helper()
	addr, stop, err := a.Start(context.Background(), true, false)
	if err != nil {
		t.Fatalf("serve: %v", err)
	}
	return "http://" + addr, stop
}

// runReindex starts a's workers until the reindex job completes.
func runReindex(t *testing.T, a *App) {
	t.Helper()
	events, unsubscribe := a.Client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer unsubscribe()
	workCtx, stop := context.WithCancel(context.Background())
	defer stop()
	if err := a.Client.Start(workCtx); err != nil {
		t.Fatal(err)
	}
	defer a.StopWorkers()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case ev := <-events:
			switch {
			case ev.Job.Kind != (jobs.ReindexArgs{}).Kind():
			case ev.Kind == river.EventKindJobCompleted:
				return
			default:
				t.Logf("reindex attempt %d failed: %v", ev.Job.Attempt, ev.Job.Errors)
			}
		case <-timeout:
			t.Fatal("reindex job not completed after 60s")
		}
	}
}

// newTestApp builds an App as `hark serve` does, on a migrated schema of the test's own and
// Typesense collections of its own (dropped when the test ends), with the web server on a free
// port, logging to logger (nil: nowhere). It returns the App and its database URL.
func newTestApp(t *testing.T, opts Opts, logger *slog.Logger) (*App, string) {
	t.Helper()
	return newTestAppWith(t, opts, logger, nil)
}

// newTestAppWith is newTestApp with the configuration changed by edit first (when not nil).
func newTestAppWith(t *testing.T, opts Opts, logger *slog.Logger, edit func(*Config)) (*App, string) {
	t.Helper()
	_, dbURL := dbtest.NewSchemaURL(t)
	tsURL, tsKey := searchtest.Env(t)
	cfg := Config{
		DatabaseURL: dbURL, TypesenseURLs: []string{tsURL}, TypesenseAPIKey: tsKey,
		TypesensePrefix: fmt.Sprintf("a%d_", time.Now().UnixNano()), HTTPAddr: "127.0.0.1:0",
		BaseURL: "http://hark.test", CrawlWorkers: 1, ScheduleInterval: time.Hour, ReconcileInterval: time.Hour,
	}
	if edit != nil {
		edit(&cfg)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	a, err := New(context.Background(), cfg, logger, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = searchtest.DropAll(context.Background(), a.Index) })
	return a, dbURL
}

// dropField removes field from the collection alias names, through Typesense's API.
func dropField(t *testing.T, tsURL, key, alias, field string) {
	t.Helper()
	var a struct {
		CollectionName string `json:"collection_name"`
	}
	if code := searchtest.Call(t, http.MethodGet, tsURL+"/aliases/"+alias, key, nil, &a); code != http.StatusOK {
		t.Fatalf("GET alias %s: %d", alias, code)
	}
	body := map[string]any{"fields": []map[string]any{{"name": field, "drop": true}}}
	if code := searchtest.Call(t, http.MethodPatch, tsURL+"/collections/"+a.CollectionName, key, body, nil); code != http.StatusOK {
		t.Fatalf("drop field %s of %s: %d", field, a.CollectionName, code)
	}
}

// TestServeMetersRequestsUpToShutdown: requests served just before serve stops are written to
// api_usage before the database pool closes; none goes unmetered.
func TestServeMetersRequestsUpToShutdown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, dbURL := newTestApp(t, Opts{Migrated: true}, nil) // closed by the test, as hark serve does
	key, _, err := a.Store.CreateAPIKey(ctx, "meter", 0)
	if err != nil {
		t.Fatal(err)
	}
	base, stop := startWeb(t, a)
	const requests = 5
	for range requests {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v2/genres", nil)
		req.Header.Set("X-ListenAPI-Key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /api/v2/genres: %d", resp.StatusCode)
		}
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	a.Close() // as `hark serve` does once Serve returns
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var n int64
	if err := pool.QueryRow(ctx, `SELECT coalesce(sum(requests), 0) FROM api_usage`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != requests {
		t.Fatalf("api_usage counts %d requests after shutdown; want %d", n, requests)
	}
}
