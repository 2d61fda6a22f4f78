package jobs

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
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

// Work enqueues the crawls of the podcasts that are due.
func (w *ScheduleCrawlsWorker) Work(ctx context.Context, job *river.Job[ScheduleCrawlsArgs]) error {
	n, err := ScheduleCrawls(ctx, river.ClientFromContext[pgx.Tx](ctx), w.cfg)
	if err != nil {
		return err
	}
	if n > 0 {
		w.cfg.Logger.InfoContext(ctx, "Crawls scheduled", slog.Int("podcasts", n))
	}
	return nil
}

// ScheduleCrawls leases up to cfg.ScheduleBatch due podcasts and enqueues their crawls,
// cfg.CrawlBatch podcasts a crawl_feeds job, with InsertManyTx in the same transaction, so a
// crash loses neither the lease nor the jobs. It returns how many podcasts it scheduled. The
// periodic schedule_crawls job calls it; so does the benchmark, to re-crawl everything at once.
func ScheduleCrawls(ctx context.Context, client *river.Client[pgx.Tx], cfg Config) (int, error) {
	var n int
	err := cfg.Store.InTx(ctx, func(tx pgx.Tx, st *db.Store) error {
		ids, err := st.LeaseDuePodcasts(ctx, cmp.Or(cfg.ScheduleBatch, ScheduleBatchDefault), crawlLease)
		if err != nil || len(ids) == 0 {
			return err
		}
		var params []river.InsertManyParams
		for chunk := range slices.Chunk(ids, cmp.Or(cfg.CrawlBatch, CrawlBatchDefault)) {
			params = append(params, river.InsertManyParams{Args: CrawlFeedsArgs{PodcastIDs: chunk}})
		}
		if _, err := client.InsertManyTx(ctx, tx, params); err != nil {
			return fmt.Errorf("enqueue crawls: %w", err)
		}
		n = len(ids)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("schedule crawls: %w", err)
	}
	return n, nil
}
