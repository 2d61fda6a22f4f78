package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"hark/jobs"
)

// TestServeCachesSearches runs `hark serve` (web and workers) with its search cache over a real
// crawl: a repeated search or typeahead prefix is answered from the cache, with the usage
// headers and the metering of every request exact; other filters and other keys get answers of
// their own; a crawl that adds a matching episode drops the cached answers through the index
// generation (the TTL is an hour), so the new episode is found; and the cache keeps no more
// answers than it may.
func TestServeCachesSearches(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var feed atomic.Value
	feed.Store(rss("Lighthouse keepers"))
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = io.WriteString(w, feed.Load().(string))
	}))
	t.Cleanup(host.Close)
	a, _ := newTestAppWith(t, Opts{Work: true, Migrated: true}, nil, func(c *Config) {
		c.CrawlAllowLoopback = true
		c.SearchCacheEntries, c.SearchCacheBytes, c.SearchCacheTTL = 8, 1<<20, time.Hour
	})
	t.Cleanup(a.Close)
	events, unsubscribe := a.Client.Subscribe(river.EventKindJobCompleted)
	t.Cleanup(unsubscribe)
	addr, stop, err := a.Start(ctx, true, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	base := "http://" + addr
	pod, _, err := a.Service.SubmitFeed(ctx, host.URL+"/show.xml")
	if err != nil {
		t.Fatal(err)
	}
	waitIndexed(t, events)
	cache := a.SearchCache
	waitFor(t, "the cache to learn the index generation", func() bool { return cache.Generation() >= 0 })

	plain, _, _ := a.Store.CreateAPIKey(ctx, "plain", 0)
	quota, _, _ := a.Store.CreateAPIKey(ctx, "quota", 1000)
	search := "/api/v2/search?q=lighthouse"
	for i := 1; i <= 3; i++ {
		got := apiGet(t, base, search, plain)
		if got.total != 1 || got.usage != fmt.Sprint(i) {
			t.Fatalf("search %d: total %d, X-ListenAPI-Usage %q; want 1 and %d", i, got.total, got.usage, i)
		}
	}
	if hits, misses := cache.Lookups(); hits != 2 || misses != 1 {
		t.Fatalf("after the same search 3 times: %d hits, %d misses; want 2 and 1", hits, misses)
	}
	// Another key gets the cached answer with its own usage, metered exactly in Postgres.
	for i := 1; i <= 2; i++ {
		got := apiGet(t, base, search, quota)
		if got.total != 1 || got.usage != fmt.Sprint(i) || got.quota != "1000" {
			t.Fatalf("quota key's search %d: total %d, usage %q, free quota %q; want 1, %d, 1000", i, got.total, got.usage, got.quota, i)
		}
	}
	var metered int
	if err := a.Pool.QueryRow(ctx, `SELECT requests FROM api_usage u JOIN api_keys k ON k.id = u.api_key_id WHERE k.name = 'quota'`).Scan(&metered); err != nil || metered != 2 {
		t.Fatalf("api_usage of the quota key = %d, %v; want the 2 cached searches", metered, err)
	}
	// Other parameters are other answers.
	future := time.Now().Add(24 * time.Hour).UnixMilli()
	for path, want := range map[string]int{ // results on the page
		search + "&published_after=" + fmt.Sprint(future):      0,
		search + "&offset=1":                                   0,
		search + "&type=podcast":                               0,
		"/api/v2/search?q=" + url.QueryEscape("  lighthouse "): 1,
	} {
		if got := apiGet(t, base, path, plain); got.count != want {
			t.Errorf("GET %s: %d results; want %d", path, got.count, want)
		}
	}
	typeahead := "/api/v2/typeahead?q=harb&show_podcasts=1"
	apiGet(t, base, typeahead, plain)
	hitsBefore, _ := cache.Lookups()
	if got := apiGet(t, base, typeahead, plain); !strings.Contains(got.body, `"title_original":"Harbour Radio"`) {
		t.Errorf("typeahead from the cache: %s; want the show", got.body)
	}
	if hits, _ := cache.Lookups(); hits != hitsBefore+1 {
		t.Errorf("a repeated typeahead prefix was not answered from the cache")
	}

	// A crawl adds a matching episode: its index batch drops the cached answers.
	gen := cache.Generation()
	feed.Store(rss("Lighthouse keepers", "Lighthouse at dawn"))
	if err := a.Service.RefreshPodcast(ctx, pod.ID); err != nil {
		t.Fatal(err)
	}
	waitIndexed(t, events)
	waitFor(t, "the new episode in the cached search", func() bool { return apiGet(t, base, search, plain).total == 2 })
	if cache.Generation() <= gen {
		t.Errorf("generation %d after an index batch; want more than %d", cache.Generation(), gen)
	}

	for i := range 12 {
		apiGet(t, base, fmt.Sprintf("/api/v2/search?q=lighthouse+%d", i), plain)
	}
	if n, bytes := cache.Len(); n > 8 || bytes > 1<<20 {
		t.Errorf("the cache holds %d answers, %d bytes; want at most 8 and 1 MiB", n, bytes)
	}
}

// rss is a feed of one show, "Harbour Radio", with an episode of each title.
func rss(titles ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Radio</title><link>https://example.com/</link><description>A show about the sea.</description>`)
	for i, title := range titles {
		fmt.Fprintf(&b, `<item><title>%s</title><guid>ep-%d</guid><pubDate>%s</pubDate><enclosure url="https://example.com/%d.mp3" type="audio/mpeg" length="1"/></item>`,
			title, i, time.Now().Add(-time.Duration(i)*time.Hour).Format(time.RFC1123Z), i)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// waitIndexed waits for an index_podcast job to complete.
func waitIndexed(t *testing.T, events <-chan *river.Event) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.Job.Kind == (jobs.IndexPodcastArgs{}).Kind() {
				return
			}
		case <-timeout:
			t.Fatal("no index job completed in 30s")
		}
	}
}

// waitFor polls ok until it holds, for up to 10 s.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %s", what)
		}
	}
}

type apiAnswer struct {
	total, count int
	usage, quota string
	body         string
}

// apiGet sends GET path with key and reads the answer, which must be a 200.
func apiGet(t *testing.T, base, path, key string) apiAnswer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.Header.Set("X-ListenAPI-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	if resp.Header.Get("X-listenAPI-Latency-Seconds") == "" {
		t.Errorf("GET %s: no X-listenAPI-Latency-Seconds", path)
	}
	var v struct {
		Total int `json:"total"`
		Count int `json:"count"`
	}
	_ = json.Unmarshal(body, &v) // typeahead has no total
	return apiAnswer{total: v.Total, count: v.Count, usage: resp.Header.Get("X-ListenAPI-Usage"),
		quota: resp.Header.Get("X-ListenAPI-FreeQuota"), body: string(body)}
}
