package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"hark"
	"hark/db"
	"hark/jobs"
	"hark/search"
	"hark/search/searchtest"
)

// TestIndexOutageTypesenseKilled crawls while the Typesense process is dead: the crawl succeeds,
// the index job waits in River with backoff, and once Typesense is back the index catches up.
//
// Typesense 0.24.1 replays its Raft log on restart without the writes that were addressed to an
// alias; Hark writes to the collection an alias names (search.writeTargets), so the documents
// written before the kill must still be there when it comes back.
func TestIndexOutageTypesenseKilled(t *testing.T) {
	t.Parallel()
	ts := searchtest.Start(t)
	ix := newOutageIndex(t, ts.URL(), ts.APIKey)
	testIndexOutage(t, ix, ts.Kill, func() {
		ts.Start()
		if err := ts.WaitHealthy(searchtest.StartTimeout); err != nil {
			t.Fatal(err)
		}
	})
}

// TestIndexOutageTypesense503 does the same with a Typesense that answers 503 to everything, as
// an overloaded or lagging node does.
func TestIndexOutageTypesense503(t *testing.T) {
	t.Parallel()
	target, key := os.Getenv("TYPESENSE_URL"), os.Getenv("TYPESENSE_API_KEY")
	newIndex(t) // skips or fails, as the other tests do, without a Typesense
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	var unavailable atomic.Bool
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if unavailable.Load() {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"message": "Not Ready or Lagging"}`)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	ix := newOutageIndex(t, srv.URL, key)
	testIndexOutage(t, ix, func() { unavailable.Store(true) }, func() { unavailable.Store(false) })
}

// testIndexOutage indexes a show, takes Typesense down, crawls a second show, checks what waits
// where, brings Typesense back and checks that the index ends up matching Postgres exactly.
func testIndexOutage(t *testing.T, ix *search.Index, down, up func()) {
	t.Helper()
	b := setupWithIndex(t, ix)
	ctx := context.Background()
	before := newFeedServer(t, showFeed("Harbour Lights", "Skerryvore keepers", "Bell Rock tides"))
	if _, _, err := b.service.SubmitFeed(ctx, before.URL+"/harbour.xml"); err != nil {
		t.Fatal(err)
	}
	b.waitIdle(t, 30*time.Second)
	if got := searchTitles(t, ix, hark.SearchQuery{Q: "skerryvore"}); len(got) != 1 {
		t.Fatalf("before the outage: search skerryvore = %q", got)
	}

	down()
	during := newFeedServer(t, showFeed("Storm Watch", "Gale warnings at dawn", "Shipping forecast"))
	p, _, err := b.service.SubmitFeed(ctx, during.URL+"/storm.xml")
	if err != nil {
		t.Fatal(err)
	}
	// Postgres does not need Typesense: the crawl completes and stores the episodes.
	job := waitIndexJobBackedOff(t, b, p.ID)
	if eps, err := b.store.FindEpisodes(ctx, db.EpisodeFilter{PodcastID: p.ID}); err != nil || len(eps) != 2 {
		t.Fatalf("episodes stored during the outage: %d, %v; want 2", len(eps), err)
	}
	var crawlState string
	if err := b.pool.QueryRow(ctx, `SELECT state FROM river_job WHERE kind = 'crawl_feed' AND args->>'podcast_id' = $1`, p.ID).Scan(&crawlState); err != nil || crawlState != "completed" {
		t.Fatalf("crawl during the outage: %q, %v; want completed", crawlState, err)
	}
	// Searches fail fast with ErrUnavailable, which the API turns into a 503.
	started := time.Now()
	_, err = ix.Search(ctx, hark.SearchQuery{Q: "gale"})
	if took := time.Since(started); !errors.Is(err, hark.ErrUnavailable) || took > 1500*time.Millisecond {
		t.Fatalf("search during the outage: %v after %s; want ErrUnavailable within 1.5s", err, took)
	}

	up()
	// River would retry in about 16s; ask for the retry now rather than wait.
	if _, err := b.client.JobRetry(ctx, job.ID); err != nil {
		t.Fatal(err)
	}
	b.waitIdle(t, 30*time.Second)
	if got := searchTitles(t, ix, hark.SearchQuery{Q: "gale"}); len(got) != 1 {
		t.Fatalf("after the outage: search gale = %q; want the episode crawled during the outage", got)
	}
	if got := searchTitles(t, ix, hark.SearchQuery{Q: "skerryvore"}); len(got) != 1 {
		t.Fatalf("after the restart, before any repair: search skerryvore = %q; the restart lost a document indexed before it", got)
	}
	first, err := jobs.ReconcileIndex(ctx, b.store, ix, b.client, reconcileLogger(t), jobs.ReconcileOpts{Registry: b.registry})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first reconcile after the outage: %+v", first)
	b.waitIdle(t, 30*time.Second)
	second, err := jobs.ReconcileIndex(ctx, b.store, ix, b.client, reconcileLogger(t), jobs.ReconcileOpts{Registry: b.registry})
	if err != nil {
		t.Fatal(err)
	}
	if second.Drifted != 0 {
		t.Errorf("second reconcile after the outage: %+v; want no drift", second)
	}
	requireIndexMatches(t, b)
	for _, q := range []string{"skerryvore", "gale"} {
		if got := searchTitles(t, ix, hark.SearchQuery{Q: q}); len(got) != 1 {
			t.Errorf("after the outage: search %s = %q; want 1 hit", q, got)
		}
	}
}

// waitIndexJobBackedOff waits until the podcast's index job has failed twice against the dead
// index and River has put it aside, then checks that nothing was lost: the job is retryable,
// both errors are recorded, and the next try waits the second step of River's backoff (attempt^4
// seconds, 16s, with 10% jitter).
func waitIndexJobBackedOff(t *testing.T, b *testBundle, podcastID string) *rivertype.JobRow {
	t.Helper()
	ctx := context.Background()
	var job *rivertype.JobRow
	var lookup error
	err := b.await(20*time.Second, func() (bool, error) {
		var id int64
		if lookup = b.pool.QueryRow(ctx, `SELECT id FROM river_job WHERE kind = 'index_podcast' AND args->>'podcast_id' = $1`, podcastID).Scan(&id); lookup != nil {
			return false, nil // the crawl has not enqueued it yet
		}
		var err error
		job, err = b.client.JobGet(ctx, id)
		return err != nil || job.State == rivertype.JobStateRetryable || job.FinalizedAt != nil, err
	})
	if err != nil {
		t.Fatalf("index job not retryable (last lookup: %v): %v", lookup, err)
	}
	if job.FinalizedAt != nil {
		t.Fatalf("index job finalized as %s during the outage; want it kept for a retry", job.State)
	}
	checkBackoff(t, job)
	return job
}

func checkBackoff(t *testing.T, job *rivertype.JobRow) {
	t.Helper()
	if job.Attempt != 2 || len(job.Errors) != 2 {
		t.Fatalf("index job: attempt %d with %d errors; want the second attempt failed", job.Attempt, len(job.Errors))
	}
	for _, e := range job.Errors {
		if !strings.Contains(e.Error, hark.ErrUnavailable.Error()) {
			t.Errorf("index job error %q; want it to say the index is unavailable", e.Error)
		}
	}
	wait := job.ScheduledAt.Sub(job.Errors[1].At)
	if wait < 14*time.Second || wait > 18*time.Second {
		t.Errorf("index job retries %s after its second failure; want 16s ±10%%", wait)
	}
}

// newOutageIndex returns an Index on the Typesense at url with the default timeouts, so that the
// test sees how fast a search fails in production.
func newOutageIndex(t *testing.T, url, key string) *search.Index {
	t.Helper()
	ix, err := search.New(search.Config{Nodes: []string{url}, APIKey: key, Prefix: "outage_" + hark.NewID()[:8] + "_"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.EnsureCollections(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = searchtest.DropAll(context.Background(), ix) })
	return ix
}
