package jobs_test

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"hark/db"
	"hark/internal/sharedtest"
)

// manifestCounts reads the shared feed fixtures' MANIFEST.tsv: file -> episodes_count, for the
// real feeds. When the shared folder is absent it skips the test, or fails it under `make test`.
func manifestCounts(t *testing.T) map[string]int {
	t.Helper()
	f, err := os.Open(sharedtest.Path(t, "fixtures/feeds/MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, -1
	counts := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(rec) < 6 || !strings.HasPrefix(rec[0], "real/") {
			continue
		}
		n, err := strconv.Atoi(rec[5])
		if err != nil {
			t.Fatalf("MANIFEST %s: episodes_count %q: %v", rec[0], rec[5], err)
		}
		counts[strings.TrimPrefix(rec[0], "real/")] = n
	}
	return counts
}

// TestCrawlRealFeedCorpus crawls every real feed of the shared fixtures over HTTP through the
// workers and checks each podcast's stored episode count against the manifest.
func TestCrawlRealFeedCorpus(t *testing.T) {
	t.Parallel()
	want := manifestCounts(t)
	b := setup(t)
	ctx := context.Background()
	srv := newStaticServer(t, sharedtest.Path(t, "fixtures/feeds/real"))

	ids := map[string]string{}
	for name := range want {
		p, _, err := b.service.SubmitFeed(ctx, srv+"/"+name)
		if err != nil {
			t.Fatalf("submit %s: %v", name, err)
		}
		ids[name] = p.ID
	}
	// The crawls and index jobs, not the artwork of the fixtures' thousands of episode images,
	// which the loopback-only client refuses one by one.
	if err := b.waitPending(3*time.Minute, "kind NOT IN ('schedule_crawls', 'fetch_artwork')"); err != nil {
		t.Fatal(err)
	}

	for name, id := range ids {
		p := findPodcast(t, b, id)
		if p.Crawl.LastError != "" {
			t.Errorf("%s: crawl failed: %s", name, p.Crawl.LastError)
			continue
		}
		eps, err := b.store.FindEpisodes(ctx, db.EpisodeFilter{PodcastID: id, Limit: 100000})
		if err != nil {
			t.Fatal(err)
		}
		if len(eps) != want[name] || p.EpisodeCount != want[name] {
			t.Errorf("%s: stored %d episodes (podcast says %d); manifest says %d", name, len(eps), p.EpisodeCount, want[name])
		}
	}
	t.Logf("crawled %d real feeds", len(ids))
}

func newStaticServer(t *testing.T, dir string) string {
	t.Helper()
	srv := newFeedServer(t, "")
	srv.Config.Handler = http.FileServer(http.Dir(dir))
	return srv.URL
}
