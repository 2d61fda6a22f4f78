// Command harkbench measures Hark end to end next to raw baselines (raw River, raw Postgres, raw
// Typesense, raw gofeed) measured in the same run, and prints figures and ratios. Machines are
// shared and noisy: read the ratios, not the absolute times.
//
// It works in a schema and an index prefix of its own, dropped at the end, on the services that
// `make services` starts (DATABASE_URL, TYPESENSE_URL, TYPESENSE_API_KEY).
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
}

// env is the bench's own schema and index prefix on the shared services.
type env struct {
	opts    options
	logger  *slog.Logger
	dbURL   string // with search_path set to the bench schema
	schema  string
	admin   *pgxpool.Pool
	pool    *pgxpool.Pool
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
	sections := flag.String("sections", "ingest,crawl,reindex,relevance,query", "comma-separated sections to run")
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
	flag.Parse()
	o.sections = map[string]bool{}
	for _, s := range strings.Split(*sections, ",") {
		o.sections[strings.TrimSpace(s)] = true
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "harkbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	e, err := newEnv(ctx, o)
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
	}
	for _, s := range steps {
		if !o.sections[s.name] {
			continue
		}
		e.printf("\n== %s ==\n", s.name)
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
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

func newEnv(ctx context.Context, o options) (*env, error) {
	e := &env{opts: o, out: os.Stdout}
	level := slog.LevelWarn
	if o.verbose {
		level = slog.LevelInfo
	}
	e.logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	base := os.Getenv("DATABASE_URL")
	e.tsURL, e.tsKey = os.Getenv("TYPESENSE_URL"), os.Getenv("TYPESENSE_API_KEY")
	if base == "" || e.tsURL == "" || e.tsKey == "" {
		return nil, fmt.Errorf("DATABASE_URL, TYPESENSE_URL and TYPESENSE_API_KEY must be set (make bench sets them)")
	}
	stamp := time.Now().Unix()
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
	var err error
	if e.admin, err = db.Open(ctx, base, 4); err != nil {
		return nil, err
	}
	if o.reuse == "" {
		if _, err := e.admin.Exec(ctx, "CREATE SCHEMA "+e.schema); err != nil {
			return nil, fmt.Errorf("create bench schema: %w", err)
		}
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	e.dbURL = base + sep + "search_path=" + e.schema
	if e.pool, err = db.Open(ctx, e.dbURL, 48); err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx, e.pool, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		return nil, err
	}
	e.store = db.New(e.pool)
	if e.index, err = e.newIndex(e.prefix); err != nil {
		return nil, err
	}
	_, err = e.index.EnsureCollections(ctx)
	return e, err
}

func (e *env) newIndex(prefix string) (*search.Index, error) {
	return search.New(search.Config{Nodes: strings.Split(e.tsURL, ","), APIKey: e.tsKey, Prefix: prefix, ImportTimeout: 5 * time.Minute}, e.logger)
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
	if e.pool != nil {
		e.pool.Close()
	}
	if _, err := e.admin.Exec(ctx, "DROP SCHEMA "+e.schema+" CASCADE"); err != nil {
		e.printf("drop schema %s: %v\n", e.schema, err)
	}
	e.admin.Close()
}
