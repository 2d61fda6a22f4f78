package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertest"
	"github.com/riverqueue/river/rivertype"

	"hark/db"
	"hark/db/dbtest"
	"hark/db/querycount"
	"hark/feed"
	"hark/search"
	"hark/search/searchtest"
)

// budget is how many statements and round trips one job may send, River's in-transaction job
// inserts and completions included. A crawl is the database's busiest caller, so a new round
// trip on its path has to be a choice, not an accident.
type budget struct{ statements, roundTrips int }

var (
	// The podcast read; BEGIN; the lock that reads the fingerprint; one batch storing the show,
	// its episodes, the gone ones and the crawl state; the index job's insert and NOTIFY; the
	// job's completion; COMMIT; and, on a first crawl only, taking the submission's webhook.
	firstCrawlBudget = budget{12, 9}
	// The same, with no gone episodes to look for.
	newItemsCrawlBudget = budget{10, 8}
	// The podcast read and the state write.
	unchangedBudget = budget{2, 2}
	// The work read, the read that finds no alert matching the episodes, the flags cleared and
	// the index generation bumped (one batch), and the read that finds no more work.
	indexBudget = budget{6, 4}
)

// queryBundle runs Hark's workers by hand on a pool whose statements are counted, with no River
// client working jobs, so that every statement counted is the job's own.
type queryBundle struct {
	n      querycount.Counter
	pool   *pgxpool.Pool
	store  *db.Store
	client *river.Client[pgx.Tx]
	cfg    Config
}

func TestQueriesPerJob(t *testing.T) {
	t.Parallel()
	b := newQueryBundle(t)
	ctx := t.Context()
	body := atomic.Value{}
	body.Store(readShow(t))
	etag := atomic.Value{}
	etag.Store(`"v1"`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tag := etag.Load().(string); tag != "" {
			if r.Header.Get("If-None-Match") == tag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", tag)
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(body.Load().(string)))
	}))
	t.Cleanup(srv.Close)
	p, _, err := NewService(b.store, b.client).SubmitFeed(ctx, srv.URL+"/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	crawl := &CrawlFeedWorker{crawler: newCrawler(b.cfg, newMetrics(prometheus.NewRegistry()))}
	batch := &CrawlFeedsWorker{crawler: crawl.crawler}
	index := &IndexPodcastWorker{cfg: b.cfg}

	checks := []struct {
		name string
		max  budget
		run  func() error
		eps  int // live episodes stored after it
	}{
		{"first crawl of a new feed", firstCrawlBudget, func() error {
			return crawl.Work(b.workCtx(ctx), runningJob(t, b, CrawlFeedArgs{PodcastID: p.ID}))
		}, 2},
		{"index job after it", indexBudget, func() error {
			return index.Work(b.workCtx(ctx), runningJob(t, b, IndexPodcastArgs{PodcastID: p.ID}))
		}, 2},
		{"re-crawl answered 304", unchangedBudget, func() error {
			return crawl.Work(b.workCtx(ctx), runningJob(t, b, CrawlFeedArgs{PodcastID: p.ID}))
		}, 2},
		{"re-crawl of the same body without validators", unchangedBudget, func() error {
			etag.Store("")
			return crawl.Work(b.workCtx(ctx), runningJob(t, b, CrawlFeedArgs{PodcastID: p.ID}))
		}, 2},
		{"batch re-crawl (crawl_feeds) of one unchanged feed", unchangedBudget, func() error {
			return batch.Work(b.workCtx(ctx), runningJob(t, b, CrawlFeedsArgs{PodcastIDs: []string{p.ID}}))
		}, 2},
		{"re-crawl that finds a new episode", newItemsCrawlBudget, func() error {
			body.Store(strings.Replace(readShow(t), "<item>", newItem+"<item>", 1))
			return crawl.Work(b.workCtx(ctx), runningJob(t, b, CrawlFeedArgs{PodcastID: p.ID}))
		}, 3},
		{"index job after it", indexBudget, func() error {
			return index.Work(b.workCtx(ctx), runningJob(t, b, IndexPodcastArgs{PodcastID: p.ID}))
		}, 3},
	}
	for _, c := range checks {
		b.n.Take()
		if err := c.run(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := b.n.Take()
		t.Logf("%s: %s", c.name, got)
		if got.Statements > c.max.statements || got.RoundTrips > c.max.roundTrips {
			t.Errorf("%s sent %s, want at most %d statements in %d round trips", c.name, got, c.max.statements, c.max.roundTrips)
		}
		if n := b.liveEpisodes(t, p.ID); n != c.eps {
			t.Fatalf("after the %s, %d live episodes are stored, want %d", c.name, n, c.eps)
		}
	}
	pending, err := b.store.HasIndexPending(ctx, p.ID)
	if err != nil || pending {
		t.Fatalf("index work left after the index jobs: %v, %v", pending, err)
	}
}

const newItem = `<item><title>Lamps and Lenses</title><guid isPermaLink="false">hl-3</guid>
    <enclosure url="https://cdn.harbour.example/3.mp3" length="3456" type="audio/mpeg"/>
    <pubDate>Mon, 16 Mar 2026 08:00:00 +0000</pubDate></item>
  `

func readShow(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/show.xml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func newQueryBundle(t *testing.T) *queryBundle {
	t.Helper()
	b := &queryBundle{}
	pool := dbtest.NewCountedSchema(t, 4, &b.n)
	logger := slog.New(slog.DiscardHandler)
	tsURL, key := searchtest.Env(t)
	ix, err := search.New(search.Config{Nodes: []string{tsURL}, APIKey: key, Prefix: fmt.Sprintf("q%d_", time.Now().UnixNano())}, logger)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.EnsureCollections(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = searchtest.DropAll(context.Background(), ix) })
	b.pool, b.store = pool, db.New(pool)
	b.cfg = Config{Store: b.store, Index: ix, Logger: logger,
		Fetcher: feed.NewFetcher(feed.FetcherConfig{ClientConfig: feed.ClientConfig{AllowLoopback: true, Timeout: 10 * time.Second}})}
	// An inserting client, never started: jobs are worked by hand.
	if b.client, err = NewClient(pool, Config{Store: b.store, Logger: logger}); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *queryBundle) workCtx(ctx context.Context) context.Context {
	return rivertest.WorkContext(ctx, b.client)
}

// runningJob inserts a job for args (or takes the one waiting, such as the crawl a submission
// enqueued) and marks it running, as River does before it calls the worker. The statements it
// sends are not counted.
func runningJob[T river.JobArgs](t *testing.T, b *queryBundle, args T) *river.Job[T] {
	t.Helper()
	res, err := b.client.Insert(t.Context(), args, nil)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := b.pool.QueryRow(t.Context(), `UPDATE river_job SET state = 'running', attempt = attempt + 1,
		attempted_at = now() WHERE id = $1 RETURNING id`, res.Job.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	row := *res.Job
	row.State, row.Attempt = rivertype.JobStateRunning, row.Attempt+1
	b.n.Take() // setting the job up is not the job's work
	return &river.Job[T]{JobRow: &row, Args: args}
}

func (b *queryBundle) liveEpisodes(t *testing.T, podcastID string) int {
	t.Helper()
	eps, err := b.store.FindEpisodes(t.Context(), db.EpisodeFilter{PodcastID: podcastID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return len(eps)
}
