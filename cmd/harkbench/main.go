// Command harkbench measures Hark end to end next to raw baselines (raw River, raw Postgres, raw
// Typesense, raw gofeed) measured in the same run, and prints figures and ratios. Machines are
// shared and noisy: read the ratios, not the absolute times.
//
// It works in a schema and an index prefix of its own, dropped at the end, on the services that
// `make services` starts (DATABASE_URL, TYPESENSE_URL, TYPESENSE_API_KEY). Hark itself is built
// by package app from the environment, as `hark serve` builds it; benchConfig lists what the
// bench changes.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"hark/cmd/internal/app"
	"hark/db"
	"hark/search"
	"hark/search/searchtest"
)

type options struct {
	sections     map[string]bool
	ingestFeeds  int
	crawlFeeds   int
	crawlMaxEps  int
	querySeconds int
	querySets    string
	keep         bool
	verbose      bool
	cpuProfile   string
	memProfile   string
	misses       bool
	queriesOut   string
	reuse        string
	crawlWorkers int
	// separateCores runs each query-load run again with Typesense and the bench on CPUs of
	// their own. It pins the threads of every local Typesense process.
	separateCores bool
	realFeeds     string // the real feeds the relevance section crawls
	queries       int    // common-word queries the query section makes
	replayWarmup  int    // queries of the replay's log sent untimed before it is measured
	rawRiverJobs  int    // no-op jobs of the ingest section's raw River baseline
	apiRequests   int    // requests of each endpoint and client count in the api section
	// hostileSubmissions is how many URLs the hostile section submits.
	hostileSubmissions int
	pageRequests       int // requests per kind of page of the pages section
}

// env is the bench's own schema and index prefix on the shared services, and Hark built on them.
type env struct {
	opts    options
	logger  *slog.Logger
	app     *app.App
	schema  string
	admin   *pgxpool.Pool // on the database's default schema, to create and drop the bench's
	pool    *pgxpool.Pool // the app's, on the bench schema
	store   *db.Store
	tsURL   string
	tsKey   string
	prefix  string
	index   *search.Index
	out     io.Writer
	results []string    // lines for the closing summary
	evalSet []evalQuery // built by the relevance section, replayed by the query section

	commonCounted bool // countCommonTerms has set the index's common terms
}

func main() {
	var o options
	sections := flag.String("sections", "ingest,crawl,reindex,relevance,query,metering,replay,hostile,pages,api", "comma-separated sections to run")
	flag.IntVar(&o.ingestFeeds, "ingest-feeds", 300, "feeds for the end-to-end ingest section")
	flag.IntVar(&o.crawlFeeds, "crawl-feeds", 2000, "feeds for the crawl section (1 to -crawl-max-episodes episodes each)")
	flag.IntVar(&o.crawlMaxEps, "crawl-max-episodes", 2000, "largest generated feed in the crawl section")
	flag.IntVar(&o.querySeconds, "query-seconds", 30, "seconds per query-load run")
	flag.StringVar(&o.querySets, "query-sets", "eval-set,common-words,typeahead", "comma-separated query sets for the query section")
	flag.BoolVar(&o.keep, "keep", false, "keep the bench schema and collections")
	flag.BoolVar(&o.verbose, "v", false, "log Hark's own messages")
	flag.IntVar(&o.crawlWorkers, "crawl-workers", 32, "crawl workers in the crawl section (CRAWL_WORKERS)")
	flag.StringVar(&o.reuse, "reuse", "", "work in this kept schema (bench_N) and its index instead of new ones, and keep them (to rerun the query section)")
	flag.StringVar(&o.queriesOut, "queries-out", "", "write the query section's queries to this file (set<TAB>query a line)")
	flag.BoolVar(&o.misses, "misses", false, "print the relevance queries whose item is not in the top 3 (rank 0: not in the top 10)")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the run to this file")
	flag.StringVar(&o.memProfile, "memprofile", "", "write a heap profile (allocations of the whole run) to this file")
	flag.StringVar(&o.realFeeds, "real-feeds", "../shared/fixtures/feeds/real", "folder of real feeds (*.xml) for the relevance section")
	flag.IntVar(&o.rawRiverJobs, "raw-river-jobs", 20000, "no-op jobs the ingest section's raw River baseline inserts and works")
	flag.IntVar(&o.hostileSubmissions, "hostile-submissions", 2000, "submissions (hostile URLs mixed with good feeds) of the hostile section")
	flag.IntVar(&o.apiRequests, "api-requests", 400, "requests of each endpoint and client count in the api section")
	flag.IntVar(&o.queries, "queries", 300, "common-word queries (and typeahead prefixes) the query section replays")
	flag.IntVar(&o.replayWarmup, "replay-warmup", 20000, "queries of the replay section's log sent to the caches untimed before the replay is measured")
	flag.IntVar(&o.pageRequests, "page-requests", 400, "requests per kind of page in the pages section")
	flag.BoolVar(&o.separateCores, "separate-cores", true, "run the query loads again with Typesense and the bench on CPUs of their own")
	flag.Parse()
	o.sections = map[string]bool{}
	for _, s := range strings.Split(*sections, ",") {
		o.sections[strings.TrimSpace(s)] = true
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "harkbench:", err)
		os.Exit(1)
	}
}

