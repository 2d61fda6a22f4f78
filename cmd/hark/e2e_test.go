package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/riverqueue/river"

	"hark/cmd/internal/app"
	"hark/db/dbtest"
	"hark/jobs"
	"hark/search/searchtest"
)

const e2eFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel>
  <title>Tidewater Almanac</title>
  <itunes:author>June Marsh</itunes:author>
  <description>Salt marshes and the people who read them.</description>
  <itunes:category text="Science"/>
  <item>
    <title>Counting Curlews at Dawn</title>
    <guid>tw-1</guid>
    <description>&lt;p&gt;Birders on the estuary.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</description>
    <enclosure url="https://cdn.tidewater.example/curlews.mp3" length="1000" type="audio/mpeg"/>
    <itunes:duration>33:20</itunes:duration>
    <pubDate>Tue, 03 Nov 2026 06:00:00 GMT</pubDate>
  </item>
</channel>
</rss>`

// TestEndToEnd adds a feed through the API, lets the workers crawl and index it, and finds its
// episode through /api/v2/search and through the web pages, on the real Postgres and Typesense.
func TestEndToEnd(t *testing.T) {
	_, dbURL := dbtest.NewSchemaURL(t)
	tsURL, tsKey := os.Getenv("TYPESENSE_URL"), os.Getenv("TYPESENSE_API_KEY")
	if tsURL == "" {
		if os.Getenv("HARK_REQUIRE_SERVICES") != "" {
			t.Fatal("TYPESENSE_URL is not set; `make test` starts Typesense and sets it")
		}
		t.Skip("TYPESENSE_URL is not set; run `make test`")
	}
	feedSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, e2eFeed)
	}))
	defer feedSrv.Close()

	cfg, err := app.LoadConfig(func(name string) string {
		return map[string]string{
			"DATABASE_URL": dbURL, "TYPESENSE_URL": tsURL, "TYPESENSE_API_KEY": tsKey,
			"TYPESENSE_PREFIX": fmt.Sprintf("e2e%d_", time.Now().UnixNano()), "HTTP_ADDR": "127.0.0.1:0",
			"CRAWL_ALLOW_LOOPBACK": "true", "CRAWL_WORKERS": "4", "CRAWL_SCHEDULE_INTERVAL": "1h",
		}[name]
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Opts{Work: true, Migrated: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	t.Cleanup(func() { _ = searchtest.DropAll(context.Background(), a.Index) })
	indexed, unsubscribe := a.Client.Subscribe(river.EventKindJobCompleted)
	defer unsubscribe()
	addr, stop, err := a.Start(ctx, true, true)
	if err != nil {
		t.Fatalf("serve: %v", err)
	}
	base := "http://" + addr
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	}()
	key, _, err := a.Store.CreateAPIKey(ctx, "e2e", 0)
	if err != nil {
		t.Fatal(err)
	}

	// Add the feed through the API.
	resp := do(t, "POST", base+"/api/v2/podcasts/submit", key, url.Values{"rss": {feedSrv.URL + "/feed.xml"}})
	if resp.status != http.StatusOK {
		t.Fatalf("submit: %d %s", resp.status, resp.body)
	}

	// It becomes searchable within seconds.
	var found struct {
		Total   int `json:"total"`
		Results []struct {
			ID             string `json:"id"`
			TitleOriginal  string `json:"title_original"`
			Audio          string `json:"audio"`
			AudioLengthSec int    `json:"audio_length_sec"`
			ListennotesURL string `json:"listennotes_url"`
			Podcast        struct {
				ID            string `json:"id"`
				TitleOriginal string `json:"title_original"`
			} `json:"podcast"`
		} `json:"results"`
	}
	// The crawl enqueues the podcast's index job once it has stored the episodes.
	waitCompleted(t, indexed, jobs.IndexPodcastArgs{}.Kind(), 20*time.Second)
	r := do(t, "GET", base+"/api/v2/search?q=curlews&type=episode", key, nil)
	if r.status != http.StatusOK {
		t.Fatalf("search: %d %s", r.status, r.body)
	}
	if err := json.Unmarshal(r.body, &found); err != nil {
		t.Fatal(err)
	}
	if found.Total == 0 {
		t.Fatalf("the indexed episode is not found: %s", r.body)
	}
	hit := found.Results[0]
	if hit.TitleOriginal != "Counting Curlews at Dawn" || hit.Podcast.TitleOriginal != "Tidewater Almanac" ||
		hit.Audio != "https://cdn.tidewater.example/curlews.mp3" || hit.AudioLengthSec != 2000 {
		t.Fatalf("search hit = %+v", hit)
	}
	if !strings.HasPrefix(hit.ListennotesURL, cfg.BaseURL+"/episodes/") {
		t.Errorf("listennotes_url %q does not point at Hark's own episode page", hit.ListennotesURL)
	}

	// Without a key the API answers 401 JSON.
	if r := do(t, "GET", base+"/api/v2/search?q=curlews", "", nil); r.status != http.StatusUnauthorized || !json.Valid(r.body) {
		t.Errorf("search without key: %d %s; want 401 JSON", r.status, r.body)
	}

	// The web search page lists the same episode, linking to its podcast and episode pages.
	page := getPage(t, base+"/search?q=curlews")
	// Pages are linked by their canonical paths, a slug of the title before the ID.
	epLink, ok := page.Find(`a[href="/episodes/counting-curlews-at-dawn-` + hit.ID + `"]`).First().Attr("href")
	if !ok {
		t.Fatalf("search page has no link to /episodes/counting-curlews-at-dawn-%s", hit.ID)
	}
	if page.Find(`a[href="/podcasts/tidewater-almanac-`+hit.Podcast.ID+`"]`).Length() == 0 {
		t.Errorf("search page has no link to /podcasts/tidewater-almanac-%s", hit.Podcast.ID)
	}
	ep := getPage(t, base+epLink)
	if src, _ := ep.Find("audio").Attr("src"); src != hit.Audio {
		if src, _ = ep.Find("audio source").Attr("src"); src != hit.Audio {
			t.Errorf("episode page audio src = %q; want %q", src, hit.Audio)
		}
	}
	if html, _ := ep.Html(); strings.Contains(html, "<script>alert(1)") {
		t.Error("episode page shows the feed's <script> unsanitized")
	}
	pod := getPage(t, base+"/podcasts/"+hit.Podcast.ID)
	if !strings.Contains(pod.Text(), "Tidewater Almanac") || !strings.Contains(pod.Text(), "Counting Curlews at Dawn") {
		t.Error("podcast page lacks the show title or its episode")
	}

	// Health: both services up.
	if r := do(t, "GET", base+"/readyz", "", nil); r.status != http.StatusOK {
		t.Errorf("readyz: %d %s", r.status, r.body)
	}
}

// waitCompleted waits for events to report a completed job of kind.
func waitCompleted(t *testing.T, events <-chan *river.Event, kind string, timeout time.Duration) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case ev := <-events:
			if ev.Job.Kind == kind {
				return
			}
		case <-deadline:
			t.Fatalf("no %s job completed within %s", kind, timeout)
		}
	}
}

type response struct {
	status int
	body   []byte
}

func do(t *testing.T, method, u, key string, form url.Values) response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if key != "" {
		req.Header.Set("X-ListenAPI-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, b}
}

func getPage(t *testing.T, u string) *goquery.Document {
	t.Helper()
	r := do(t, "GET", u, "", nil)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: %d", u, r.status)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
