package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"hark"
	"hark/db"
	"hark/feed"
	"hark/jobs"
	"hark/search"
)

// app holds the parts every command wires the same way.
type app struct {
	cfg     Config
	logger  *slog.Logger
	pool    *pgxpool.Pool
	store   *db.Store
	index   *search.Index
	client  *river.Client[pgx.Tx]
	service *jobs.Service
}

type appOpts struct {
	work     bool // run River workers in this process
	migrated bool // refuse an unmigrated database
}

func openApp(ctx context.Context, cfg Config, logger *slog.Logger, opts appOpts) (*app, error) {
	pool, err := db.Open(ctx, cfg.DatabaseURL, int32(max(cfg.CrawlWorkers+16, 24)))
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, logger: logger, pool: pool, store: db.New(pool)}
	if opts.migrated {
		if err := db.CheckMigrated(ctx, pool); err != nil {
			pool.Close()
			return nil, err
		}
	}
	a.index, err = search.New(search.Config{Nodes: cfg.TypesenseURLs, APIKey: cfg.TypesenseAPIKey, Prefix: cfg.TypesensePrefix}, logger)
	if err != nil {
		pool.Close()
		return nil, err
	}
	fetcher := feed.NewFetcher(feed.FetcherConfig{
		UserAgent: cfg.CrawlUserAgent, MaxBodyBytes: cfg.CrawlMaxBody, Timeout: cfg.CrawlTimeout,
		AllowLoopback: cfg.CrawlAllowLocal,
	})
	a.client, err = jobs.NewClient(pool, jobs.Config{
		Store: a.store, Fetcher: fetcher, Index: a.index, Logger: logger,
		CrawlWorkers: cfg.CrawlWorkers, ScheduleInterval: cfg.ScheduleInterval, ReconcileInterval: cfg.ReconcileEvery, Work: opts.work,
		BaseURL: cfg.BaseURL, Transcripts: true,
	})
	if err != nil {
		pool.Close()
		return nil, err
	}
	a.service = jobs.NewService(a.store, a.client)
	return a, nil
}

func (a *app) close() { a.pool.Close() }

// ensureIndexWait is how long start-up waits for a Typesense that is up but not ready yet: one
// that has just restarted answers 503 "Not Ready or Lagging" while it catches up on its log.
const ensureIndexWait = time.Minute

// ensureIndex creates the search collections when they are missing and adds the fields a newer
// Hark filters on to older ones. With reindex, it then enqueues a rebuild (jobs.ReindexArgs) to
// fill those fields in every document; the workers run it while search keeps answering.
func (a *app) ensureIndex(ctx context.Context, reindex bool) error {
	deadline := time.Now().Add(ensureIndexWait)
	for wait := 200 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
		fill, err := a.index.EnsureCollections(ctx)
		if err == nil {
			if !fill || !reindex {
				return nil
			}
			return a.fillIndex(ctx)
		}
		if !errors.Is(err, hark.ErrUnavailable) || time.Now().After(deadline) {
			return fmt.Errorf("prepare search index at %v: %w", a.cfg.TypesenseURLs, err)
		}
		a.logger.WarnContext(ctx, "Search index not ready; retrying", slog.Any("error", err), slog.Duration("in", wait))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// fillIndex enqueues one reindex job when the catalogue has podcasts: for an index that
// EnsureCollections had to create (Typesense lost its data) or give new fields.
func (a *app) fillIndex(ctx context.Context) error {
	n, err := a.store.CountPodcasts(ctx)
	if err != nil {
		return fmt.Errorf("count podcasts for the search index: %w", err)
	}
	if n == 0 {
		return nil // a new installation: the crawls index what they store
	}
	if _, err := a.client.Insert(ctx, jobs.ReindexArgs{}, nil); err != nil {
		return fmt.Errorf("enqueue the reindex the search index needs: %w", err)
	}
	a.logger.WarnContext(ctx, "Search index is new or built by an older Hark: reindex enqueued to fill it from Postgres", slog.Int("podcasts", n))
	return nil
}

func runMigrate(ctx context.Context, cfg Config, logger *slog.Logger) error {
	pool, err := db.Open(ctx, cfg.DatabaseURL, 4)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := db.Migrate(ctx, pool, logger); err != nil {
		return err
	}
	logger.InfoContext(ctx, "Database migrated")
	return nil
}
