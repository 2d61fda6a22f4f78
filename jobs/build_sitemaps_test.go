package jobs_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertest"

	"hark"
	"hark/db"
	"hark/jobs"
)

// TestBuildSitemaps: the job writes every sitemap file of the catalogue into Postgres under the
// public URL, rewrites only what changed, and deletes the files of an old count of files.
func TestBuildSitemaps(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupTx(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Map Makers</title>
			<link>https://maps.example/</link><description>Maps.</description>
			<item><title>The Mercator Problem</title><guid>m1</guid>
			<enclosure url="https://maps.example/1.mp3" length="1" type="audio/mpeg"/></item>
			</channel></rss>`)
	}))
	t.Cleanup(srv.Close)
	p, _, err := b.service.SubmitFeed(ctx, srv.URL+"/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	b.crawlSubmitted(t)
	eps, err := b.store.FindEpisodes(ctx, db.EpisodeFilter{PodcastID: p.ID, Limit: 10})
	if err != nil || len(eps) != 1 {
		t.Fatalf("episodes %v, %v", eps, err)
	}
	// A file of an older count of files, which the job must delete.
	old := db.SitemapFile{Kind: "episodes", N: 2, Files: 2, Base: "https://hark.example", Body: []byte("<urlset/>"), BuiltAt: time.Now()}
	if _, err := b.store.SaveSitemapFile(ctx, &old); err != nil {
		t.Fatal(err)
	}

	const base = "https://hark.example"
	worker := rivertest.NewWorker(t, riverpgxv5.New(nil), &river.Config{},
		jobs.NewBuildSitemapsWorker(jobs.Config{Store: b.store, Logger: slog.New(slog.DiscardHandler), BaseURL: base}))
	if _, err := worker.Work(ctx, t, b.tx, jobs.BuildSitemapsArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	pods, _, err := b.store.FindSitemapFile(ctx, "podcasts", 1, 1, base, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := "<loc>" + base + hark.PodcastPath(p.ID, "Map Makers") + "</loc>"; !strings.Contains(gunzip(t, pods.Body), want) || pods.URLs < 1 {
		t.Errorf("podcasts-1 (%d URLs) lacks %s:\n%.500s", pods.URLs, want, gunzip(t, pods.Body))
	}
	epFile, _, err := b.store.FindSitemapFile(ctx, "episodes", 1, 1, base, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := "<loc>" + base + "/episodes/the-mercator-problem-" + eps[0].ID + "</loc>"; !strings.Contains(gunzip(t, epFile.Body), want) {
		t.Errorf("episodes-1 lacks %s:\n%.500s", want, gunzip(t, epFile.Body))
	}
	if _, _, err := b.store.FindSitemapFile(ctx, "episodes", 2, 2, base, ""); !errors.Is(err, hark.ErrNotFound) {
		t.Errorf("the file of the old count: %v, want deleted", err)
	}

	// Nothing changed: a second run keeps the stored files as they were written.
	if _, err := worker.Work(ctx, t, b.tx, jobs.BuildSitemapsArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	again, notModified, err := b.store.FindSitemapFile(ctx, "episodes", 1, 1, base, epFile.Digest)
	if err != nil || !notModified || !again.BuiltAt.Equal(epFile.BuiltAt) {
		t.Errorf("after an idle rebuild: notModified %v, built %v (was %v), %v; want the stored file untouched",
			notModified, again.BuiltAt, epFile.BuiltAt, err)
	}
	// ...but checked again: a web process judges a file stale by when it was last written.
	if !again.CheckedAt.After(epFile.CheckedAt) {
		t.Errorf("after an idle rebuild: checked at %v, as before (%v); want later", again.CheckedAt, epFile.CheckedAt)
	}
}

// gunzip returns the text of a stored (gzipped) sitemap file.
func gunzip(t *testing.T, body []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("stored sitemap is not gzip: %v", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
