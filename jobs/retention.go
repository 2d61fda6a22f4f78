package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// FailedJobRetentionDefault is Config.FailedJobRetention when it is 0. River's own cleaner
// prunes river_job: completed jobs after Config.CompletedRetention, discarded and cancelled
// ones after this.
const FailedJobRetentionDefault = 7 * 24 * time.Hour

// pruneInterval is how often prune_old_rows runs: hourly keeps each run's deletes small.
const pruneInterval = time.Hour

// PruneOldRowsArgs asks for the rows past their retention (Config.Retention) to be deleted.
type PruneOldRowsArgs struct{}

// Kind is stored in river_job rows: never rename it.
func (PruneOldRowsArgs) Kind() string { return "prune_old_rows" }

// InsertOpts keeps one pruning at a time; the next hour's run does what a failed one left.
func (PruneOldRowsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByState: pendingStates}}
}

// PruneOldRowsWorker works PruneOldRowsArgs.
type PruneOldRowsWorker struct {
	river.WorkerDefaults[PruneOldRowsArgs]
	cfg Config
}

// Timeout lets a first run on a database that kept everything work through its backlog.
func (w *PruneOldRowsWorker) Timeout(*river.Job[PruneOldRowsArgs]) time.Duration {
	return 30 * time.Minute
}

// Work deletes the old rows and logs how many of each table went.
func (w *PruneOldRowsWorker) Work(ctx context.Context, _ *river.Job[PruneOldRowsArgs]) error {
	counts, err := w.cfg.Store.Prune(ctx, w.cfg.Retention)
	if err != nil {
		return err
	}
	attrs := make([]any, 0, len(counts))
	for table, n := range counts {
		attrs = append(attrs, slog.Int64(table, n))
	}
	w.cfg.Logger.InfoContext(ctx, "Old rows pruned", attrs...)
	return nil
}

// maintenancePeriodicJobs are the hourly pruning and crawl failure check.
func maintenancePeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(pruneInterval),
			func() (river.JobArgs, *river.InsertOpts) { return PruneOldRowsArgs{}, nil },
			&river.PeriodicJobOpts{ID: "prune_old_rows"}),
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return CheckCrawlErrorsArgs{}, nil },
			&river.PeriodicJobOpts{ID: "check_crawl_errors"}),
	}
}
