package main

import (
	"context"
	"fmt"
	"time"

	"hark/jobs"
)

// benchReindex rebuilds the index from every episode in Postgres (the crawl section's million)
// and compares it with a raw Typesense import of the same documents.
func (e *env) benchReindex(ctx context.Context) error {
	// Index jobs left by the crawl section are covered by the rebuild.
	if _, err := e.pool.Exec(ctx, `DELETE FROM river_job WHERE kind = 'index_podcast' AND state <> 'running'`); err != nil {
		return err
	}
	client, stop, err := e.workers(ctx, e.index, 4)
	if err != nil {
		return err
	}
	defer stop()
	memBefore, _ := e.typesenseMemory(ctx)
	total, err := e.store.CountLiveEpisodes(ctx)
	if err != nil {
		return err
	}
	if total == 0 {
		return fmt.Errorf("Postgres holds no episodes to index: run it with the crawl section (-sections crawl,reindex) or on kept data (-reuse bench_N)")
	}
	last := time.Now()
	start := time.Now()
	n, err := jobs.Reindex(ctx, e.store, e.index, client, e.logger, jobs.ReindexOpts{
		Progress: func(done, total int) {
			if time.Since(last) > 10*time.Second {
				e.printf("  reindex: %d / %d episodes\n", done, total)
				last = time.Now()
			}
		},
	})
	if err != nil {
		return err
	}
	took := time.Since(start)
	time.Sleep(2 * time.Second) // let the server settle before reading its memory
	memAfter, _ := e.typesenseMemory(ctx)
	e.result("reindex: %d episodes from Postgres into a new collection version in %s: %.0f docs/s",
		n, took.Round(time.Millisecond), rate(n, took))
	if n != total {
		return fmt.Errorf("reindex wrote %d docs for %d live episodes", n, total)
	}
	if n > 0 && memAfter > 0 {
		e.result("reindex: Typesense active memory %.0f MB after (%.0f MB before, old version dropped): about %.0f MB per million episodes",
			memAfter/1e6, memBefore/1e6, memAfter/1e6/(float64(n)/1e6))
	}

	docs, raw, err := e.rawTypesenseImport(ctx, jobs.ReindexBatchDefault, 2)
	if err != nil {
		return err
	}
	e.result("reindex: raw Typesense import of the same %d docs: %.0f docs/s; Hark reindex = %.0f%% of raw (target >= 70%%)",
		docs, rate(docs, raw), 100*rate(n, took)/rate(docs, raw))
	return nil
}
