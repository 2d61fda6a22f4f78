package jobs_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertest"

	"hark/artwork"
	"hark/feed"
	"hark/jobs"
)

// encodeImage draws a w×h image of one colour in format "png" or "jpeg".
func encodeImage(t *testing.T, format string, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0x80
	}
	img.Set(0, 0, color.RGBA{255, 0, 0, 255})
	var buf bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// artworkFeed names the show's cover (cover.png, or cover2.png in version 1) and four episode
// images: a JPEG of its own, a text file, one on a private address the guard refuses, and one
// on a closed port.
func artworkFeed(base, closed string, version int) string {
	cover := base + "/cover.png"
	if version > 0 {
		cover = base + "/cover2.png"
	}
	item := func(n int, img string) string {
		return fmt.Sprintf(`<item><title>Episode %d</title><guid>art-%d</guid>
			<enclosure url="https://cdn.example/%d.mp3" length="1" type="audio/mpeg"/>
			<itunes:image href="%s"/></item>`, n, n, n, img)
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Painted Radio</title><link>https://painted.example/</link><description>Art.</description>
<itunes:image href="` + cover + `"/>
` + item(1, base+"/ep.jpg") + item(2, base+"/garbage.png") + item(3, "http://10.1.2.3/private.png") +
		item(4, "http://"+closed+"/gone.png") + item(5, cover) + `
</channel></rss>`
}

func TestArtworkFetchedScaledAndRefreshed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupTx(t)
	var version atomic.Int32
	var hits hitCounter
	cover, wide := encodeImage(t, "png", 1000, 800), encodeImage(t, "jpeg", 120, 120)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.add(r.URL.Path)
		switch r.URL.Path {
		case "/feed.xml":
			fmt.Fprint(w, artworkFeed(srv.URL, closedAddr(t), int(version.Load())))
		case "/cover.png", "/cover2.png":
			_, _ = w.Write(cover)
		case "/ep.jpg":
			_, _ = w.Write(wide)
		case "/garbage.png":
			fmt.Fprint(w, "<html>not an image</html>")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)

	p, _, err := b.service.SubmitFeed(ctx, srv.URL+"/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	b.crawlSubmitted(t)
	job := rivertest.RequireInsertedTx[*riverpgxv5.Driver](ctx, t, b.tx, &jobs.FetchArtworkArgs{}, nil)
	worker := b.artworkWorker(t)
	if _, err := worker.WorkJob(ctx, t, b.tx, job.JobRow); err != nil {
		t.Fatal(err)
	}

	want := map[string]string{ // path → the error it should have, "" for none
		"/cover.png": "", "/ep.jpg": "", "/garbage.png": "not a JPEG, PNG, GIF or WebP image",
	}
	for path, wantErr := range want {
		a := findArtwork(t, b.tx, srv.URL+path)
		if a.err != wantErr && !strings.Contains(a.err, wantErr) || (wantErr == "") != (a.err == "") {
			t.Errorf("%s: error %q, want %q", path, a.err, wantErr)
		}
		if wantErr == "" {
			requireSquareJPEG(t, path, a.small, artwork.Small)
			requireSquareJPEG(t, path, a.large, artwork.Large)
		}
	}
	if a := findArtwork(t, b.tx, srv.URL+"/cover.png"); a.width != 1000 || a.height != 800 || a.contentType != "image/png" || a.title != "Painted Radio" {
		t.Errorf("cover row = %dx%d %q %q; want the source's 1000x800 image/png, titled by the show", a.width, a.height, a.contentType, a.title)
	}
	if a := findArtwork(t, b.tx, "http://10.1.2.3/private.png"); !strings.Contains(a.err, "Hark does not connect to it") || a.small != nil {
		t.Errorf("private address: error %q; want refused by the guard before any connection", a.err)
	}
	if a := findArtwork(t, b.tx, "http://"+closedAddr(t)+"/gone.png"); !strings.Contains(a.err, "connection failed") {
		t.Errorf("unreachable host: error %q; want the connection's failure", a.err)
	}
	if n := hits.count("/cover.png"); n != 1 {
		t.Errorf("cover fetched %d times; want once, shared by the show and episode 5", n)
	}

	// The same feed again: nothing is due, nothing fetched.
	b.recrawl(t, p.ID)
	if _, err := worker.Work(ctx, t, b.tx, jobs.FetchArtworkArgs{PodcastID: p.ID}, nil); err != nil {
		t.Fatal(err)
	}
	if n := hits.count("/cover.png"); n != 1 {
		t.Errorf("cover fetched %d times after a second job; want once", n)
	}

	// The show's image URL changes: the crawl enqueues the job in its transaction, and the new
	// URL gets its own row (so its own artwork URLs).
	version.Store(1)
	b.recrawl(t, p.ID)
	var jobsInserted int
	if err := b.tx.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'fetch_artwork' AND args->>'podcast_id' = $1`, p.ID).Scan(&jobsInserted); err != nil {
		t.Fatal(err)
	}
	if jobsInserted < 2 {
		t.Fatalf("fetch_artwork jobs after the image changed = %d; want a new one", jobsInserted)
	}
	if _, err := worker.Work(ctx, t, b.tx, jobs.FetchArtworkArgs{PodcastID: p.ID}, nil); err != nil {
		t.Fatal(err)
	}
	requireSquareJPEG(t, "/cover2.png", findArtwork(t, b.tx, srv.URL+"/cover2.png").small, artwork.Small)
}

func (b *txBundle) artworkWorker(t *testing.T) *rivertest.Worker[jobs.FetchArtworkArgs, pgx.Tx] {
	cfg := jobs.Config{Store: b.store, Logger: slog.New(slog.DiscardHandler),
		Fetcher: feed.NewFetcher(feed.FetcherConfig{ClientConfig: feed.ClientConfig{AllowLoopback: true, Timeout: 5 * time.Second}})}
	return rivertest.NewWorker(t, riverpgxv5.New(nil), &river.Config{}, jobs.NewFetchArtworkWorker(cfg))
}

type artworkRow struct {
	err, contentType, title string
	width, height           int
	small, large            []byte
}

func findArtwork(t *testing.T, tx pgx.Tx, url string) artworkRow {
	t.Helper()
	var a artworkRow
	err := tx.QueryRow(context.Background(), `SELECT error, content_type, title, width, height, small, large
		FROM artwork WHERE key = $1`, artwork.Key(url)).Scan(&a.err, &a.contentType, &a.title, &a.width, &a.height, &a.small, &a.large)
	if err != nil {
		t.Fatalf("artwork of %s: %v", url, err)
	}
	return a
}

func requireSquareJPEG(t *testing.T, name string, b []byte, size int) {
	t.Helper()
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || format != "jpeg" || cfg.Width != size || cfg.Height != size {
		t.Errorf("%s: copy is %s %dx%d (%v); want a %d px square JPEG", name, format, cfg.Width, cfg.Height, err, size)
	}
}

// closedAddr is a loopback address where nothing listens.
var closedAddr = func() func(t *testing.T) string {
	var addr atomic.Value
	return func(t *testing.T) string {
		if a, ok := addr.Load().(string); ok {
			return a
		}
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		a := l.Addr().String()
		_ = l.Close()
		addr.CompareAndSwap(nil, a)
		return addr.Load().(string)
	}
}()

// hitCounter counts requests by path.
type hitCounter struct {
	mu sync.Mutex
	by map[string]int
}

func (h *hitCounter) add(path string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.by == nil {
		h.by = map[string]int{}
	}
	h.by[path]++
}

func (h *hitCounter) count(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.by[path]
}
