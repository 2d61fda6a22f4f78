package jobs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"hark/db"
	"hark/db/dbtest"
	"hark/feed"
	"hark/jobs"
	"hark/search"
	"hark/search/searchtest"
)

// testBundle is a real Postgres schema, a real Typesense index with a prefix of its own and a
// River client working Hark's jobs.
type testBundle struct {
	pool    *pgxpool.Pool
	store   *db.Store
	index   *search.Index
	client  *river.Client[pgx.Tx]
	service *jobs.Service
}

func setup(t *testing.T) *testBundle { return setupWithIndex(t, newIndex(t)) }

// setupWith is setup with the jobs configuration changed by modify, for features that are off
// by default (transcripts, WebSub).
func setupWith(t *testing.T, modify func(cfg *jobs.Config)) *testBundle {
	return setupWithIndex(t, newIndex(t), modify)
}

// setupWithIndex is setup with an index of the test's own; opts may change the client's Config.
func setupWithIndex(t *testing.T, ix *search.Index, opts ...func(*jobs.Config)) *testBundle {
	t.Helper()
	pool := dbtest.NewSchema(t)
	store := db.New(pool)
	logger := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	cfg := jobs.Config{
		Store: store, Index: ix, Logger: logger, Work: true, CrawlWorkers: 8,
		Fetcher:          feed.NewFetcher(feed.FetcherConfig{AllowLoopback: true, Timeout: 10 * time.Second}),
		ScheduleInterval: time.Hour, // tests enqueue crawls themselves
	}
	for _, o := range opts {
		o(&cfg)
	}
	client, err := jobs.NewClient(pool, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, stop := context.WithTimeout(context.Background(), 10*time.Second)
		defer stop()
		_ = client.Stop(stopCtx)
		cancel()
	})
	return &testBundle{pool: pool, store: store, index: ix, client: client, service: jobs.NewService(store, client)}
}

// newIndex returns a search index on the test Typesense with a prefix of its own.
func newIndex(t *testing.T) *search.Index {
	t.Helper()
	url, key := searchtest.Env(t)
	ix, err := search.New(search.Config{Nodes: []string{url}, APIKey: key, Prefix: fmt.Sprintf("t%d_", time.Now().UnixNano())}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := ix.EnsureCollections(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = searchtest.DropAll(context.Background(), ix) })
	return ix
}

// waitIdle waits until River has no job left to run (periodic jobs aside).
func (b *testBundle) waitIdle(t *testing.T, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var n int
		err := b.pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job
			WHERE state IN ('available', 'running', 'retryable', 'pending', 'scheduled')
			  AND kind <> 'schedule_crawls'`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d jobs still pending after %s", n, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
