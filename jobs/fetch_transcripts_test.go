package jobs_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"hark"
	"hark/jobs"
)

func TestCrawlFetchesAndIndexesTranscripts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupWith(t, func(cfg *jobs.Config) { cfg.Transcripts = true })
	var vttHits atomic.Int32
	var version atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, transcriptFeed(srv.URL, int(version.Load())))
		case "/t/1.vtt":
			vttHits.Add(1)
			w.Header().Set("Content-Type", "text/vtt")
			fmt.Fprint(w, "WEBVTT\n\nNOTE written by the keeper\n\n1\n00:00:01.000 --> 00:00:04.000\n"+
				"<v Mara>The lamplighter climbed the spiral stair.\n")
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

	res, err := b.index.Search(ctx, hark.SearchQuery{Q: "lamplighter", OnlyIn: []string{"audio"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].Episode.Title != "Night Watch" {
		t.Fatalf("transcript search for lamplighter = %d hits %+v; want Night Watch", res.Total, res.Hits)
	}
	if res, err := b.index.Search(ctx, hark.SearchQuery{Q: "lamplighter", OnlyIn: []string{"title", "description"}}); err != nil || res.Total != 0 {
		t.Fatalf("title and description search for lamplighter = %+v, %v; want nothing: the word is only in the transcript", res, err)
	}
	// The speaker tag and the NOTE are not text.
	if res, err := b.index.Search(ctx, hark.SearchQuery{Q: "keeper", OnlyIn: []string{"audio"}}); err != nil || res.Total != 0 {
		t.Fatalf("transcript search for keeper = %+v, %v; want nothing from the NOTE block", res, err)
	}

	// The missing transcript is recorded as fetched, with no text.
	var fetched bool
	var text string
	err = b.pool.QueryRow(ctx, `SELECT transcript_fetched_at IS NOT NULL, transcript_text FROM episodes
		WHERE podcast_id = $1 AND guid = 'tr-2'`, p.ID).Scan(&fetched, &text)
	if err != nil || !fetched || text != "" {
		t.Fatalf("missing transcript: fetched %v, text %q, err %v; want recorded with no text", fetched, text, err)
	}

	// A changed feed is crawled again; the transcripts already fetched are not.
	version.Store(1)
	refresh(t, b, p.ID)
	if eps := episodes(t, b, p.ID); len(eps) != 3 {
		t.Fatalf("episodes after the second crawl = %d; want 3", len(eps))
	}
	if n := vttHits.Load(); n != 1 {
		t.Fatalf("transcript fetched %d times; want once", n)
	}
}

// transcriptFeed is a feed whose first episode links a WebVTT transcript and whose second links
// one that does not exist; version adds episodes without transcripts.
func transcriptFeed(base string, version int) string {
	extra := ""
	for i := range version {
		extra += fmt.Sprintf(`<item><title>Bonus %d</title><guid>bonus-%d</guid>
			<enclosure url="https://cdn.example/b%d.mp3" length="1" type="audio/mpeg"/></item>`, i, i, i)
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel>
  <title>Keepers' Log</title>
  <link>https://keepers.example/</link>
  <description>Tales from the tower.</description>
  <item>
    <title>Night Watch</title>
    <guid>tr-1</guid>
    <description>An evening on the gallery.</description>
    <enclosure url="https://cdn.keepers.example/1.mp3" length="100" type="audio/mpeg"/>
    <pubDate>Mon, 02 Mar 2026 08:00:00 +0000</pubDate>
    <podcast:transcript url="` + base + `/t/1.vtt" type="text/vtt"/>
  </item>
  <item>
    <title>Fog Bell</title>
    <guid>tr-2</guid>
    <description>When the fog came in.</description>
    <enclosure url="https://cdn.keepers.example/2.mp3" length="100" type="audio/mpeg"/>
    <pubDate>Mon, 09 Mar 2026 08:00:00 +0000</pubDate>
    <podcast:transcript url="` + base + `/t/2.srt" type="application/x-subrip"/>
  </item>
  ` + extra + `
</channel>
</rss>`
}
