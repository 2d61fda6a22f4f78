// Package jobs holds Hark's River jobs: crawling feeds, indexing podcasts into Typesense and the
// periodic scheduler. It is the only package that chains feed -> db -> search.
package jobs

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"hark/db"
	"hark/feed"
	"hark/search"
)

// Queue names.
const (
	QueueCrawl = "crawl"
	QueueIndex = "index"
	// QueueSubmissions holds the first crawls of feeds strangers submit, so that a flood of
	// them waits on its own workers and never delays the scheduled re-crawls.
	QueueSubmissions = "submissions"
)

// Defaults for Config.
const (
	CrawlWorkersDefault       = 32
	IndexWorkersDefault       = 4
	ScheduleIntervalDefault   = 30 * time.Second
	ScheduleBatchDefault      = 5000
	CompletedRetentionDefault = 10 * time.Minute
	// FetchCooldownDefault is the shortest gap between two job fetches of a queue. River's 100ms
	// default caps a queue at MaxWorkers jobs per 100ms, too few for re-crawls that mostly end in
	// a 304; at 10ms the database does a little more polling and the cap is ten times higher.
	FetchCooldownDefault = 10 * time.Millisecond
)

// Job time limits. River's rescuer gives a running job back to the queue (or discards it, when
// its attempts are used) once it has run longer than both rescueAfter and its kind's own
// Timeout, so a job whose worker died is stuck for its kind's time limit, not an hour. Every
// kind without a Timeout of its own gets jobTimeout; rescueAfter is the shortest time a job can
// be stuck, and it only has to exceed jobTimeout, which River requires. Longer kinds
// (crawl_feeds, reindex, reconcile_index) are rescued after their own limit and never while
// they may still be running. A worker that starts on the host of a dead one reclaims its jobs
// at once (ReclaimDead).
const (
	jobTimeout  = crawlFeedTimeout
	rescueAfter = jobTimeout + 15*time.Second
)

// Config wires the jobs to the rest of Hark.
type Config struct {
	Store   *db.Store
	Fetcher *feed.Fetcher
	Index   *search.Index // nil leaves index jobs queued for other processes to work
	Logger  *slog.Logger
	// Middleware runs around every job River works and inserts (tracing, or the bench's count
	// of statements by job kind); default none.
	Middleware []rivertype.Middleware

	CrawlWorkers     int           // concurrent crawls per process; default CrawlWorkersDefault
	IndexWorkers     int           // concurrent index jobs per process; default IndexWorkersDefault
	ScheduleInterval time.Duration // how often schedule_crawls runs; default ScheduleIntervalDefault
	ScheduleBatch    int           // podcasts enqueued per schedule_crawls run; default ScheduleBatchDefault
	CrawlBatch       int           // podcasts per crawl_feeds job; default CrawlBatchDefault
	// ReconcileInterval is how often reconcile_index compares the search index with Postgres and
	// repairs drift; default ReconcileIntervalDefault. It runs only where Index is set.
	ReconcileInterval time.Duration
	// CompletedRetention is how long River keeps completed jobs. Crawls run millions of times a
	// day at scale, so completed rows are kept briefly to keep river_job small.
	CompletedRetention time.Duration
	// Work turns this process into a worker; without it the client only inserts jobs.
	Work bool
	// BaseURL is Hark's public URL, under which WebSub hubs call back (/websub/callback/{id}).
	// When empty, Hark subscribes to no hub.
	BaseURL string
	// Transcripts makes crawls fetch the transcripts episodes link, for transcript search
	// (only_in=audio). Off, no transcript is fetched; texts fetched before stay indexed.
	Transcripts bool
	// Chapters makes crawls fetch the chapters files (podcast:chapters) episodes link, for the
	// episode pages. Off, none is fetched; chapters fetched before stay.
	Chapters bool
	// Registry receives the jobs' metrics (hark_crawl_*, hark_index_*); give it the registry the
	// HTTP server serves at /metrics. Default: Prometheus's default registry.
	Registry prometheus.Registerer
	// SubmissionWorkers is how many first crawls of submitted feeds (QueueSubmissions) a
	// process runs at once; default SubmissionWorkersDefault.
	SubmissionWorkers int

	// Errors records the jobs that panic or fail their last attempt (River's ErrorHandler);
	// nil records none.
	Errors *ErrorRecorder
	// Ops is where the jobs tell the operator of events (a crawl failure spike).
	Ops OpsConfig
	// Retention is how long prune_old_rows keeps rows that only grow; a zero field keeps them.
	Retention db.Retention
	// FailedJobRetention is how long River keeps discarded and cancelled jobs; default
	// FailedJobRetentionDefault, and a negative one keeps them forever.
	FailedJobRetention time.Duration
	// Tally counts crawls by outcome and episodes added for the /admin charts; nil counts none.
	Tally *db.Tally
}

// WebhookWorkersDefault is how many webhook deliveries a process makes at once.
const WebhookWorkersDefault = 4

// SubmissionWorkersDefault is Config.SubmissionWorkers when unset.
const SubmissionWorkersDefault = 4

