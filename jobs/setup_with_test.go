package jobs_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"hark/db"
	"hark/db/dbtest"
	"hark/feed"
	podhttp "hark/http"
	"hark/jobs"
)

// setupWith is setup with the jobs configuration changed by modify, for features that are off
// by default (transcripts, WebSub).
func setupWith(t *testing.T, modify func(cfg *jobs.Config)) *testBundle {
	t.Helper()
	pool := dbtest.NewSchema(t)
	store := db.New(pool)
	index := newIndex(t)
	cfg := jobs.Config{
		Store: store, Index: index, Logger: slog.New(slog.DiscardHandler), Work: true, CrawlWorkers: 4,
		Fetcher:          feed.NewFetcher(feed.FetcherConfig{AllowLoopback: true, Timeout: 10 * time.Second}),
		ScheduleInterval: time.Hour, // tests enqueue crawls themselves
	}
	modify(&cfg)
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
	return &testBundle{pool: pool, store: store, index: index, client: client, service: jobs.NewService(store, client)}
}

// setupWithServer is setup with Hark's HTTP server on a loopback port and jobs.Config.BaseURL
// pointing at it, so that WebSub hubs can call back. It returns the server's URL.
func setupWithServer(t *testing.T) (*testBundle, string) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	baseURL := "http://" + srv.Listener.Addr().String()
	b := setupWith(t, func(cfg *jobs.Config) { cfg.BaseURL = baseURL })
	srv.Config.Handler = podhttp.NewServer(podhttp.Config{BaseURL: baseURL, Registry: prometheus.NewRegistry()},
		b.store, b.index, b.service, slog.New(slog.DiscardHandler))
	srv.Start()
	t.Cleanup(srv.Close)
	return b, baseURL
}
