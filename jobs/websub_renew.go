package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
)

// Renewal defaults.
const (
	// WebSubRenewInterval is how often renew_websub looks for leases about to end.
	WebSubRenewInterval = time.Hour
	// webSubRenewBatch is how many subscriptions one renew_websub run renews.
	webSubRenewBatch = 1000
)

// RenewWebSubArgs asks for the WebSub subscriptions whose lease ends within a day to be renewed.
// Crawls renew them too, but a feed crawled weekly would let a 10-day lease lapse.
type RenewWebSubArgs struct{}

// Kind is stored in river_job rows: never rename it.
func (RenewWebSubArgs) Kind() string { return "renew_websub" }

// InsertOpts keeps one renewal run at a time.
func (RenewWebSubArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByState: pendingStates}}
}

// RenewWebSubWorker works RenewWebSubArgs.
type RenewWebSubWorker struct {
	river.WorkerDefaults[RenewWebSubArgs]
	cfg Config
}

// Work enqueues a subscribe request for each verified subscription whose lease ends within
// webSubRenewBefore and that was not asked for again in the last webSubResendAfter.
func (w *RenewWebSubWorker) Work(ctx context.Context, _ *river.Job[RenewWebSubArgs]) error {
	now := time.Now()
	subs, err := w.cfg.Store.FindWebSubExpiring(ctx, now.Add(webSubRenewBefore), now.Add(-webSubResendAfter), webSubRenewBatch)
	if err != nil || len(subs) == 0 {
		return err
	}
	params := make([]river.InsertManyParams, len(subs))
	for i, s := range subs {
		params[i] = river.InsertManyParams{Args: WebSubSubscribeArgs{PodcastID: s.PodcastID}}
	}
	if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertMany(ctx, params); err != nil {
		return fmt.Errorf("enqueue websub renewals: %w", err)
	}
	w.cfg.Logger.InfoContext(ctx, "WebSub renewals enqueued", slog.Int("subscriptions", len(subs)))
	return nil
}

// webSubPeriodicJobs returns the periodic renewal, or nothing when Hark has no BaseURL to be
// called back at.
func webSubPeriodicJobs(cfg Config) []*river.PeriodicJob {
	if cfg.BaseURL == "" {
		return nil
	}
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(WebSubRenewInterval),
		func() (river.JobArgs, *river.InsertOpts) { return RenewWebSubArgs{}, nil },
		&river.PeriodicJobOpts{ID: "renew_websub"})}
}
