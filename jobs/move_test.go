package jobs_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestPermanentRedirectMovesThePodcast: a 301 moves the podcast to the new URL and keeps the old
// one as an alias, so submitting the old URL again finds the same podcast; a 302 moves nothing.
// The crawls are jobs worked in the test transaction.
func TestPermanentRedirectMovesThePodcast(t *testing.T) {
	t.Parallel()
	b := setupTx(t)
	ctx := context.Background()
	target := newFeedServer(t, readTestdata(t, "show.xml"))
	redirector := func(status int) *httptest.Server {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target.URL+"/new-home.xml", status)
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	old, temporary := redirector(http.StatusMovedPermanently), redirector(http.StatusFound)

	p, _, err := b.service.SubmitFeed(ctx, old.URL+"/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	b.crawlSubmitted(t)
	moved, err := b.store.FindPodcastByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if moved.FeedURL != target.URL+"/new-home.xml" || moved.EpisodeCount != 2 {
		t.Fatalf("after a 301: feed URL %s with %d episodes; want %s/new-home.xml with 2", moved.FeedURL, moved.EpisodeCount, target.URL)
	}
	again, created, err := b.service.SubmitFeed(ctx, old.URL+"/feed.xml")
	if err != nil || created || again.ID != p.ID {
		t.Fatalf("resubmitting the old URL = %s created %v err %v; want the moved podcast", again.ID, created, err)
	}

	// A temporary redirect leaves the URL alone.
	q, _, err := b.service.SubmitFeed(ctx, temporary.URL+"/other.xml")
	if err != nil {
		t.Fatal(err)
	}
	b.recrawl(t, q.ID)
	if got, err := b.store.FindPodcastByID(ctx, q.ID); err != nil || !strings.HasSuffix(got.FeedURL, "/other.xml") {
		t.Fatalf("after a 302 the feed URL became %s (%v)", got.FeedURL, err)
	}
}
