package jobs_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertest"

	"hark/db"
	"hark/jobs"
)

func itemFeed(build string, guids ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Growing Show</title>
<lastBuildDate>` + build + `</lastBuildDate>` + "\n")
	for _, g := range guids {
		fmt.Fprintf(&b, `<item><title>Episode %s</title><guid>%s</guid><enclosure url="https://cdn.example/%s.mp3" length="1" type="audio/mpeg"/></item>`+"\n", g, g, g)
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

// parseCount reads hark_crawl_parses_total{mode} from the test's registry.
func parseCount(t *testing.T, b *txBundle, mode string) float64 {
	t.Helper()
	return counterValue(t, b.registry, "hark_crawl_parses_total", "mode", mode)
}

// counterValue reads the counter name{label="value"} from g; 0 when it has no such series.
func counterValue(t *testing.T, g prometheus.Gatherer, name, label, value string) float64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

// TestRecrawlParsesOnlyNewItems: when a feed only gained episodes, the re-crawl parses just the
// new items and loses nothing; when an episode vanished, it parses the whole feed and marks it
// gone. Each crawl is one job worked in the test transaction, and each stored change enqueues
// the podcast's index job.
func TestRecrawlParsesOnlyNewItems(t *testing.T) {
	t.Parallel()
	b := setupTx(t)
	ctx := context.Background()
	srv := newFeedServer(t, itemFeed("Mon, 02 Nov 2026 08:00:00 GMT", "3", "2", "1"))
	srv.etag.Store("")
	p, _, err := b.service.SubmitFeed(ctx, srv.URL+"/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	if res := b.crawlSubmitted(t); res.EventKind != river.EventKindJobCompleted {
		t.Fatalf("first crawl ended in %s; want completed", res.EventKind)
	}
	rivertest.RequireInsertedTx[*riverpgxv5.Driver](ctx, t, b.tx, &jobs.IndexPodcastArgs{PodcastID: p.ID}, nil)
	if full, partial := parseCount(t, b, "full"), parseCount(t, b, "new_items"); full != 1 || partial != 0 {
		t.Fatalf("first crawl: %v full and %v new-items parses; want 1 and 0", full, partial)
	}
	srv.set(itemFeed("Mon, 09 Nov 2026 08:00:00 GMT", "4", "3", "2", "1"), "")
	b.recrawl(t, p.ID)
	if got := parseCount(t, b, "new_items"); got != 1 {
		t.Fatalf("a feed that gained one episode: %v new-items parses; want 1", got)
	}
	live := func() []string {
		eps, err := b.store.FindEpisodes(ctx, db.EpisodeFilter{PodcastID: p.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var guids []string
		for _, e := range eps {
			guids = append(guids, e.GUID)
		}
		return guids
	}
	if got := strings.Join(live(), ","); len(live()) != 4 || !strings.Contains(got, "4") {
		t.Fatalf("after the new-items crawl: live episodes %s; want 4 with the new one", got)
	}
	srv.set(itemFeed("Mon, 16 Nov 2026 08:00:00 GMT", "4", "3", "1"), "")
	b.recrawl(t, p.ID)
	if got := parseCount(t, b, "full"); got != 2 {
		t.Fatalf("a feed that lost an episode: %v full parses in all; want 2, one more than the first crawl", got)
	}
	if got := live(); len(got) != 3 || strings.Contains(strings.Join(got, ","), "2") {
		t.Fatalf("after episode 2 vanished: live episodes %v; want 4, 3, 1", got)
	}
}
