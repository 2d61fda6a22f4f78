package demo

import (
	"bytes"
	"context"
	"encoding/xml"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// rssFeed is what the tests read back from a feed.
type rssFeed struct {
	Channel struct {
		Title    string `xml:"title"`
		Language string `xml:"language"`
		Author   string `xml:"http://www.itunes.com/dtds/podcast-1.0.dtd author"`
		Category struct {
			Text string `xml:"text,attr"`
			Sub  struct {
				Text string `xml:"text,attr"`
			} `xml:"http://www.itunes.com/dtds/podcast-1.0.dtd category"`
		} `xml:"http://www.itunes.com/dtds/podcast-1.0.dtd category"`
		Items []rssItem `xml:"item"`
	} `xml:"channel"`
}

type rssItem struct {
	Title       string `xml:"title"`
	Description string `xml:"description"`
	GUID        struct {
		Value       string `xml:",chardata"`
		IsPermaLink string `xml:"isPermaLink,attr"`
	} `xml:"guid"`
	PubDate   string `xml:"pubDate"`
	Enclosure struct {
		URL    string `xml:"url,attr"`
		Length int64  `xml:"length,attr"`
		Type   string `xml:"type,attr"`
	} `xml:"enclosure"`
	Duration string `xml:"http://www.itunes.com/dtds/podcast-1.0.dtd duration"`
}

func parseFeed(t *testing.T, body []byte) rssFeed {
	t.Helper()
	var f rssFeed
	if err := xml.Unmarshal(body, &f); err != nil {
		t.Fatalf("feed is not well-formed XML: %v", err)
	}
	return f
}

func TestNewIsDeterministic(t *testing.T) {
	t.Parallel()
	cfg := Config{Seed: 42, Shows: 30, MaxEpisodes: 50, BaseURL: "http://127.0.0.1:9999"}
	a, b := New(cfg), New(cfg)
	if !slices.Equal(a.Shows(), b.Shows()) {
		t.Fatal("Shows differ between two catalogues of the same Config")
	}
	for i := range a.Shows() {
		if !bytes.Equal(a.Feed(i), b.Feed(i)) {
			t.Fatalf("Feed(%d) differs between two catalogues of the same Config", i)
		}
	}
	if !bytes.Equal(a.OPML(), b.OPML()) {
		t.Error("OPML differs between two catalogues of the same Config")
	}

	cfg.Seed = 43
	if c := New(cfg); bytes.Equal(a.Feed(0), c.Feed(0)) {
		t.Error("Feed(0) is the same for seeds 42 and 43")
	}
}

func TestFeedIsWellFormed(t *testing.T) {
	t.Parallel()
	c := New(Config{Seed: 7, Shows: 50, MaxEpisodes: 120, BaseURL: "http://127.0.0.1:9999"})
	langs := map[string]bool{}
	for i, s := range c.Shows() {
		f := parseFeed(t, c.Feed(i))
		ch := f.Channel
		langs[s.Language[:2]] = true
		if ch.Title != s.Title || ch.Language != s.Language || ch.Author != s.Author {
			t.Errorf("feed %d: channel title, language, author = %q, %q, %q; Show has %q, %q, %q", i, ch.Title, ch.Language, ch.Author, s.Title, s.Language, s.Author)
		}
		if ch.Category.Text != s.Category || ch.Category.Sub.Text != s.Subcategory {
			t.Errorf("feed %d: category %q > %q, Show has %q > %q", i, ch.Category.Text, ch.Category.Sub.Text, s.Category, s.Subcategory)
		}
		if len(ch.Items) != s.Episodes {
			t.Fatalf("feed %d: %d items, Show.Episodes = %d", i, len(ch.Items), s.Episodes)
		}
		checkItems(t, s, ch.Items)
	}
	for _, l := range []string{"en", "de", "fr", "es", "pt"} {
		if !langs[l] {
			t.Errorf("no show in language %q", l)
		}
	}
}

// checkItems checks what every item of show s must have.
func checkItems(t *testing.T, s Show, items []rssItem) {
	t.Helper()
	guids := map[string]bool{}
	var prev time.Time
	for k, it := range items {
		if it.Title == "" || it.Description == "" || it.Duration == "" {
			t.Errorf("%s item %d: empty title, description or duration: %+v", s.Slug, k, it)
		}
		if guids[it.GUID.Value] || it.GUID.IsPermaLink != "false" {
			t.Errorf("%s item %d: guid %q repeated or isPermaLink %q", s.Slug, k, it.GUID.Value, it.GUID.IsPermaLink)
		}
		guids[it.GUID.Value] = true
		published, err := time.Parse(time.RFC1123Z, it.PubDate)
		if err != nil {
			t.Errorf("%s item %d: pubDate: %v", s.Slug, k, err)
		}
		if k > 0 && !published.Before(prev) {
			t.Errorf("%s item %d: pubDate %s not before the newer item's %s", s.Slug, k, published, prev)
		}
		prev = published
		wantURL := "http://127.0.0.1:9999/audio/" + s.Slug + "/"
		if !strings.HasPrefix(it.Enclosure.URL, wantURL) || it.Enclosure.Type != "audio/mpeg" || it.Enclosure.Length <= 0 {
			t.Errorf("%s item %d: enclosure %+v", s.Slug, k, it.Enclosure)
		}
	}
}

func TestAddEpisodesKeepsOlderItems(t *testing.T) {
	t.Parallel()
	c := New(Config{Seed: 3, Shows: 5, MinEpisodes: 10, MaxEpisodes: 20})
	before := c.Feed(2)
	n := c.Shows()[2].Episodes

	c.AddEpisodes(2, 3)
	after := c.Feed(2)
	if got := c.Shows()[2].Episodes; got != n+3 {
		t.Fatalf("Episodes after AddEpisodes(2, 3) = %d, want %d", got, n+3)
	}
	if bytes.Equal(before, after) {
		t.Fatal("AddEpisodes did not change the feed")
	}
	if !bytes.Equal(before, c.FeedN(2, n)) {
		t.Error("FeedN(2, n) differs from the feed as it was with n episodes")
	}
	old, grown := parseFeed(t, before).Channel.Items, parseFeed(t, after).Channel.Items
	if !slices.Equal(old, grown[3:]) {
		t.Error("AddEpisodes changed older items; want new items on top only")
	}
}

func TestFeedConditionalGET(t *testing.T) {
	t.Parallel()
	c, srv := serveCatalogue(t, Config{Seed: 1, Shows: 3})
	c.SetBaseURL(srv.URL)
	url := c.FeedURLs()[1]

	res := get(t, url, nil)
	etag, modified := res.Header.Get("ETag"), res.Header.Get("Last-Modified")
	if res.StatusCode != http.StatusOK || etag == "" || modified == "" {
		t.Fatalf("GET: status %d, ETag %q, Last-Modified %q; want 200 with both", res.StatusCode, etag, modified)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/rss+xml") {
		t.Errorf("Content-Type = %q", ct)
	}

	tests := []struct {
		name   string
		header http.Header
		want   int
	}{
		{"if-none-match", http.Header{"If-None-Match": {etag}}, http.StatusNotModified},
		{"if-none-match weak, in a list", http.Header{"If-None-Match": {`"x", W/` + etag}}, http.StatusNotModified},
		{"if-none-match other", http.Header{"If-None-Match": {`"other"`}}, http.StatusOK},
		{"if-modified-since", http.Header{"If-Modified-Since": {modified}}, http.StatusNotModified},
		{"if-modified-since earlier", http.Header{"If-Modified-Since": {"Mon, 02 Jan 2006 15:04:05 GMT"}}, http.StatusOK},
		{"etag wins over date", http.Header{"If-None-Match": {`"other"`}, "If-Modified-Since": {modified}}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := get(t, url, tt.header).StatusCode; got != tt.want {
				t.Errorf("status = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestFeedChangesAfterAddEpisodes(t *testing.T) {
	t.Parallel()
	c, srv := serveCatalogue(t, Config{Seed: 1, Shows: 3})
	url := srv.URL + "/feeds/" + c.Shows()[0].Slug + ".xml"
	first := get(t, url, nil)

	c.AddEpisodes(0, 1)
	res := get(t, url, http.Header{"If-None-Match": {first.Header.Get("ETag")}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status after AddEpisodes = %d, want 200", res.StatusCode)
	}
	if res.Header.Get("ETag") == first.Header.Get("ETag") {
		t.Error("ETag unchanged after AddEpisodes")
	}
	if res.Header.Get("Last-Modified") == first.Header.Get("Last-Modified") {
		t.Error("Last-Modified unchanged after AddEpisodes")
	}
	if bytes.Equal(readBody(t, res), readBody(t, first)) {
		t.Error("body unchanged after AddEpisodes")
	}
}

func TestFeedWithoutValidators(t *testing.T) {
	t.Parallel()
	c, srv := serveCatalogue(t, Config{Seed: 1, Shows: 3})
	url := srv.URL + "/feeds/" + c.Shows()[2].Slug + ".xml"
	etag := get(t, url, nil).Header.Get("ETag")

	c.SetValidators(2, false)
	res := get(t, url, http.Header{"If-None-Match": {etag}, "If-Modified-Since": {"Mon, 01 Jan 2024 00:00:00 GMT"}})
	if res.StatusCode != http.StatusOK || res.Header.Get("ETag") != "" || res.Header.Get("Last-Modified") != "" {
		t.Errorf("status %d, ETag %q, Last-Modified %q; want 200 without validators", res.StatusCode, res.Header.Get("ETag"), res.Header.Get("Last-Modified"))
	}
	if !bytes.Equal(readBody(t, res), c.Feed(2)) {
		t.Error("body without validators differs from Feed")
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	c, srv := serveCatalogue(t, Config{Seed: 2, Shows: 4, MaxEpisodes: 30})
	c.SetBaseURL(srv.URL)
	urls := c.FeedURLs()

	var wg sync.WaitGroup
	for k := range 8 {
		wg.Go(func() {
			i := k % 4
			c.AddEpisodes(i, 1)
			c.SetValidators(i, k%2 == 0)
			parseFeed(t, c.Feed(i))
			parseFeed(t, readBody(t, get(t, urls[i], nil)))
		})
	}
	wg.Wait()
	if got, want := c.Shows()[0].Episodes, New(Config{Seed: 2, Shows: 4, MaxEpisodes: 30}).Shows()[0].Episodes+2; got != want {
		t.Errorf("Episodes after two AddEpisodes(0, 1) = %d, want %d", got, want)
	}
}

func TestAudio(t *testing.T) {
	t.Parallel()
	c, srv := serveCatalogue(t, Config{Seed: 1, Shows: 2, MinEpisodes: 3})
	c.SetBaseURL(srv.URL)
	item := parseFeed(t, c.Feed(0)).Channel.Items[0]

	res := get(t, item.Enclosure.URL, nil)
	body := readBody(t, res)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "audio/mpeg" {
		t.Fatalf("GET %s: status %d, Content-Type %q", item.Enclosure.URL, res.StatusCode, res.Header.Get("Content-Type"))
	}
	if len(body) != mp3FrameSize*mp3Frames || body[0] != 0xff || body[1]&0xe0 != 0xe0 {
		t.Errorf("body is %d bytes starting % x; want MP3 frames", len(body), body[:4])
	}

	res = get(t, item.Enclosure.URL, http.Header{"Range": {"bytes=144-287"}})
	if body := readBody(t, res); res.StatusCode != http.StatusPartialContent || !bytes.Equal(body, silentMP3[144:288]) {
		t.Errorf("Range request: status %d, %d bytes; want 206 with the second frame", res.StatusCode, len(body))
	}

	missing := srv.URL + "/audio/" + c.Shows()[0].Slug + "/999.mp3"
	if got := get(t, missing, nil).StatusCode; got != http.StatusNotFound {
		t.Errorf("GET unpublished episode: status %d, want 404", got)
	}
}

func TestOPMLListsAllFeeds(t *testing.T) {
	t.Parallel()
	c, srv := serveCatalogue(t, Config{Seed: 5, Shows: 40})
	c.SetBaseURL(srv.URL)

	var doc opml
	if err := xml.Unmarshal(readBody(t, get(t, srv.URL+"/opml", nil)), &doc); err != nil {
		t.Fatalf("OPML: %v", err)
	}
	var urls []string
	for _, o := range doc.Body {
		urls = append(urls, o.XMLURL)
	}
	if !slices.Equal(urls, c.FeedURLs()) {
		t.Errorf("OPML xmlUrls = %v\nwant FeedURLs %v", urls, c.FeedURLs())
	}
	for _, u := range urls[:3] {
		if res := get(t, u, nil); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s from OPML: status %d", u, res.StatusCode)
		}
	}
}

func TestFeedIndexAndImages(t *testing.T) {
	t.Parallel()
	c, srv := serveCatalogue(t, Config{Seed: 5, Shows: 10})
	c.SetBaseURL(srv.URL)

	page := string(readBody(t, get(t, srv.URL+"/", nil)))
	if got := strings.Count(page, "<li>"); got != 10 {
		t.Errorf("index lists %d shows, want 10", got)
	}
	res := get(t, c.Shows()[3].ImageURL, nil)
	if _, err := png.Decode(res.Body); err != nil || res.Header.Get("Content-Type") != "image/png" {
		t.Errorf("cover art: Content-Type %q, decode error %v", res.Header.Get("Content-Type"), err)
	}
	if got := get(t, srv.URL+"/feeds/no-such-show.xml", nil).StatusCode; got != http.StatusNotFound {
		t.Errorf("GET unknown feed: status %d, want 404", got)
	}
}

func TestServe(t *testing.T) {
	t.Parallel()
	c := New(Config{Seed: 9, Shows: 2})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	base, err := c.Serve(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") || c.BaseURL() != base {
		t.Fatalf("Serve returned %q, BaseURL() = %q", base, c.BaseURL())
	}
	res := get(t, c.FeedURLs()[0], nil)
	if !bytes.Equal(readBody(t, res), c.Feed(0)) {
		t.Error("served feed differs from Feed(0)")
	}
}

func TestTemplatesExpand(t *testing.T) {
	t.Parallel()
	v := vars{host: "H", lead: "L", guest: [2]string{"G", "F"}, subject: "s", other: "o", topic: "t", name: "N",
		role: "R", adj: "A", gerund: "Gerund", guestAs: "a", show: "Show", link: "l", site: "x", cadence: "c"}
	for _, l := range languages {
		var all []string
		all = append(all, l.showTitles...)
		all = append(all, l.showIntro...)
		all = append(all, l.showMore...)
		all = append(all, l.numbering...)
		all = append(all, l.serialNumbering...)
		all = append(all, l.episodeTitles...)
		all = append(all, l.guestOpen...)
		all = append(all, l.soloOpen...)
		all = append(all, l.more...)
		all = append(all, l.showLink, l.notes)
		for _, tmpl := range all {
			if got := string(expand(nil, tmpl, &v)); strings.ContainsAny(got, "{}") {
				t.Errorf("%s: expand(%q) = %q", l.codes[0], tmpl, got)
			}
		}
		for _, g := range l.genres {
			if len(g.topics) == 0 || len(g.subjects) < 2 || (l == &english) != (len(g.roles) > 0) {
				t.Errorf("%s genre %s: missing words", l.codes[0], g.category)
			}
		}
	}
}

func TestTitleCase(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"rebuilding the kitchen garden", "Rebuilding the Kitchen Garden"},
		{"the kitchen garden: a beginner's guide", "The Kitchen Garden: A Beginner's Guide"},
		{"inside self-improvement", "Inside Self-Improvement"},
		{"learning Spanish as an adult", "Learning Spanish as an Adult"},
		{"écologie", "Écologie"},
	}
	for _, tt := range tests {
		if got := string(titleCase([]byte(tt.in), 0)); got != tt.want {
			t.Errorf("titleCase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAppendDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		secs, style int
		want        string
	}{
		{3723, 0, "3723"},
		{3723, 1, "62:03"},
		{3723, 2, "1:02:03"},
		{2712, 2, "45:12"},
		{3723, 3, "01:02:03"},
	}
	for _, tt := range tests {
		if got := string(appendDuration(nil, tt.secs, tt.style)); got != tt.want {
			t.Errorf("appendDuration(%d, %d) = %q, want %q", tt.secs, tt.style, got, tt.want)
		}
	}
}

func TestSlugsAreUnique(t *testing.T) {
	t.Parallel()
	c := New(Config{Seed: 11, Shows: 2000, MaxEpisodes: 2})
	seen := map[string]bool{}
	for _, s := range c.Shows() {
		if seen[s.Slug] || s.Slug != slugify(s.Slug) {
			t.Errorf("slug %q repeated or not a slug", s.Slug)
		}
		seen[s.Slug] = true
	}
}

// serveCatalogue returns a catalogue made with cfg and a test server for its handler.
func serveCatalogue(t *testing.T, cfg Config) (*Catalogue, *httptest.Server) {
	t.Helper()
	c := New(cfg)
	srv := httptest.NewServer(c.Handler())
	t.Cleanup(srv.Close)
	return c, srv
}

func get(t *testing.T, url string, header http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header
	if req.Header == nil {
		req.Header = http.Header{}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	return res
}

func readBody(t *testing.T, res *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	res.Body = io.NopCloser(bytes.NewReader(b))
	return b
}

// BenchmarkFeed measures rendering one large feed, the unit of both the crawl benchmarks and
// the million-episode index build.
func BenchmarkFeed(b *testing.B) {
	c := New(Config{Seed: 1, Shows: 1, MinEpisodes: 1000, MaxEpisodes: 1000})
	buf := c.AppendFeed(nil, 0, 0)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = c.AppendFeed(buf[:0], 0, 0)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/episode")
}

// BenchmarkNew measures generating a catalogue of 2,000 shows (about half a million episodes).
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		New(Config{Seed: 1, Shows: 2000, MaxEpisodes: 2000})
	}
}

func TestAppendRFC1123Z(t *testing.T) {
	t.Parallel()
	times := []time.Time{
		time.Date(2025, time.January, 6, 9, 0, 0, 0, time.UTC),
		time.Date(1999, time.December, 31, 23, 59, 59, 0, time.FixedZone("", -(3*3600+30*60))),
		time.Date(2031, time.May, 1, 1, 2, 3, 0, time.FixedZone("", 10*3600)),
	}
	for _, tm := range times {
		if got, want := string(appendRFC1123Z(nil, tm)), tm.Format(time.RFC1123Z); got != want {
			t.Errorf("appendRFC1123Z = %q, want %q", got, want)
		}
	}
}

func TestCachedBodiesFollowChanges(t *testing.T) {
	t.Parallel()
	c, srv := serveCatalogue(t, Config{Seed: 1, Shows: 2, CacheBodies: true})
	url := srv.URL + "/feeds/" + c.Shows()[1].Slug + ".xml"
	first := readBody(t, get(t, url, nil))
	if again := readBody(t, get(t, url, nil)); !bytes.Equal(again, first) || !bytes.Equal(first, c.Feed(1)) {
		t.Fatal("cached body differs from Feed")
	}
	c.AddEpisodes(1, 1)
	after := readBody(t, get(t, url, nil))
	if bytes.Equal(after, first) || !bytes.Equal(after, c.Feed(1)) {
		t.Error("cached body did not follow AddEpisodes")
	}
	c.SetBaseURL("http://elsewhere.example")
	if moved := readBody(t, get(t, url, nil)); !bytes.Contains(moved, []byte("http://elsewhere.example/audio/")) {
		t.Error("cached body did not follow SetBaseURL")
	}
}
