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
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"hark/db"
	"hark/db/dbtest"
	"hark/feed"
	"hark/jobs"
	"hark/search"
	"hark/search/searchtest"
)

// testBundle is a real Postgres schema, a real Typesense index with a prefix of its own and a
// River client working Hark's jobs, with a metrics registry of its own.
type testBundle struct {
	pool     *pgxpool.Pool
	store    *db.Store
	index    *search.Index
	client   *river.Client[pgx.Tx]
	service  *jobs.Service
	registry *prometheus.Registry
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
	registry := prometheus.NewRegistry()
	cfg := jobs.Config{
		Store: store, Index: ix, Logger: logger, Work: true, CrawlWorkers: 8, Registry: registry,
		Fetcher:          feed.NewFetcher(feed.FetcherConfig{ClientConfig: feed.ClientConfig{AllowLoopback: true, Timeout: 10 * time.Second}}),
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
	return &testBundle{pool: pool, store: store, index: ix, client: client, service: jobs.NewService(store, client), registry: registry}
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
	if err := b.waitPending(timeout, "kind <> 'schedule_crawls'"); err != nil {
		t.Fatal(err)
	}
}

// waitPending waits until no job matching the SQL condition where is left to run.
func (b *testBundle) waitPending(timeout time.Duration, where string) error {
	var n int
	var kinds string
	err := b.await(timeout, func() (bool, error) {
		err := b.pool.QueryRow(context.Background(), `SELECT count(*), coalesce(string_agg(DISTINCT kind, ', '), '') FROM river_job
			WHERE state IN ('available', 'running', 'retryable', 'pending', 'scheduled') AND `+where).Scan(&n, &kinds)
		return n == 0, err
	})
	if err != nil {
		return fmt.Errorf("%d jobs still pending (%s): %w", n, kinds, err)
	}
	return nil
}

// jobEvents are the events River sends when a job leaves the running state.
var jobEvents = []river.EventKind{
	river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled,
	river.EventKindJobSnoozed, river.EventKindJobInterrupted,
}

// await checks done at once and again each time a job finishes a run, until done reports true;
// it gives up after timeout. Jobs change state only by running, so a check after each event sees
// every change, and no change is missed between the first check and the first event because the
// subscription starts before it. River drops events a full channel cannot take, but a dropped
// event is never the only one left: the check after the last event read sees its job's change.
func (b *testBundle) await(timeout time.Duration, done func() (bool, error)) error {
	events, unsubscribe := b.client.Subscribe(jobEvents...)
	defer unsubscribe()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		ok, err := done()
		if err != nil || ok {
			return err
		}
		select {
		case <-events:
		case <-timer.C:
			return fmt.Errorf("not done after %s", timeout)
		}
	}
}