// run runs the sections o names, reading the environment through getenv, printing figures on
// stdout and Hark's log on stderr.
func run(ctx context.Context, o options, getenv func(string) string, stdout, stderr io.Writer) error {
	e, err := newEnv(ctx, o, getenv, stdout, stderr)
	if err != nil {
		return err
	}
	defer e.close()
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if o.memProfile != "" {
		defer func() {
			f, err := os.Create(o.memProfile)
			if err != nil {
				e.printf("memprofile: %v\n", err)
				return
			}
			defer f.Close()
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				e.printf("memprofile: %v\n", err)
			}
		}()
	}
	e.printf("harkbench %s on %d CPUs; schema %s, index prefix %s\n", time.Now().Format(time.RFC3339), numCPU(), e.schema, e.prefix)
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"ingest", e.benchIngest},
		{"crawl", e.benchCrawl},
		{"reindex", e.benchReindex},
		{"relevance", e.benchRelevance},
		{"query", e.benchQuery},
		{"metering", e.benchMeteringSearch},
		{"replay", e.benchReplay},
		{"hostile", e.benchHostile},
		{"pages", e.benchPages},
		{"api", e.benchAPI},
	}
	for _, s := range steps {
		if !o.sections[s.name] {
			continue
		}
		e.printf("\n== %s ==\n", s.name)
		start := time.Now()
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		e.printf("(%s section: %s)\n", s.name, time.Since(start).Round(time.Millisecond))
	}
	e.printf("\n== summary ==\n")
	for _, l := range e.results {
		e.printf("%s\n", l)
	}
	return nil
}

func (e *env) printf(format string, args ...any) { fmt.Fprintf(e.out, format, args...) }

// result prints a line now and keeps it for the summary.
func (e *env) result(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	e.results = append(e.results, line)
	e.printf("%s\n", line)
}

