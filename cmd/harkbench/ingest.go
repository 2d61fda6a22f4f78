package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"hark/demo"
	"hark/jobs"
	"hark/search"
)

// workers starts a River client working Hark's jobs on the bench schema. index nil leaves index
// jobs waiting (the crawl section measures crawling alone).
func (e *env) workers(ctx context.Context, index *search.Index, crawlWorkers int) (*river.Client[pgx.Tx], func(), error) {
	return e.startWorkers(ctx, e.pool, e.jobsConfig(index, crawlWorkers))
}

// startWorkers starts a River client on pool working Hark's jobs with cfg.
func (e *env) startWorkers(ctx context.Context, pool *pgxpool.Pool, cfg jobs.Config) (*river.Client[pgx.Tx], func(), error) {
	client, err := jobs.NewClient(pool, cfg)
	if err != nil {
		return nil, nil, err
	}
	if err := client.Start(ctx); err != nil {
		return nil, nil, err
	}
	stop := func() {
		c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_ = client.Stop(c)
	}
	return client, stop, nil
}

// jobsConfig is the jobs configuration of the app the bench built (benchConfig), with the
// section's index (nil leaves index jobs queued) and crawl workers.
func (e *env) jobsConfig(index *search.Index, crawlWorkers int) jobs.Config {
	cfg := e.app.JobsConfig()
	cfg.Index, cfg.CrawlWorkers = index, crawlWorkers
	return cfg
}

// waitJobs waits until no job of the given kinds is left to run.
func (e *env) waitJobs(ctx context.Context, kinds ...string) error {
	for {
		var n int
		if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM river_job
			WHERE state IN ('available', 'running', 'retryable', 'pending', 'scheduled') AND kind = ANY($1)`, kinds).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// benchIngest: N generated feeds submitted, crawled, stored and indexed end to end.
func (e *env) benchIngest(ctx context.Context) error {
	cat := demo.New(demo.Config{Seed: 3, Shows: e.opts.ingestFeeds, MinEpisodes: 1, MaxEpisodes: 300})
	srv := httptest.NewServer(cat.Handler())
	defer srv.Close()
	cat.SetBaseURL(srv.URL)
	qc, err := e.newQueryCounts(ctx)
	if err != nil {
		return err
	}
	defer qc.close()
	client, stop, err := e.startWorkers(ctx, qc.pool, qc.config(e.jobsConfig(e.index, 32)))
	if err != nil {
		return err
	}
	defer stop()
	service := jobs.NewService(e.store, client)
	start := time.Now()
	for _, u := range cat.FeedURLs() {
		if _, _, err := service.SubmitFeed(ctx, u); err != nil {
			return err
		}
	}
	if err := e.waitJobs(ctx, "crawl_feed", "index_podcast"); err != nil {
		return err
	}
	took := time.Since(start)
	eps, err := e.store.CountLiveEpisodes(ctx)
	if err != nil {
		return err
	}
	feeds := len(cat.FeedURLs())
	e.result("ingest: %d feeds, %d episodes submitted->crawled->stored->indexed in %s: %.0f feeds/s, %.0f episodes/s",
		feeds, eps, took.Round(time.Millisecond), rate(feeds, took), rate(eps, took))
	e.resultLines(qc.take("ingest"))

	// Raw baselines on the same data, measured now.
	n, rawPG, err := e.rawPostgresCopy(ctx, 2000, 8)
	if err != nil {
		return err
	}
	e.result("ingest: raw Postgres COPY of the same %d episode rows: %.0f rows/s (Hark end to end = %.1f%% of it)",
		n, rate(n, rawPG), 100*rate(eps, took)/rate(n, rawPG))
	docs, rawTS, err := e.rawTypesenseImport(ctx, 2000, 2)
	if err != nil {
		return err
	}
	e.result("ingest: raw Typesense import of the same %d episode docs: %.0f docs/s (Hark end to end = %.1f%% of it)",
		docs, rate(docs, rawTS), 100*rate(eps, took)/rate(docs, rawTS))
	rawRiver, err := e.rawRiver(ctx, e.opts.rawRiverJobs, 32)
	if err != nil {
		return err
	}
	e.result("ingest: raw River: %d no-op jobs inserted and worked: %.0f jobs/s (Hark crawls ran at %.1f%% of it)",
		e.opts.rawRiverJobs, rate(e.opts.rawRiverJobs, rawRiver), 100*rate(feeds, took)/rate(e.opts.rawRiverJobs, rawRiver))
	if docs != eps {
		return fmt.Errorf("index holds %d episode docs, Postgres %d live episodes", docs, eps)
	}
	return nil
}
