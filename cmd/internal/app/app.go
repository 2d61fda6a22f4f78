// Package app builds Hark from a Config: the Postgres pool and store, the search index, the feed
// fetcher, the River client and jobs service, and the web server with its background loops.
// `hark serve`, `hark demo`, the other hark commands, their tests and harkbench all build Hark
// with New, so what the bench measures is what serve runs.
//
// The package never reads the environment itself: LoadConfig takes the lookup function, and
// only the commands pass it os.Getenv.
package app

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"hark/db"
	"hark/feed"
	"hark/jobs"
	"hark/search"
	"hark/searchcache"
)

// App is Hark wired from one Config. Close it when done.
type App struct {
	Config  Config
	Logger  *slog.Logger
	Pool    *pgxpool.Pool
	Store   *db.Store
	Index   *search.Index
	Client  *river.Client[pgx.Tx] // inserts jobs, and works them when Opts.Work is set and Serve starts it
	Service *jobs.Service
	// SearchCache is the web server's search cache, once Serve has started the web server with
	// one (nil without).
	SearchCache *searchcache.Cache
	// Errors records the panics and failures of the web server and the jobs; Serve runs it.
	Errors *jobs.ErrorRecorder
	// Ops tells the operator's chat of events (OPS_WEBHOOK_URL).
	Ops *jobs.Ops
	// Tally counts crawls, API requests and search latencies for the /admin charts; Serve
	// writes it to Postgres every few seconds.
	Tally *db.Tally

	jobs jobs.Config

	// The samples the web server's term-refresh loops count; the store's, but for tests of
	// how those loops stop.
	sampleSearchText func(ctx context.Context, n int) ([]string, error)
	sampleTitles     func(ctx context.Context, n int) ([]string, error)
}

// Opts are the choices a command makes for the App it builds.
type Opts struct {
	// Work gives the River client Hark's workers, queues and periodic jobs. Without it the
	// client only inserts jobs (the one-shot commands).
	Work bool
	// Migrated refuses a database that `hark migrate` has not brought up to date.
	Migrated bool
}

// New connects to Postgres and Typesense and builds the App. It does not start the workers or
// the web server: Serve does.
func New(ctx context.Context, cfg Config, logger *slog.Logger, opts Opts) (*App, error) {
	// Each crawl holds a connection while it stores; the web server and River need the rest.
	pool, err := db.Open(ctx, cfg.DatabaseURL, int32(max(cfg.CrawlWorkers+16, 24)))
	if err != nil {
		return nil, err
	}
	a, err := build(ctx, cfg, logger, opts, pool)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return a, nil
}

func build(ctx context.Context, cfg Config, logger *slog.Logger, opts Opts, pool *pgxpool.Pool) (*App, error) {
	if opts.Migrated {
		if err := db.CheckMigrated(ctx, pool); err != nil {
			return nil, err
		}
	}
	a := &App{Config: cfg, Logger: logger, Pool: pool, Store: db.New(pool)}
	a.sampleSearchText, a.sampleTitles = a.Store.SampleSearchText, a.Store.SampleEpisodeTitles
	var err error
	a.Index, err = search.New(search.Config{
		Nodes: cfg.TypesenseURLs, APIKey: cfg.TypesenseAPIKey, Prefix: cfg.TypesensePrefix,
		ImportTimeout: cfg.TypesenseImportTimeout,
	}, logger)
	if err != nil {
		return nil, err
	}
	a.Tally = db.NewTally(a.Store, logger)
	a.jobs = jobs.Config{
		Tally: a.Tally, Store: a.Store, Index: a.Index, Logger: logger, Work: opts.Work,
		Fetcher: feed.NewFetcher(feed.FetcherConfig{
			ClientConfig: feed.ClientConfig{
				UserAgent: cfg.CrawlUserAgent, Timeout: cfg.CrawlTimeout, PerHostLimit: cfg.CrawlPerHost,
				AllowLoopback: cfg.CrawlAllowLoopback, LoopbackOnly: cfg.CrawlLoopbackOnly, Ports: cfg.OutboundPorts,
			},
			MaxBodyBytes: cfg.CrawlMaxBodyBytes,
		}),
		CrawlWorkers: cfg.CrawlWorkers, ScheduleInterval: cfg.ScheduleInterval, ReconcileInterval: cfg.ReconcileInterval,
		BaseURL: cfg.BaseURL, Transcripts: true, Chapters: true, SubmissionWorkers: cfg.SubmitCrawlWorkers,
	}
	a.setOperations()
	if a.Client, err = jobs.NewClient(pool, a.jobs); err != nil {
		return nil, err
	}
	a.Ops = jobs.NewOps(a.Client, a.jobs.Ops)
	a.Service = jobs.NewService(a.Store, a.Client)
	a.Service.Ops = a.Ops
	a.Service.BaseURL = cfg.BaseURL
	a.Service.Limits = jobs.SubmitLimits{
		PerKeyDaily: cfg.SubmitDailyPerKey, PerAddrDaily: cfg.SubmitDailyPerAddr, QueueMax: cfg.SubmitQueueMax,
	}
	return a, nil
}

// JobsConfig is the configuration the App's River client runs Hark's jobs with. A caller that
// needs a second client (the bench's crawl section, which leaves index jobs queued) starts
// from it, so that client differs only where it says.
func (a *App) JobsConfig() jobs.Config { return a.jobs }

// Close closes the database pool. Serve has stopped everything that used it by the time it
// returns.
func (a *App) Close() { a.Pool.Close() }

// Migrate applies Hark's and River's migrations to the database of cfg.
func Migrate(ctx context.Context, cfg Config, logger *slog.Logger) error {
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