func newEnv(ctx context.Context, o options, getenv func(string) string, stdout, stderr io.Writer) (*env, error) {
	e := &env{opts: o, out: stdout}
	level := slog.LevelWarn
	if o.verbose {
		level = slog.LevelInfo
	}
	e.logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	cfg, err := app.LoadConfig(getenv)
	if err != nil {
		return nil, err
	}
	stamp := time.Now().UnixNano() // runs that start in the same second (tests) get schemas of their own
	if o.reuse != "" {
		n, ok := strings.CutPrefix(o.reuse, "bench_")
		if _, err := strconv.ParseInt(n, 10, 64); !ok || err != nil {
			return nil, fmt.Errorf("-reuse %q: want a kept schema name such as bench_1795643431", o.reuse)
		}
		stamp, _ = strconv.ParseInt(n, 10, 64)
		e.opts.keep = true
	}
	e.schema = fmt.Sprintf("bench_%d", stamp)
	e.prefix = fmt.Sprintf("bench%d_", stamp)
	if e.admin, err = db.Open(ctx, cfg.DatabaseURL, 4); err != nil {
		return nil, err
	}
	if o.reuse == "" {
		if _, err := e.admin.Exec(ctx, "CREATE SCHEMA "+e.schema); err != nil {
			e.admin.Close()
			return nil, fmt.Errorf("create bench schema: %w", err)
		}
	}
	if err := e.open(ctx, e.benchConfig(cfg)); err != nil {
		e.close()
		return nil, err
	}
	return e, nil
}

// benchConfig is the configuration of the Hark the bench measures: hark serve's, read from the
// same environment, changed only where the bench must differ.
func (e *env) benchConfig(cfg app.Config) app.Config {
	// The bench's own schema and index prefix.
	if strings.Contains(cfg.DatabaseURL, "://") {
		sep := "?"
		if strings.Contains(cfg.DatabaseURL, "?") {
			sep = "&"
		}
		cfg.DatabaseURL += sep + "search_path=" + e.schema
	} else {
		cfg.DatabaseURL += " search_path=" + e.schema // a key=value string
	}
	cfg.TypesensePrefix = e.prefix
	cfg.HTTPAddr = "127.0.0.1:0" // the query section's API, on a free port
	// The sections crawl generated feeds served from one loopback host, and schedule their
	// crawls themselves.
	cfg.CrawlAllowLoopback = true
	// The relevance section crawls the real fixture feeds, whose transcript links name hosts
	// on the internet: the bench reaches nothing but loopback.
	cfg.CrawlLoopbackOnly = true
	cfg.CrawlWorkers = e.opts.crawlWorkers
	cfg.CrawlPerHost = max(e.opts.crawlWorkers, 32)
	cfg.CrawlTimeout = time.Minute
	cfg.ScheduleInterval = time.Hour
	// The reindex section writes a million documents on a machine the bench keeps busy.
	cfg.TypesenseImportTimeout = 5 * time.Minute
	// The query section's clients share one key and one address at thousands of queries a
	// second: what the bench measures is Hark's speed, not its abuse limits.
	cfg.RateKeyPerSecond, cfg.RateAddrPerSecond = 0, 0
	// The ingest and hostile sections submit thousands of feeds through one key: their
	// measure is the crawl path and the guard, not the daily caps (tested in package jobs).
	cfg.SubmitDailyPerKey, cfg.SubmitDailyPerAddr, cfg.SubmitQueueMax = 0, 0, 0
	return cfg
}

// open migrates the bench schema and builds Hark on it.
func (e *env) open(ctx context.Context, cfg app.Config) error {
	if err := app.Migrate(ctx, cfg, e.logger); err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, e.logger, app.Opts{Work: true, Migrated: true})
	if err != nil {
		return err
	}
	e.app, e.pool, e.store, e.index = a, a.Pool, a.Store, a.Index
	e.tsURL, e.tsKey = strings.Join(cfg.TypesenseURLs, ","), cfg.TypesenseAPIKey
	return a.EnsureIndex(ctx, false)
}

func (e *env) close() {
	if e.opts.keep {
		e.printf("kept schema %s and index prefix %s\n", e.schema, e.prefix)
		return
	}
	ctx := context.Background()
	if e.index != nil {
		_ = searchtest.DropAll(ctx, e.index)
	}
	_ = dropRawCollections(ctx, e)
	if e.app != nil {
		e.app.Close()
	}
	if _, err := e.admin.Exec(ctx, "DROP SCHEMA "+e.schema+" CASCADE"); err != nil {
		e.printf("drop schema %s: %v\n", e.schema, err)
	}
	e.admin.Close()
}
