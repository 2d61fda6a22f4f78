package jobs_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"hark"
	"hark/db"
	"hark/jobs"
)

func TestCrawlFetchesChapters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupWith(t, func(cfg *jobs.Config) { cfg.Chapters = true; cfg.Transcripts = true })
	var mu sync.Mutex
	hits := map[string]int{}
	version := 0
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		v := version
		mu.Unlock()
		switch r.URL.Path {
		case "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, chaptersFeed(srv.URL, v))
		case "/c/1.json":
			w.Header().Set("Content-Type", "application/json+chapters")
			fmt.Fprint(w, `{"version":"1.2.0","chapters":[
				{"startTime":95.5,"title":"The  lens room","url":"/lens"},
				{"startTime":0,"title":"Cold open"},
				{"startTime":50,"title":"Sponsor art","toc":false},
				{"title":"No start"}]}`)
		case "/c/2.json":
			fmt.Fprint(w, `{"version":"1.2.0","chapters":[{"startTime":12,"title":"New cut"}]}`)
		case "/c/bad.json":
			fmt.Fprint(w, `{"version":"1.2.0","chapters":[{"startTime":`)
		case "/t/1.vtt":
			w.Header().Set("Content-Type", "text/vtt")
			fmt.Fprint(w, "WEBVTT\n\n1\n00:00:01.500 --> 00:00:04.000\n<v Mara>The lamp is lit.\nIt burns all night.\n\n"+
				"2\n00:01:05.000 --> 00:01:09.000\nThe fog rolls in.\n")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)

	p, _, err := b.service.SubmitFeed(ctx, srv.URL+"/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	b.waitIdle(t, 30*time.Second)
	if eps := episodes(t, b, p.ID); len(eps) != 3 {
		t.Fatalf("episodes = %d; want 3: a bad or refused chapters file must not fail the crawl", len(eps))
	}
	if pod := findPodcast(t, b, p.ID); pod.Crawl.LastError != "" || pod.Crawl.ConsecutiveFailures != 0 {
		t.Fatalf("crawl state = %+v; want a clean crawl", pod.Crawl)
	}
	ids := episodeIDsByGUID(t, b, p.ID)

	tl := timeline(t, b, ids["ch-1"])
	want := []hark.Chapter{{Start: 0, Title: "Cold open"}, {Start: 95.5, Title: "The lens room", URL: srv.URL + "/lens"}}
	if !reflect.DeepEqual(tl.Chapters, want) || tl.ChaptersError != "" {
		t.Fatalf("chapters = %+v (error %q); want %+v", tl.Chapters, tl.ChaptersError, want)
	}
	wantCues := []hark.Cue{{Start: 1.5, Text: "The lamp is lit. It burns all night."}, {Start: 65, Text: "The fog rolls in."}}
	if !reflect.DeepEqual(tl.Cues, wantCues) {
		t.Fatalf("transcript cues = %+v; want %+v", tl.Cues, wantCues)
	}
	if bad := timeline(t, b, ids["ch-2"]); bad.Chapters != nil || !strings.HasPrefix(bad.ChaptersError, "chapters: ") {
		t.Fatalf("bad chapters file: %+v; want no chapters and the parse error recorded", bad)
	}
	if blocked := timeline(t, b, ids["ch-3"]); blocked.Chapters != nil || !strings.Contains(blocked.ChaptersError, "does not connect") {
		t.Fatalf("chapters on a private address: %+v; want refused and recorded", blocked)
	}
	assertNoFailedJobs(t, b, "fetch_chapters")

	// A changed chapters URL is fetched again; the others are not.
	mu.Lock()
	version = 1
	mu.Unlock()
	refresh(t, b, p.ID)
	if got := timeline(t, b, ids["ch-1"]).Chapters; !reflect.DeepEqual(got, []hark.Chapter{{Start: 12, Title: "New cut"}}) {
		t.Fatalf("chapters after the URL changed = %+v; want the new file's", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if hits["/c/1.json"] != 1 || hits["/c/bad.json"] != 1 || hits["/c/2.json"] != 1 {
		t.Fatalf("chapters fetches = %v; want each file once", hits)
	}
}

func timeline(t *testing.T, b *testBundle, episodeID string) db.Timeline {
	t.Helper()
	tl, err := b.store.FindTimeline(context.Background(), episodeID)
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

func episodeIDsByGUID(t *testing.T, b *testBundle, podcastID string) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for _, e := range episodes(t, b, podcastID) {
		ids[e.GUID] = e.ID
	}
	return ids
}

func assertNoFailedJobs(t *testing.T, b *testBundle, kind string) {
	t.Helper()
	var n int
	err := b.pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job
		WHERE kind = $1 AND (state IN ('retryable', 'discarded', 'cancelled') OR errors IS NOT NULL)`, kind).Scan(&n)
	if err != nil || n != 0 {
		t.Fatalf("%s jobs that failed = %d, %v; want none", kind, n, err)
	}
}

// chaptersFeed is a feed whose first episode links a good chapters file (another one from
// version 1 on) and a WebVTT transcript, whose second links a broken chapters file and whose
// third links one on a private address, which the fetcher's guard refuses.
func chaptersFeed(base string, version int) string {
	first := base + "/c/1.json"
	if version > 0 {
		first = base + "/c/2.json"
	}
	item := func(guid, chapters, extra string) string {
		return `<item><title>Episode ` + guid + `</title><guid>` + guid + `</guid>
			<enclosure url="https://cdn.keepers.example/` + guid + `.mp3" length="100" type="audio/mpeg"/>
			<pubDate>Mon, 02 Mar 2026 08:00:00 +0000</pubDate>
			<podcast:chapters url="` + chapters + `" type="application/json+chapters"/>` + extra + `</item>`
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel>
  <title>Keepers' Chapters</title>
  <link>https://keepers.example/</link>
  <description>Tales from the tower, in chapters.</description>
  ` + item("ch-1", first, `<podcast:transcript url="`+base+`/t/1.vtt" type="text/vtt"/>`) + `
  ` + item("ch-2", base+"/c/bad.json", "") + `
  ` + item("ch-3", "http://10.255.255.1/chapters.json", "") + `
</channel>
</rss>`
}
