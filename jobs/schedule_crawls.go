package jobs

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"hark/db"
)

// ScheduleCrawlsArgs is the periodic job that enqueues crawls of the podcasts that are due.
type ScheduleCrawlsArgs struct{}

// Kind is stored in river_job rows: never rename it.
func (ScheduleCrawlsArgs) Kind() string { return "schedule_crawls" }

// InsertOpts makes the scheduler unique per period, so a leader change cannot double it.
func (ScheduleCrawlsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		MaxAttempts: 1,
		UniqueOpts: river.UniqueOpts{ByPeriod: 15 * time.Second, ByState: []rivertype.JobState{
			rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateScheduled, rivertype.JobStateRetryable, rivertype.JobStateCompleted,
		}},
	}
}

// ScheduleCrawlsWorker works ScheduleCrawlsArgs.
type ScheduleCrawlsWorker struct {
	river.WorkerDefaults[ScheduleCrawlsArgs]
	cfg Config
}

// crawlLease is how far a scheduled podcast's next_crawl_at moves while its crawl job waits, so
// the next scheduler run does not pick it again; the crawl itself sets the real next time.
const crawlLease = time.Hour

// Work leases a batch of due podcasts and enqueues their crawls with InsertManyTx, in the same
// transaction, so a crash loses neither the lease nor the jobs.
func (w *ScheduleCrawlsWorker) Work(ctx context.Context, job *river.Job[ScheduleCrawlsArgs]) error {
	batch := cmp.Or(w.cfg.ScheduleBatch, ScheduleBatchDefault)
	var n int
	err := w.cfg.Store.InTx(ctx, func(tx pgx.Tx, st *db.Store) error {
		ids, err := st.LeaseDuePodcasts(ctx, batch, crawlLease)
		if err != nil || len(ids) == 0 {
			return err
		}
		params := make([]river.InsertManyParams, len(ids))
		for i, id := range ids {
			params[i] = river.InsertManyParams{Args: CrawlFeedArgs{PodcastID: id}}
		}
		if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertManyTx(ctx, tx, params); err != nil {
			return fmt.Errorf("enqueue crawls: %w", err)
		}
		n = len(ids)
		return nil
	})
	if err != nil {
		return err
	}
	if n > 0 {
		w.cfg.Logger.InfoContext(ctx, "Crawls scheduled", slog.Int("podcasts", n))
	}
	return nil
}
