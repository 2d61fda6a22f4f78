package http_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/prometheus/client_golang/prometheus"

	"hark"
	"hark/artwork"
	"hark/db"
	"hark/feed"
	podhttp "hark/http"
	"hark/jobs"
)

// lensFeed is a show whose one episode lists Podlove Simple Chapters and has three images in
// its notes, on host: a 1200×600 PNG, one the host answers 404 for, and a tracking pixel.
func lensFeed(host string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:psc="http://podlove.org/simple-chapters">
<channel><title>Lens Radio</title><link>https://lens.example/</link><description>Photography.</description>
<item><title>Pictures at an exhibition</title><guid>lens-1</guid>
<enclosure url="https://cdn.example/lens-1.mp3" length="1" type="audio/mpeg"/>
<description><![CDATA[<p>Look: <img src="` + host + `/wide.png" alt="A wide view"> then <img src="` + host + `/missing.png" alt="Lost map">.<img src="` + host + `/pixel.png" width="1" height="1"></p>]]></description>
<psc:chapters version="1.2">
  <psc:chapter start="00:01:02.500" title="The view" href="https://lens.example/view"/>
  <psc:chapter start="0" title="Opening"/>
  <psc:chapter start="bad" title="Never"/>
</psc:chapters>
</item></channel></rss>`
}

// TestCrawledNotesImagesAndChapters crawls a feed for real (the crawl and artwork jobs on a
// working River client, against a local feed and image host) and checks the episode page: its
// Podlove chapters are listed, and its notes never load an image from the feed's host, first
// leaving the images out (their alt text kept) and then, once fetched, showing Hark's copies.
func TestCrawledNotesImagesAndChapters(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	b := setup(t, setupOpts{})
	release := make(chan struct{})
	wide := notesPNG(t, 1200, 600)
	var host *httptest.Server
	host = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.xml":
			fmt.Fprint(w, lensFeed(host.URL))
			return
		case "/wide.png", "/pixel.png", "/missing.png":
			select { // images wait until the page was checked without them
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		switch r.URL.Path {
		case "/wide.png":
			_, _ = w.Write(wide)
		case "/pixel.png":
			_, _ = w.Write(notesPNG(t, 1, 1))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(host.Close)
	t.Cleanup(func() { closeOnce(release) })
	svc := startWorkers(t, b)

	p, _, err := svc.SubmitFeed(ctx, host.URL+"/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	var ep hark.Episode
	await(t, "the crawl", func() bool {
		eps, err := b.store.FindEpisodes(ctx, db.EpisodeFilter{PodcastID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(eps) == 1 {
			ep = eps[0]
		}
		return len(eps) == 1
	})
	path := podhttp.EpisodePath(ep.ID, ep.Title)

	doc := b.getPage(t, path, http.StatusOK)
	var chapters []string
	doc.Find("ol.chapters li").Each(func(_ int, li *goquery.Selection) {
		chapters = append(chapters, strings.Join(strings.Fields(li.Text()), " "))
	})
	if want := []string{"0:00 Opening", "1:02 The view link"}; strings.Join(chapters, "|") != strings.Join(want, "|") {
		t.Errorf("chapters = %q; want %q", chapters, want)
	}
	if href, _ := doc.Find("ol.chapters li").Eq(1).Find("a.ts").Attr("href"); href != "?t=62" {
		t.Errorf("second chapter links %q; want ?t=62", href)
	}
	notes := doc.Find(".show-notes")
	if n := notes.Find("img").Length(); n != 0 {
		html, _ := notes.Html()
		t.Errorf("notes before the images were fetched have %d images; want none:\n%s", n, html)
	}
	if text := notes.Text(); !strings.Contains(text, "A wide view") || !strings.Contains(text, "Lost map") {
		t.Errorf("notes lost the images' alt text: %q", text)
	}

	closeOnce(release)
	key := artwork.NotesKey(host.URL + "/wide.png")
	await(t, "the artwork job", func() bool {
		var n int
		if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM artwork`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 3
	})
	doc = b.getPage(t, path, http.StatusOK)
	notes = doc.Find(".show-notes")
	imgs := notes.Find("img")
	if imgs.Length() != 1 {
		html, _ := notes.Html()
		t.Fatalf("notes have %d images; want Hark's copy of the one fetched:\n%s", imgs.Length(), html)
	}
	src, _ := imgs.Attr("src")
	w, _ := imgs.Attr("width")
	h, _ := imgs.Attr("height")
	lazy, _ := imgs.Attr("loading")
	alt, _ := imgs.Attr("alt")
	if src != "/artwork/"+key+"/600.jpg" || w != "600" || h != "300" || lazy != "lazy" || alt != "A wide view" {
		t.Errorf(`notes image = src %q width %q height %q loading %q alt %q; want Hark's 600×300 copy, lazy, alt kept`, src, w, h, lazy, alt)
	}
	if text := notes.Text(); !strings.Contains(text, "Lost map") {
		t.Errorf("notes lost the failed image's alt text: %q", text)
	}
	if body, _ := doc.Html(); strings.Contains(body, host.URL) {
		t.Errorf("the page names the feed's host %s", host.URL)
	}
	rec := b.get(t, src)
	cfg, format, err := image.DecodeConfig(rec.Body)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/jpeg" || err != nil || format != "jpeg" || cfg.Width != 600 || cfg.Height != 300 {
		t.Errorf("GET %s = %d %q, %s %d×%d (%v); want a 600×300 JPEG", src, rec.Code, rec.Header().Get("Content-Type"), format, cfg.Width, cfg.Height, err)
	}
}

// startWorkers starts a River client that works jobs on the test's database, crawling with a
// fetcher allowed to reach the test's loopback servers, and returns a Service inserting into it.
func startWorkers(t *testing.T, b *testBundle) *jobs.Service {
	t.Helper()
	client, err := jobs.NewClient(b.pool, jobs.Config{
		Store: b.store, Logger: slog.New(slog.DiscardHandler), Work: true, CrawlWorkers: 2,
		Registry: prometheus.NewRegistry(), ScheduleInterval: time.Hour,
		Fetcher: feed.NewFetcher(feed.FetcherConfig{ClientConfig: feed.ClientConfig{AllowLoopback: true, Timeout: 10 * time.Second}}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = client.StopAndCancel(ctx)
	})
	return jobs.NewService(b.store, client)
}

// await polls done until it holds, failing the test when it still does not after a while.
func await(t *testing.T, what string, done func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !done(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited too long for %s", what)
		}
	}
}

func closeOnce(c chan struct{}) {
	select {
	case <-c:
	default:
		close(c)
	}
}

// notesPNG draws a w×h PNG.
func notesPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, h/2, color.NRGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
