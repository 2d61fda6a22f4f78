package http_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hark"
	"hark/db"
	"hark/internal/browsertest"
	"hark/jobs"
)

// TestAdminInChromium signs in to /admin in a real headless Chromium, as an operator would,
// and saves screenshots of the overview, crawl health, moderation and keys pages under
// .data/screenshots/.
func TestAdminInChromium(t *testing.T) {
	t.Parallel()
	br := browsertest.Start(t)
	b := setup(t, setupOpts{})
	seedOperatorData(t, b)
	if _, err := b.store.CreateOperator(context.Background(), "ada", operatorPassword); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(b.srv)
	t.Cleanup(srv.Close)

	br.Do(t, 90*time.Second,
		chromedp.Navigate(srv.URL+"/admin"), // not signed in: sent to the sign-in page
		chromedp.WaitVisible(chromedp.CSS(`input[name="password"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), "ada"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), operatorPassword),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.WaitVisible(chromedp.CSS(`svg.chart rect`)),
	)
	if bars := browsertest.Eval[int](t, br, `document.querySelectorAll("svg.chart rect").length`); bars < 50 {
		t.Errorf("the overview drew %d bars; want the charts full of the seeded data", bars)
	}
	br.Screenshot(t, "admin_overview")
	for _, pg := range []string{"crawl", "moderation", "keys"} {
		br.Do(t, 30*time.Second, chromedp.Navigate(srv.URL+"/admin/"+pg), chromedp.WaitVisible(chromedp.CSS(`table.list`)))
		br.Screenshot(t, "admin_"+pg)
	}
}

// seedOperatorData fills b's store with what an operator's pages show: podcasts in every crawl
// state, deletion requests, keys with usage and sign-ups, queued jobs, and 30 days of hourly
// figures.
func seedOperatorData(t *testing.T, b *testBundle) {
	t.Helper()
	ctx := context.Background()
	show := addJazzShow(t, b.store)
	now := time.Now()
	for i, st := range []hark.CrawlState{
		{LastHTTPStatus: 500, LastError: "the host answered 500 Internal Server Error", ConsecutiveFailures: 4},
		{LastHTTPStatus: 0, LastError: "dial tcp: connection refused", ConsecutiveFailures: 2},
		{LastHTTPStatus: 200, LastError: "not a feed: the body is an HTML page", ConsecutiveFailures: 9},
		{LastHTTPStatus: 410, LastError: "the feed is gone (410)", ConsecutiveFailures: 1, Dead: true},
	} {
		p := addShow(t, b.store, fmt.Sprintf("https://feeds.example.com/trouble%d.xml", i),
			&hark.Feed{Podcast: hark.Podcast{Title: fmt.Sprintf("Troubled Show %d", i+1)}})
		st.LastCrawledAt, st.NextCrawlAt = now.Add(-time.Duration(i+1)*time.Hour), now.Add(time.Duration(i+1)*time.Hour)
		if err := b.store.SaveCrawlState(ctx, p.podcast.ID, st); err != nil {
			t.Fatal(err)
		}
		if _, err := b.river.Insert(ctx, jobs.CrawlFeedArgs{PodcastID: p.podcast.ID}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := b.store.RequestPodcastDeletion(ctx, db.DeletionAsk{PodcastID: show.podcast.ID, Reason: "I host this show and want it removed"}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, _, err := b.store.CreatePlanKey(ctx, db.NewAPIKey{Name: fmt.Sprintf("dev%d", i), Email: fmt.Sprintf("dev%d@example.com", i), Plan: "free"}); err != nil {
			t.Fatal(err)
		}
	}
	// Thirty days of hourly figures with a daily rhythm, as the tally writes them.
	_, err := b.pool.Exec(ctx, `
		WITH h AS (SELECT g AS hour, 1 + sin(extract(epoch FROM g) / 86400 * 2 * pi()) AS w
			FROM generate_series(date_trunc('hour', now()) - interval '30 days', date_trunc('hour', now()), interval '1 hour') g)
		INSERT INTO ops_counts (metric, hour, label, n)
		SELECT m, hour, l, round(base * (0.6 + w * 0.4 + random() * 0.3))::bigint FROM h,
			(VALUES ('crawls', 'unchanged', 900), ('crawls', 'changed', 120), ('crawls', 'failed', 25),
				('episodes_added', '', 140), ('api_requests', 'free 2xx', 300), ('api_requests', 'pro 2xx', 800),
				('api_requests', 'free 4xx', 30), ('api_requests', 'pro 5xx', 2), ('api_requests', 'none 2xx', 50),
				('search_ms', '5', 200), ('search_ms', '10', 500), ('search_ms', '25', 300), ('search_ms', '50', 60),
				('search_ms', '100', 15), ('search_ms', '250', 4), ('index_drift', '', 1)) AS v(m, l, base)`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.pool.Exec(ctx, `
		WITH k AS (UPDATE api_keys SET created_at = now() - (id % 20) * interval '31 hours' WHERE email <> '' RETURNING id)
		INSERT INTO api_usage (api_key_id, month, requests)
		SELECT id, date_trunc('month', now() AT TIME ZONE 'UTC')::date, (id * 3571) % 10000 FROM k`)
	if err != nil {
		t.Fatal(err)
	}
}
