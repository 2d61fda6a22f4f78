package jobs_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"hark"
	"hark/db"
)

// feedServer serves body (switchable while the test runs) with an ETag, honouring If-None-Match.
type feedServer struct {
	*httptest.Server
	body    atomic.Value // string
	etag    atomic.Value // string
	status  atomic.Int32
	headers atomic.Value // map[string]string
	hits    atomic.Int32
}

func newFeedServer(t *testing.T, body string) *feedServer {
	fs := &feedServer{}
	fs.set(body, `"v1"`)
	fs.headers.Store(map[string]string{})
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.hits.Add(1)
		for k, v := range fs.headers.Load().(map[string]string) {
			w.Header().Set(k, v)
		}
		if s := fs.status.Load(); s != 0 {
			w.WriteHeader(int(s))
			return
		}
		etag := fs.etag.Load().(string)
		if etag != "" && r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if etag != "" {
			w.Header().Set("ETag", etag)
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(fs.body.Load().(string)))
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) set(body, etag string) { fs.body.Store(body); fs.etag.Store(etag) }

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCrawlFeedStoresAndIndexes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	srv := newFeedServer(t, readTestdata(t, "show.xml"))

	p, created, err := b.service.SubmitFeed(ctx, srv.URL+"/feed.xml")
	if err != nil || !created {
		t.Fatalf("SubmitFeed = created %v, %v", created, err)
	}
	b.waitIdle(t, 30*time.Second)

	p, err = b.store.FindPodcastByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Harbour Lights Radio" || p.Publisher != "Mara Quill" || p.EpisodeCount != 2 || p.Crawl.LastHTTPStatus != 200 {
		t.Fatalf("podcast after crawl = %q by %q, %d episodes, status %d", p.Title, p.Publisher, p.EpisodeCount, p.Crawl.LastHTTPStatus)
	}
	if p.Crawl.NextCrawlAt.Before(time.Now().Add(10 * time.Minute)) {
		t.Errorf("next crawl at %s: sooner than the 15-minute floor", p.Crawl.NextCrawlAt)
	}

	res, err := b.index.Search(ctx, hark.SearchQuery{Q: "skerryvore"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].Episode.Title != "The Keeper of Skerryvore" || res.Hits[0].Episode.AudioLengthSec != 41*60+5 {
		t.Fatalf("search skerryvore = %+v", res)
	}

	// Submitting the same show by another spelling of its URL finds it.
	again, created, err := b.service.SubmitFeed(ctx, strings.Replace(srv.URL, "http://", "HTTP://", 1)+"/feed.xml/")
	if err != nil || created || again.ID != p.ID {
		t.Fatalf("resubmit = %s created %v err %v; want existing %s", again.ID, created, err, p.ID)
	}
}

func TestCrawlConditionalGetAndFailureKeepEpisodes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	srv := newFeedServer(t, readTestdata(t, "show.xml"))
	p, _, err := b.service.SubmitFeed(ctx, srv.URL+"/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	b.waitIdle(t, 30*time.Second)

	// Second crawl: the server answers 304 to the stored ETag.
	refresh(t, b, p.ID)
	p = findPodcast(t, b, p.ID)
	if p.Crawl.LastHTTPStatus != http.StatusNotModified || p.Crawl.ETag != `"v1"` {
		t.Fatalf("after re-crawl: status %d etag %q; want 304 and the stored ETag", p.Crawl.LastHTTPStatus, p.Crawl.ETag)
	}

	// The host starts serving an HTML error page: recorded with a readable reason; episodes stay.
	srv.set("<html><head><title>Site maintenance</title></head><body>Back soon</body></html>", `"v2"`)
	refresh(t, b, p.ID)
	p = findPodcast(t, b, p.ID)
	if !strings.Contains(p.Crawl.LastError, "not a feed") || p.Crawl.ConsecutiveFailures != 1 {
		t.Fatalf("after HTML page: last error %q, failures %d; want a 'not a feed' reason and 1 failure", p.Crawl.LastError, p.Crawl.ConsecutiveFailures)
	}
	eps, err := b.store.FindEpisodes(ctx, db.EpisodeFilter{PodcastID: p.ID})
	if err != nil || len(eps) != 2 {
		t.Fatalf("episodes after failed crawl = %d (%v); want the 2 stored", len(eps), err)
	}
	res, err := b.index.Search(ctx, hark.SearchQuery{Q: "foghorns"})
	if err != nil || res.Total != 1 {
		t.Fatalf("search after failed crawl = %+v, %v; want the episode still found", res, err)
	}

	// A 404 is a failure too, with the status in words.
	srv.status.Store(http.StatusNotFound)
	refresh(t, b, p.ID)
	p = findPodcast(t, b, p.ID)
	if p.Crawl.LastHTTPStatus != 404 || !strings.Contains(p.Crawl.LastError, "404") || p.Crawl.ConsecutiveFailures != 2 {
		t.Fatalf("after 404: status %d, error %q, failures %d", p.Crawl.LastHTTPStatus, p.Crawl.LastError, p.Crawl.ConsecutiveFailures)
	}

	// The crawl-success alert reads these: the first crawl and the 304 were ok, the HTML page
	// and the 404 failed.
	for result, want := range map[string]float64{"ok": 2, "failed": 2, "error": 0} {
		if got := counterValue(t, b.registry, "hark_crawls_total", "result", result); got != want {
			t.Errorf("hark_crawls_total{result=%q} = %v; want %v", result, got, want)
		}
	}
}

// TestCrawlRetryAfterSnoozes works the crawl in a test transaction: a 429 with Retry-After
// snoozes the job for as long as the host asked, with no second request.
func TestCrawlRetryAfterSnoozes(t *testing.T) {
	t.Parallel()
	b := setupTx(t)
	ctx := context.Background()
	srv := newFeedServer(t, readTestdata(t, "show.xml"))
	srv.status.Store(http.StatusTooManyRequests)
	srv.headers.Store(map[string]string{"Retry-After": "600"})
	p, _, err := b.service.SubmitFeed(ctx, srv.URL+"/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	res := b.crawlSubmitted(t)
	if res.EventKind != river.EventKindJobSnoozed {
		t.Fatalf("crawl job ended in %s (state %s); want it snoozed", res.EventKind, res.Job.State)
	}
	if d := time.Until(res.Job.ScheduledAt); d < 8*time.Minute {
		t.Fatalf("crawl snoozed for %s; want about the 10 minutes Retry-After asked", d)
	}
	if hits := srv.hits.Load(); hits != 1 {
		t.Fatalf("host was hit %d times; Retry-After asked to wait", hits)
	}
	if p, err = b.store.FindPodcastByID(ctx, p.ID); err != nil || p.Crawl.LastHTTPStatus != 429 {
		t.Fatalf("last status %d, %v; want 429 recorded", p.Crawl.LastHTTPStatus, err)
	}
}

func refresh(t *testing.T, b *testBundle, id string) {
	t.Helper()
	if err := b.service.RefreshPodcast(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	b.waitIdle(t, 30*time.Second)
}

func findPodcast(t *testing.T, b *testBundle, id string) hark.Podcast {
	t.Helper()
	p, err := b.store.FindPodcastByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
