package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"hark/db"
	"hark/db/querycount"
	"hark/jobs"
)

// queryCounts counts the statements the jobs of a section send, by job kind: the jobs run on a
// pool of their own whose statements are counted, and a River middleware labels each job's
// statements with its kind. The bench's own queries stay on env.pool, uncounted.
type queryCounts struct {
	river.MiddlewareDefaults
	n    querycount.Counter
	pool *pgxpool.Pool

	mu    sync.Mutex
	jobs  map[string]int // jobs worked, by kind
	feeds int            // podcasts in the crawl_feeds jobs worked
}

var _ rivertype.WorkerMiddleware = (*queryCounts)(nil)

func (e *env) newQueryCounts(ctx context.Context) (*queryCounts, error) {
	qc := &queryCounts{jobs: map[string]int{}}
	var err error
	if qc.pool, err = querycount.NewPool(ctx, e.app.Config.DatabaseURL, 48, &qc.n); err != nil {
		return nil, err
	}
	return qc, nil
}

// config returns cfg with its store on the counted pool and the labelling middleware.
func (qc *queryCounts) config(cfg jobs.Config) jobs.Config {
	cfg.Store = db.New(qc.pool)
	cfg.Middleware = append(cfg.Middleware, qc)
	return cfg
}

// Work labels the job's statements with its kind.
func (qc *queryCounts) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	qc.mu.Lock()
	qc.jobs[job.Kind]++
	if job.Kind == (jobs.CrawlFeedsArgs{}).Kind() {
		var args jobs.CrawlFeedsArgs
		if json.Unmarshal(job.EncodedArgs, &args) == nil {
			qc.feeds += len(args.PodcastIDs)
		}
	}
	qc.mu.Unlock()
	return doInner(querycount.WithLabel(ctx, job.Kind))
}

// take returns one line a job kind on what was counted since the last take (statements a job, or
// a feed for crawl_feeds), and River's own statements (fetching, completing) a job.
func (qc *queryCounts) take(phase string) []string {
	counts := qc.n.TakeByLabel()
	qc.mu.Lock()
	worked, feeds := qc.jobs, qc.feeds
	qc.jobs, qc.feeds = map[string]int{}, 0
	qc.mu.Unlock()
	var lines []string
	total := 0
	for _, kind := range slices.Sorted(maps.Keys(counts)) {
		c, n, per := counts[kind], worked[kind], "job"
		total += n
		if kind == "" {
			continue
		}
		if n == 0 { // run by the bench itself, not as a job
			lines = append(lines, fmt.Sprintf("queries: %s: %s: %s", phase, kind, c))
			continue
		}
		if kind == (jobs.CrawlFeedsArgs{}).Kind() && feeds > 0 {
			n, per = feeds, "feed"
		}
		lines = append(lines, fmt.Sprintf("queries: %s: %s: %d jobs, %.1f statements in %.1f round trips a %s (%.1f of them River's, in the job's transaction)",
			phase, kind, worked[kind], float64(c.Statements)/float64(n), float64(c.RoundTrips)/float64(n), per, float64(c.River)/float64(n)))
	}
	if own := counts[""]; total > 0 {
		lines = append(lines, fmt.Sprintf("queries: %s: River's own (fetching, completing, polling): %.1f statements a job", phase, float64(own.Statements)/float64(total)))
	}
	return lines
}

func (qc *queryCounts) close() { qc.pool.Close() }

// resultLines prints lines now and keeps them for the summary, as result does one.
func (e *env) resultLines(lines []string) {
	for _, l := range lines {
		e.result("%s", l)
	}
}
