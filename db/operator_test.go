package db_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"hark"
	"hark/db"
	"hark/db/dbtest"
	"hark/migrations"
)

// TestOperatorAccounts: the password is kept as an argon2id PHC string; only the right password
// opens a session, whose token finds the operator until it ends.
func TestOperatorAccounts(t *testing.T) {
	t.Parallel()
	store, tx := dbtest.TestStore(t)
	ctx := context.Background()
	if _, err := store.CreateOperator(ctx, "ada", "short"); !errors.Is(err, hark.ErrInvalid) {
		t.Errorf("a short password: %v, want ErrInvalid", err)
	}
	if _, err := store.CreateOperator(ctx, "Ada Lovelace", "long enough password"); !errors.Is(err, hark.ErrInvalid) {
		t.Errorf("a bad name: %v, want ErrInvalid", err)
	}
	if _, err := store.CreateOperator(ctx, "ada", "long enough password"); err != nil {
		t.Fatal(err)
	}
	var hash string
	if err := tx.QueryRow(ctx, `SELECT password_hash FROM operators WHERE name = 'ada'`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(hash, "long enough") {
		t.Errorf("stored hash %q", hash)
	}
	for _, c := range [][2]string{{"ada", "long enough passworD"}, {"bob", "long enough password"}} {
		if _, _, err := store.SignInOperator(ctx, c[0], c[1]); !errors.Is(err, hark.ErrUnauthorized) {
			t.Errorf("sign in %s with a wrong password: %v, want ErrUnauthorized", c[0], err)
		}
	}
	token, _, err := store.SignInOperator(ctx, "ada", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if o, err := store.FindOperatorSession(ctx, token); err != nil || o.Name != "ada" {
		t.Fatalf("session: %+v, %v", o, err)
	}
	if err := store.EndOperatorSession(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, err := store.FindOperatorSession(ctx, token); !errors.Is(err, hark.ErrUnauthorized) {
		t.Errorf("ended session: %v, want ErrUnauthorized", err)
	}
	if err := store.DeleteOperator(ctx, "ada"); err != nil {
		t.Fatal(err)
	}
	if exists, err := store.HasOperators(ctx); err != nil || exists {
		t.Errorf("after removal: operators exist %v (%v)", exists, err)
	}
	if _, err := store.CreateOperator(ctx, "ada", "long enough password"); err != nil {
		t.Fatal(err)
	}
	// Last: the refused insert aborts the test's transaction.
	if _, err := store.CreateOperator(ctx, "ada", "another long password"); !errors.Is(err, hark.ErrConflict) {
		t.Errorf("a taken name: %v, want ErrConflict", err)
	}
}

// TestFailingSince: a feed's run of failures keeps the time it began until a crawl succeeds.
func TestFailingSince(t *testing.T) {
	t.Parallel()
	store, tx := dbtest.TestStore(t)
	ctx := context.Background()
	p, _, err := store.CreatePodcast(ctx, "https://feeds.example.com/f.xml", "feeds.example.com/f.xml", "")
	if err != nil {
		t.Fatal(err)
	}
	first := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, st := range []hark.CrawlState{
		{LastCrawledAt: first, ConsecutiveFailures: 1, LastError: "500"},
		{LastCrawledAt: first.Add(time.Hour), ConsecutiveFailures: 2, LastError: "500"},
	} {
		if err := store.SaveCrawlState(ctx, p.ID, st); err != nil {
			t.Fatal(err)
		}
		feeds, err := store.FindFailingFeeds(ctx, false, 10)
		if err != nil || len(feeds) != 1 || !feeds[0].FailingSince.Equal(first) {
			t.Errorf("after failure %d: %+v (%v), want failing since %v", i+1, feeds, err, first)
		}
	}
	if err := store.SaveCrawlState(ctx, p.ID, hark.CrawlState{LastCrawledAt: first.Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	var since *time.Time
	if err := tx.QueryRow(ctx, `SELECT failing_since FROM podcasts WHERE id = $1`, p.ID).Scan(&since); err != nil || since != nil {
		t.Errorf("after a success: failing_since %v (%v), want NULL", since, err)
	}
}

// TestTally: counts made in memory reach ops_counts, added to the hour's row.
func TestTally(t *testing.T) {
	t.Parallel()
	store, _ := dbtest.TestStore(t)
	ctx := context.Background()
	tally := db.NewTally(store, slog.New(slog.DiscardHandler))
	for range 2 {
		tally.Add(db.MetricCrawls, "failed", 3)
		tally.Add(db.MetricCrawls, "changed", 1)
		if err := tally.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := store.FindOpsCounts(ctx, db.MetricCrawls, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, r := range rows {
		got[r.Label] += r.N
	}
	if got["failed"] != 6 || got["changed"] != 2 || len(rows) != 2 {
		t.Errorf("ops_counts rows %+v, want failed 6 and changed 2 in one hour", rows)
	}
	var nilTally *db.Tally
	nilTally.Add(db.MetricCrawls, "failed", 1) // counts nothing, and does not panic
}

// TestOpsMigrationDownUp: the operators migration (whatever its number) goes down, with every
// later one, and up again on a migrated schema, and its views answer.
func TestOpsMigrationDownUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewSchema(t)
	sqlDB := stdlib.OpenDBFromPool(pool)
	t.Cleanup(func() { sqlDB.Close() })
	provider, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	var version int64
	for _, src := range provider.ListSources() {
		if strings.HasSuffix(src.Path, "_operators_admin.sql") {
			version = src.Version
		}
	}
	if version == 0 {
		t.Fatal("no *_operators_admin.sql migration")
	}
	if _, err := provider.DownTo(ctx, version-1); err != nil {
		t.Fatalf("down: %v", err)
	}
	if _, err := provider.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	for _, view := range []string{"ops_crawl_health", "ops_failing_feeds", "ops_queue", "ops_api_usage_daily", "ops_hourly", "ops_deletion_requests"} {
		if _, err := pool.Exec(ctx, `SELECT * FROM `+view+` LIMIT 1`); err != nil {
			t.Errorf("view %s: %v", view, err)
		}
	}
}
