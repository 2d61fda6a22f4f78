package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"hark/db"
)

// What a crawl failure spike is: the last hour's failure rate at least spikeFactor times the
// previous day's and spikeMargin above it, over at least spikeMinCrawls crawls, against a day
// with samples for at least spikeMinHours hours. The floors keep a quiet hour (a handful of
// crawls, two of them failing) or a day just started from paging anyone.
const (
	spikeFactor    = 2.0
	spikeMargin    = 0.10
	spikeMinCrawls = 20
	spikeMinHours  = 3
)

// CheckCrawlErrorsArgs asks for the last hour's crawl failure rate to be sampled and compared
// with the previous day's; a spike is posted to the operator's chat. It runs hourly.
type CheckCrawlErrorsArgs struct{}

// Kind is stored in river_job rows: never rename it.
func (CheckCrawlErrorsArgs) Kind() string { return "check_crawl_errors" }

// InsertOpts keeps one check at a time; a missed hour is not worth a retry.
func (CheckCrawlErrorsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByState: pendingStates}}
}

// CheckCrawlErrorsWorker works CheckCrawlErrorsArgs.
type CheckCrawlErrorsWorker struct {
	river.WorkerDefaults[CheckCrawlErrorsArgs]
	cfg Config
}

// Work stores this hour's sample and, in the same transaction, the notice of a spike. A second
// run in the same hour finds the sample stored and says nothing, so the notice goes once.
func (w *CheckCrawlErrorsWorker) Work(ctx context.Context, _ *river.Job[CheckCrawlErrorsArgs]) error {
	hour := time.Now().UTC().Truncate(time.Hour)
	ops := opsOf(ctx, w.cfg.Ops)
	return w.cfg.Store.InTx(ctx, func(tx pgx.Tx, st *db.Store) error {
		last, day, hours, stored, err := st.SampleCrawlHealth(ctx, hour)
		if err != nil || !stored || !isCrawlSpike(last, day, hours) {
			return err
		}
		w.cfg.Logger.WarnContext(ctx, "Crawl failure spike", slog.Int64("crawled", last.Crawled),
			slog.Int64("failed", last.Failed), slog.Float64("day_rate", day.Rate()))
		return ops.NotifyTx(ctx, tx, EventCrawlErrorSpike, fmt.Sprintf(
			"*Crawl failures spiking*: %.0f%% of the %d feeds crawled in the last hour failed, against %.0f%% over the day before. %s",
			100*last.Rate(), last.Crawled, 100*day.Rate(), ops.Link("/admin/crawl", "Crawl health")))
	})
}

// isCrawlSpike says whether the hour last is a spike against day, sampled over hours hours.
func isCrawlSpike(last, day db.CrawlSample, hours int) bool {
	if last.Crawled < spikeMinCrawls || hours < spikeMinHours {
		return false
	}
	return last.Rate() >= spikeFactor*day.Rate() && last.Rate() >= day.Rate()+spikeMargin
}