// NewClient returns a River client with Hark's workers, queues and periodic jobs.
func NewClient(pool *pgxpool.Pool, cfg Config) (*river.Client[pgx.Tx], error) {
	rc := &river.Config{
		Logger:                      cfg.Logger,
		CompletedJobRetentionPeriod: cmp.Or(cfg.CompletedRetention, CompletedRetentionDefault),
		CancelledJobRetentionPeriod: cmp.Or(cfg.FailedJobRetention, FailedJobRetentionDefault),
		DiscardedJobRetentionPeriod: cmp.Or(cfg.FailedJobRetention, FailedJobRetentionDefault),
		JobTimeout:                  jobTimeout,
		RescueStuckJobsAfter:        rescueAfter,
		FetchCooldown:               FetchCooldownDefault,
		Middleware:                  cfg.Middleware,
	}
	if cfg.Errors != nil {
		rc.ErrorHandler = cfg.Errors
	}
	if cfg.Work {
		if self, ok := selfIdentity(); ok {
			rc.ID = self.newClientID()
		}
		workers := river.NewWorkers()
		m := newMetrics(cfg.Registry)
		crawl := newCrawler(cfg, m)
		river.AddWorker(workers, &CrawlFeedWorker{crawler: crawl})
		river.AddWorker(workers, &CrawlFeedsWorker{crawler: crawl})
		river.AddWorker(workers, &IndexPodcastWorker{cfg: cfg})
		river.AddWorker(workers, &ScheduleCrawlsWorker{cfg: cfg})
		river.AddWorker(workers, &ReconcileIndexWorker{cfg: cfg, metrics: m})
		river.AddWorker(workers, &ReindexWorker{cfg: cfg})
		river.AddWorker(workers, &WebSubSubscribeWorker{cfg: cfg})
		river.AddWorker(workers, &RenewWebSubWorker{cfg: cfg})
		river.AddWorker(workers, &FetchTranscriptsWorker{cfg: cfg})
		river.AddWorker(workers, &FetchChaptersWorker{cfg: cfg})
		river.AddWorker(workers, &DeliverWebhookWorker{cfg: cfg})
		river.AddWorker(workers, &CheckCrawlErrorsWorker{cfg: cfg})
		river.AddWorker(workers, &PruneOldRowsWorker{cfg: cfg})
		river.AddWorker(workers, &FetchArtworkWorker{cfg: cfg})
		river.AddWorker(workers, &BuildSitemapsWorker{cfg: cfg})
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: 2},
			QueueCrawl:         {MaxWorkers: cmp.Or(cfg.CrawlWorkers, CrawlWorkersDefault)},
			QueueSubmissions:   {MaxWorkers: cmp.Or(cfg.SubmissionWorkers, SubmissionWorkersDefault)},
			QueueWebhooks:      {MaxWorkers: WebhookWorkersDefault},
			QueueArtwork:       {MaxWorkers: ArtworkWorkersDefault},
		}
		if cfg.Index != nil {
			rc.Queues[QueueIndex] = river.QueueConfig{MaxWorkers: cmp.Or(cfg.IndexWorkers, IndexWorkersDefault)}
		}
		rc.PeriodicJobs = []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(cmp.Or(cfg.ScheduleInterval, ScheduleIntervalDefault)),
				func() (river.JobArgs, *river.InsertOpts) { return ScheduleCrawlsArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true, ID: "schedule_crawls"}),
		}
		rc.PeriodicJobs = append(rc.PeriodicJobs, webSubPeriodicJobs(cfg)...)
		rc.PeriodicJobs = append(rc.PeriodicJobs, maintenancePeriodicJobs()...)
		rc.PeriodicJobs = append(rc.PeriodicJobs, sitemapsPeriodicJob(cfg)...)
		if cfg.Index != nil {
			rc.PeriodicJobs = append(rc.PeriodicJobs, reconcilePeriodicJob(cfg))
		}
	}
	client, err := river.NewClient(riverpgxv5.New(pool), rc)
	if err != nil {
		return nil, fmt.Errorf("new river client: %w", err)
	}
	return client, nil
}

// newCrawler returns the crawler that the process's crawl_feed and crawl_feeds workers share.
func newCrawler(cfg Config, m *metrics) crawler {
	return crawler{cfg: cfg, slots: make(chan struct{}, cmp.Or(cfg.CrawlWorkers, CrawlWorkersDefault)), metrics: m}
}

// pendingStates are the states in which a second job for the same podcast is redundant.
var pendingStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
	rivertype.JobStateRunning, rivertype.JobStateScheduled,
}

// uniquePerPodcast is the InsertOpts of a job kind that is unique per podcast (its only argument)
// while one is pending or running.
func uniquePerPodcast(queue string, maxAttempts int) river.InsertOpts {
	return river.InsertOpts{
		Queue:       queue,
		MaxAttempts: maxAttempts,
		UniqueOpts:  river.UniqueOpts{ByArgs: true, ByState: pendingStates},
	}
}

// completeTx marks job completed in tx, so the job's writes and its completion commit together
// and a worker killed in between reruns nothing.
func completeTx[T river.JobArgs](ctx context.Context, tx pgx.Tx, job *river.Job[T]) error {
	if _, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job); err != nil {
		return fmt.Errorf("complete job %d: %w", job.ID, err)
	}
	return nil
}
