package jobs_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertest"

	"hark/db"
	"hark/db/dbtest"
	"hark/feed"
	"hark/jobs"
)

// txBundle works Hark's jobs one at a time with rivertest.Worker inside a test transaction, for
// tests that need no commit, no running River client and no search index: they share the
// package's one schema instead of migrating one each.
type txBundle struct {
	tx       pgx.Tx
	store    *db.Store
	service  *jobs.Service // its client only inserts, into tx
	registry *prometheus.Registry
	crawl    *rivertest.Worker[jobs.CrawlFeedArgs, pgx.Tx]
}

func setupTx(t *testing.T) *txBundle {
	t.Helper()
	store, tx := dbtest.TestStore(t)
	registry := prometheus.NewRegistry()
	cfg := jobs.Config{
		Store: store, Logger: slog.New(slog.DiscardHandler), Registry: registry,
		Fetcher: feed.NewFetcher(feed.FetcherConfig{ClientConfig: feed.ClientConfig{AllowLoopback: true, Timeout: 10 * time.Second}}),
	}
	// A driver without a pool: every insert and job runs in tx, as rivertest recommends.
	client, err := jobs.NewClient(nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &txBundle{
		tx: tx, store: store, service: jobs.NewService(store, client), registry: registry,
		crawl: rivertest.NewWorker(t, riverpgxv5.New(nil), &river.Config{}, jobs.NewCrawlFeedWorker(cfg)),
	}
}

// crawlSubmitted works the one crawl_feed job in the transaction, which SubmitFeed enqueued.
func (b *txBundle) crawlSubmitted(t *testing.T) *rivertest.WorkResult {
	t.Helper()
	ctx := context.Background()
	job := rivertest.RequireInsertedTx[*riverpgxv5.Driver](ctx, t, b.tx, &jobs.CrawlFeedArgs{}, nil)
	res, err := b.crawl.WorkJob(ctx, t, b.tx, job.JobRow)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// recrawl works a new crawl_feed job for the podcast, as RefreshPodcast would enqueue.
func (b *txBundle) recrawl(t *testing.T, podcastID string) *rivertest.WorkResult {
	t.Helper()
	res, err := b.crawl.Work(context.Background(), t, b.tx, jobs.CrawlFeedArgs{PodcastID: podcastID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
