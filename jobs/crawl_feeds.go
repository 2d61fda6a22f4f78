package jobs

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"hark"
)

// CrawlBatchDefault is how many podcasts schedule_crawls puts in one crawl_feeds job.
const CrawlBatchDefault = 25

// CrawlFeedsArgs asks for a batch of podcasts' feeds to be crawled: what schedule_crawls
// enqueues. A batch costs one job row, one read of its podcasts and one write of the states of
// the feeds that did not change, where a job per feed costs all three per feed; most scheduled
// crawls end in a 304, so these costs are most of a re-crawl.
type CrawlFeedsArgs struct {
	PodcastIDs []string `json:"podcast_ids"`
}

// Kind is stored in river_job rows: never rename it.
func (CrawlFeedsArgs) Kind() string { return "crawl_feeds" }

// InsertOpts puts batches on the crawl queue. They need no uniqueness: the scheduler's lease
// (next_crawl_at moved forward in the transaction that enqueues) keeps a podcast out of other
// batches while its crawl waits.
func (CrawlFeedsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueCrawl, MaxAttempts: 3}
}

// CrawlFeedsWorker works CrawlFeedsArgs.
type CrawlFeedsWorker struct {
	river.WorkerDefaults[CrawlFeedsArgs]
	crawler
}

// Timeout leaves room for a batch whose feeds wait for the process's crawl slots.
func (w *CrawlFeedsWorker) Timeout(*river.Job[CrawlFeedsArgs]) time.Duration { return 15 * time.Minute }

// Work crawls the batch's podcasts concurrently (each takes one of the process's crawl slots).
// Feeds with new content are stored one transaction each, as a single crawl does; the states of
// the others are saved together at the end. A rerun after a crash is harmless: it crawls the
// batch again, and conditional GETs and body hashes find the stored feeds unchanged.
func (w *CrawlFeedsWorker) Work(ctx context.Context, job *river.Job[CrawlFeedsArgs]) error {
	ps, err := w.cfg.Store.FindPodcastsByIDs(ctx, job.Args.PodcastIDs)
	if err != nil {
		return err
	}
	var (
		mu     sync.Mutex
		ids    []string
		states []hark.CrawlState
		errs   []error
		wg     sync.WaitGroup
	)
	for _, p := range ps {
		wg.Go(func() {
			out, err := w.crawl(ctx, p, nil)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				w.cfg.Logger.ErrorContext(ctx, "Crawl failed", slog.String("podcast_id", p.ID), slog.Any("error", err))
				return
			}
			if out.state != nil {
				ids, states = append(ids, p.ID), append(states, *out.state)
			}
		})
	}
	wg.Wait()
	if err := w.cfg.Store.SaveCrawlStates(ctx, ids, states); err != nil {
		return err
	}
	if len(errs) > 0 {
		// The whole batch is retried; the feeds recorded above are then found unchanged.
		return errors.Join(errs...)
	}
	return nil
}
