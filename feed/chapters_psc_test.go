package feed

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"hark"
)

// TestFeedChaptersMixedTimeFormats reads every start time form Podlove Simple Chapters allows.
func TestFeedChaptersMixedTimeFormats(t *testing.T) {
	f := parseFixture(t, "broken/podlove-chapters-mixed-time-formats.xml")
	if len(f.Episodes) != 1 {
		t.Fatalf("episodes = %d; want 1", len(f.Episodes))
	}
	want := []hark.Chapter{
		{Start: 0, Title: "Introduction"},
		{Start: 1, Title: "Chapter II"},
		{Start: 62, Title: "Chapter with Link", URL: "http://example.com/"},
		{Start: 3723, Title: "Chapter with Image", Image: "http://example.org/image.png"},
		{Start: 3723.4, Title: "Chapter with Everything", URL: "http://example.net/psc", Image: "http://example.net/image2.png"},
	}
	got := f.Episodes[0].FeedChapters
	if len(got) != len(want) {
		t.Fatalf("chapters = %+v; want %+v", got, want)
	}
	for i := range want {
		if math.Abs(got[i].Start-want[i].Start) > 1e-9 {
			t.Errorf("chapter %d starts at %v; want %v", i, got[i].Start, want[i].Start)
		}
		got[i].Start = want[i].Start
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("chapters = %+v; want %+v", got, want)
	}
}

// TestFeedChaptersRealFeeds reads the psc:chapters of real feeds: every chapter element with a
// start is kept, in order, with only http(s) links.
func TestFeedChaptersRealFeeds(t *testing.T) {
	cases := []struct {
		file               string
		episodes, chapters int // episodes with chapters, chapters in all
		guid               string
		first              []hark.Chapter // that episode's first chapters
	}{
		{"real/buzzsprout-dfacto-weekjournaal-nl.xml", 1, 12, "Buzzsprout-14877095",
			[]hark.Chapter{{Start: 0, Title: "The Weekjournal"}, {Start: 17*60 + 49, Title: "Government Measures and Conspiracy Theories"}}},
		{"real/buzzsprout-off-the-fence.xml", 138, 832, "Buzzsprout-18133270",
			[]hark.Chapter{{Start: 0, Title: "Divorce Without Drama: How to Protect Your Kids in Divorce"}, {Start: 33, Title: "Meet Sarah Armstrong"}}},
		{"real/cre-chaosradio-express-de.xml", 12, 231, "podlove-2015-02-13t20:15:53+00:00-28d673725224ab3",
			[]hark.Chapter{{Start: 26.407, Title: "Neil DeGrasse Tyson on Science", URL: "https://example.com", Image: "https://pics.example.com/pic.png"},
				{Start: 50, Title: "Int NTP example"}, {Start: 59.12, Title: "Floating NTP example"}}},
		{"real/rsscom-frugal-firearms.xml", 6, 45, "1e485d5a-ed57-4462-9bdc-8c512dd1e85f",
			[]hark.Chapter{{Start: 0, Title: "How AR15Discounts.com went from Zero to 18,000 SKUs",
				Image: "https://media.rss.com/frugalfirearmspodcast/20230624_020607_a0394c4026bc7451d0431cbb1c5bf2ad.jpg"},
				{Start: 9*60 + 57, Title: "Picking the right BCGs and Lower Receivers",
					Image: "https://media.rss.com/frugalfirearmspodcast/20230624_020637_37ef76d5d434f0ac89707e071743c2f2.jpg"}}},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			f := parseFixture(t, c.file)
			episodes, chapters := 0, 0
			for _, e := range f.Episodes {
				if e.FeedChapters == nil {
					continue
				}
				episodes++
				chapters += len(e.FeedChapters)
				for i, ch := range e.FeedChapters {
					if i > 0 && ch.Start < e.FeedChapters[i-1].Start {
						t.Errorf("%s: chapter %d starts at %v, before the one above it", e.GUID, i, ch.Start)
					}
					for _, u := range []string{ch.URL, ch.Image} {
						if u != "" && !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
							t.Errorf("%s: chapter %d links %q", e.GUID, i, u)
						}
					}
				}
				if e.GUID == c.guid {
					if got := e.FeedChapters[:len(c.first)]; !reflect.DeepEqual(got, c.first) {
						t.Errorf("%s: first chapters = %+v; want %+v", e.GUID, got, c.first)
					}
				}
			}
			if episodes != c.episodes || chapters != c.chapters {
				t.Errorf("%d episodes with %d chapters; want %d with %d", episodes, chapters, c.episodes, c.chapters)
			}
		})
	}
}

// TestFeedChaptersLimits leaves out what no player can seek to and keeps only web links.
func TestFeedChaptersLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<rss xmlns:psc="http://podlove.org/simple-chapters"><channel><title>T</title><item><guid>g</guid><psc:chapters>`)
	b.WriteString(`<psc:chapter start="2:00" title=" Later&#7; " href="javascript:alert(1)" image="/img/2.png"/>`)
	b.WriteString(`<psc:chapter start="-5" title="Negative"/><psc:chapter start="soon" title="Words"/>`)
	b.WriteString(`<psc:chapter start="1:2:3:4" title="Days"/><psc:chapter title="No start"/>`)
	b.WriteString(`<psc:chapter start="0:30" title="Earlier" href="notes.html"/>`)
	for i := 0; i < maxChapters; i++ {
		b.WriteString(`<psc:chapter start="99:00:00" title="Filler"/>`)
	}
	b.WriteString(`</psc:chapters></item></channel></rss>`)
	f, err := Parse([]byte(b.String()), "https://example.com/show/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	got := f.Episodes[0].FeedChapters
	if len(got) != maxChapters {
		t.Fatalf("%d chapters; want the first %d", len(got), maxChapters)
	}
	want := []hark.Chapter{{Start: 30, Title: "Earlier", URL: "https://example.com/show/notes.html"},
		{Start: 120, Title: "Later", Image: "https://example.com/img/2.png"}}
	if !reflect.DeepEqual(got[:2], want) {
		t.Errorf("chapters = %+v; want %+v", got[:2], want)
	}
}

// parseFixture parses a shared feed fixture, skipping the test when the shared folder is absent.
func parseFixture(t *testing.T, rel string) *hark.Feed {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(feedsDir(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(body, fixtureFeedURL)
	if err != nil {
		t.Fatalf("parse %s: %v", rel, err)
	}
	return f
}
