package jobs_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"hark/db"
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

// parseCount reads hark_crawl_parses_total{mode} from the default registry.
func parseCount(t *testing.T, mode string) float64 {
	t.Helper()
	mfs, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "hark_crawl_parses_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "mode" && l.GetValue() == mode {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

// TestRecrawlParsesOnlyNewItems: when a feed only gained episodes, the re-crawl parses just the
// new items and loses nothing; when an episode vanished, it parses the whole feed and marks it
// gone. Not parallel: it reads a process-wide counter.
func TestRecrawlParsesOnlyNewItems(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	srv := newFeedServer(t, itemFeed("Mon, 02 Nov 2026 08:00:00 GMT", "3", "2", "1"))
	srv.etag.Store("")
	p, _, err := b.service.SubmitFeed(ctx, srv.URL+"/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	b.waitIdle(t, 30*time.Second)
	full, partial := parseCount(t, "full"), parseCount(t, "new_items")

	srv.set(itemFeed("Mon, 09 Nov 2026 08:00:00 GMT", "4", "3", "2", "1"), "")
	refresh(t, b, p.ID)
	if got := parseCount(t, "new_items") - partial; got != 1 {
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
	refresh(t, b, p.ID)
	if got := parseCount(t, "full") - full; got != 1 {
		t.Fatalf("a feed that lost an episode: %v full parses since the first crawl; want 1", got)
	}
	if got := live(); len(got) != 3 || strings.Contains(strings.Join(got, ","), "2") {
		t.Fatalf("after episode 2 vanished: live episodes %v; want 4, 3, 1", got)
	}
}
