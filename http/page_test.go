package http_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"hark"
	"hark/artwork"
	podhttp "hark/http"
)

func TestHomePage(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	addJazzShow(t, b.store)

	doc := b.getPage(t, "/", http.StatusOK)
	form := doc.Find(`main form[action="/search"][method="get"]`)
	if form.Find(`input[name="q"]`).Length() != 1 {
		t.Error("home page has no search form with an input named q")
	}
	if got := doc.Find(".stats strong").First().Text(); got != "1" {
		t.Errorf("podcast count = %q, want 1", got)
	}
	if doc.Find(`a[href="/docs/api"]`).Length() == 0 {
		t.Error("home page does not link to the API docs")
	}
}

func TestSearchPage(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	b.reindex(t)

	if n := b.getPage(t, "/search?q=jazz", http.StatusOK).Find(".results .episode-result").Length(); n != 3 {
		t.Errorf("got %d episode results by relevance, want 3", n)
	}
	doc := b.getPage(t, "/search?q=jazz&sort=date", http.StatusOK)
	hits := doc.Find(".results .episode-result")
	if hits.Length() != 3 {
		t.Fatalf("got %d episode results, want 3", hits.Length())
	}
	first := hits.First()
	if href, _ := first.Find("h3 a").Attr("href"); href != podhttp.EpisodePath(jazz.episodes[0].ID, jazz.episodes[0].Title) {
		t.Errorf("first result links to %q, want the newest episode", href)
	}
	if got := first.Find("h3 a .ln-search-highlight").Text(); got != "jazz" {
		t.Errorf("highlight = %q, want jazz", got)
	}
	if href, _ := first.Find(".meta a").Attr("href"); href != podhttp.PodcastPath(jazz.podcast.ID, jazz.podcast.Title) {
		t.Errorf("podcast link = %q", href)
	}
	if got := first.Find(".meta").Text(); !strings.Contains(got, "Mar 15, 2026") || !strings.Contains(got, "40 min") {
		t.Errorf("meta = %q, want date and duration", got)
	}
	if got, _ := doc.Find(`.site-header input[name="q"]`).Attr("value"); got != "jazz" {
		t.Errorf("search box holds %q, want the query", got)
	}
	if doc.Find("script:not([src])").Length() != 0 {
		t.Error("results page has an inline script")
	}

	doc = b.getPage(t, "/search?q=jazz&type=podcast", http.StatusOK)
	if href, _ := doc.Find(".results .podcast-result h3 a").Attr("href"); href != podhttp.PodcastPath(jazz.podcast.ID, jazz.podcast.Title) {
		t.Errorf("podcast result links to %q", href)
	}
	if doc.Find(`.tabs a[aria-current="page"]`).Text() != "Podcasts" {
		t.Error("podcasts tab is not marked current")
	}

	doc = b.getPage(t, "/search?q=zither", http.StatusOK)
	if !strings.Contains(doc.Find(".notice").Text(), "No episodes match") {
		t.Errorf("no-results page says %q", doc.Find(".notice").Text())
	}

	doc = b.getPage(t, "/search", http.StatusOK)
	if doc.Find(".results").Length() != 0 {
		t.Error("empty search shows results")
	}
}

func TestSearchPagePaging(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	var eps []hark.Episode
	for i := range 12 {
		eps = append(eps, hark.Episode{GUID: fmt.Sprint(i), Title: fmt.Sprint("Piano ", i), PublishedAt: day.AddDate(0, 0, i)})
	}
	addShow(t, b.store, "https://feeds.example.com/piano.xml", &hark.Feed{Podcast: hark.Podcast{Title: "Keys"}, Episodes: eps})
	b.reindex(t)

	doc := b.getPage(t, "/search?q=piano", http.StatusOK)
	titles := resultTitles(doc)
	if len(titles) != 10 {
		t.Errorf("page 1 has %d results, want 10", len(titles))
	}
	next, ok := doc.Find(`.pager a[rel="next"]`).Attr("href")
	if !ok {
		t.Fatal("page 1 of 2 has no next link")
	}
	doc = b.getPage(t, next, http.StatusOK)
	page2 := resultTitles(doc)
	if len(page2) != 2 {
		t.Errorf("page 2 has %d results, want 2", len(page2))
	}
	if doc.Find(`.pager a[rel="prev"]`).Length() != 1 || doc.Find(`.pager a[rel="next"]`).Length() != 0 {
		t.Error("page 2 of 2 should have a previous link and no next link")
	}
	// Page 2 goes on where page 1 stopped: together they show every episode once.
	var want []string
	for _, e := range eps {
		want = append(want, e.Title)
	}
	if diff := cmp.Diff(want, append(titles, page2...), cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("pages 1 and 2 (-want +got):\n%s", diff)
	}
}

// resultTitles returns the titles of the episode results on a search page.
func resultTitles(doc *goquery.Document) []string {
	return doc.Find(".results .episode-result h3 a").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
}

func TestSearchPageUnavailable(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	ix, addr := downIndex(t)
	doc := b.withIndex(ix).getPage(t, "/search?q=jazz", http.StatusServiceUnavailable)
	msg := doc.Find(".notice.error").Text()
	if !strings.Contains(msg, "try again") || leaksError(doc.Text(), addr) {
		t.Errorf("unavailable page says %q", msg)
	}
}

// checkSanitized fails when feed HTML got onto a page with its script or handlers.
func checkSanitized(t *testing.T, doc *goquery.Document, sel string) {
	t.Helper()
	notes := doc.Find(sel)
	if notes.Length() == 0 {
		t.Fatalf("no %s on the page", sel)
	}
	if notes.Find("b").Text() != "jazz" {
		t.Errorf("%s lost harmless formatting: %q", sel, notes.Text())
	}
	if notes.Find("script").Length() != 0 {
		t.Errorf("%s has a <script>", sel)
	}
	if html, _ := notes.Html(); strings.Contains(html, "alert(") || strings.Contains(html, "onclick") || strings.Contains(html, "onerror") || strings.Contains(html, "javascript:") {
		t.Errorf("%s keeps script: %s", sel, html)
	}
	if doc.Find("[onclick], [onerror]").Length() != 0 {
		t.Error("the page has an element with an event handler")
	}
}

func TestPodcastPage(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)

	doc := b.getPage(t, podhttp.PodcastPath(jazz.podcast.ID, jazz.podcast.Title), http.StatusOK)
	if got := doc.Find("h1").Text(); got != "The Jazz Hour" {
		t.Errorf("h1 = %q", got)
	}
	// Hark's copy of the feed's image, never the feed's URL itself.
	if src, _ := doc.Find("img.art").Attr("src"); src != "/artwork/"+artwork.Key("https://img.example/jazz.jpg")+"/600.jpg" {
		t.Errorf("artwork = %q", src)
	}
	checkSanitized(t, doc, ".description")
	if got := doc.Find(".chips").Text(); !strings.Contains(got, "Music > Music History") || !strings.Contains(got, "English") {
		t.Errorf("categories = %q", got)
	}
	if href, _ := doc.Find(`.links a:contains("RSS feed")`).Attr("href"); href != "https://feeds.example.com/jazz.xml" {
		t.Errorf("RSS link = %q", href)
	}
	crawl := doc.Find(".crawl").Text()
	for _, want := range []string{"Alive", "Mar 16, 2026", "HTTP 200 OK", "Mar 17, 2026"} {
		if !strings.Contains(crawl, want) {
			t.Errorf("crawl state %q does not say %q", crawl, want)
		}
	}
	rows := doc.Find(".episodes .episode-row")
	if rows.Length() != 3 {
		t.Fatalf("got %d episodes, want 3", rows.Length())
	}
	if audio, _ := rows.First().Find("a.play").Attr("data-ep-audio"); audio != "https://audio.example/3.mp3" {
		t.Errorf("play button audio = %q", audio)
	}
	if href, _ := rows.First().Find("h3 a").Attr("href"); href != podhttp.EpisodePath(jazz.episodes[0].ID, jazz.episodes[0].Title) {
		t.Errorf("episode link = %q", href)
	}
	if csp := b.get(t, podhttp.PodcastPath(jazz.podcast.ID, jazz.podcast.Title)).Header().Get("Content-Security-Policy"); !strings.Contains(csp, "media-src 'self' https: http:") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP = %q", csp)
	}

	doc = b.getPage(t, "/podcasts/"+hark.NewID(), http.StatusNotFound)
	if !strings.Contains(doc.Find(".error-page").Text(), "no podcast has the id") {
		t.Errorf("404 page says %q", doc.Find(".error-page").Text())
	}
}

func TestPodcastPageFailingFeed(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	err := b.store.SaveCrawlState(t.Context(), jazz.podcast.ID, hark.CrawlState{
		LastCrawledAt: day, LastHTTPStatus: 410, LastError: "the feed is gone (410)", ConsecutiveFailures: 9, Dead: true, NextCrawlAt: day.AddDate(0, 0, 7),
	})
	if err != nil {
		t.Fatal(err)
	}
	crawl := b.getPage(t, podhttp.PodcastPath(jazz.podcast.ID, jazz.podcast.Title), http.StatusOK).Find(".crawl")
	for _, want := range []string{"Dead", "HTTP 410 Gone", "the feed is gone (410)", "9"} {
		if !strings.Contains(crawl.Text(), want) {
			t.Errorf("crawl state %q does not say %q", crawl.Text(), want)
		}
	}
}

func TestEpisodePage(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	bebop := jazz.episodes[1]

	doc := b.getPage(t, podhttp.EpisodePath(bebop.ID, bebop.Title), http.StatusOK)
	audio := doc.Find("main audio[controls]")
	if src, _ := audio.Attr("src"); src != "https://audio.example/2.mp3" {
		t.Errorf("audio src = %q", src)
	}
	if pre, _ := audio.Attr("preload"); pre != "none" {
		t.Errorf("audio preload = %q, want none", pre)
	}
	if href, _ := doc.Find(`.publisher a`).Attr("href"); href != podhttp.PodcastPath(jazz.podcast.ID, jazz.podcast.Title) {
		t.Errorf("podcast link = %q", href)
	}
	if got := doc.Find(".meta").Text(); !strings.Contains(got, "Mar 8, 2026") || !strings.Contains(got, "1 h 02 min") {
		t.Errorf("meta = %q", got)
	}
	checkSanitized(t, doc, ".show-notes")
	snippet := doc.Find(".embed-code textarea").Text()
	if !strings.Contains(snippet, `<iframe src="`+testBaseURL+`/embed/episodes/`+bebop.ID+`"`) {
		t.Errorf("embed snippet = %q", snippet)
	}

	// Plain-text notes keep their paragraphs.
	doc = b.getPage(t, podhttp.EpisodePath(jazz.episodes[0].ID, jazz.episodes[0].Title), http.StatusOK)
	if n := doc.Find(".show-notes p").Length(); n != 2 {
		t.Errorf("plain-text notes became %d paragraphs, want 2", n)
	}

	b.getPage(t, "/episodes/"+hark.NewID(), http.StatusNotFound)
}

func TestEmbedPage(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	rec := b.get(t, "/embed/episodes/"+jazz.episodes[0].ID)
	if xfo := rec.Header().Get("X-Frame-Options"); xfo != "" {
		t.Errorf("embed page sends X-Frame-Options %q; other sites could not frame it", xfo)
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors *") {
		t.Errorf("embed CSP = %q, want frame-ancestors *", csp)
	}
	doc := parsePage(t, rec, http.StatusOK)
	if src, _ := doc.Find("audio[controls]").Attr("src"); src != "https://audio.example/3.mp3" {
		t.Errorf("embed audio = %q", src)
	}
	if doc.Find(".site-header").Length() != 0 {
		t.Error("embed page has the site header")
	}

	if xfo := b.get(t, podhttp.EpisodePath(jazz.episodes[0].ID, jazz.episodes[0].Title)).Header().Get("X-Frame-Options"); xfo != "DENY" {
		t.Errorf("episode page X-Frame-Options = %q, want DENY", xfo)
	}
}

func TestSubmitPage(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)

	doc := b.getPage(t, "/submit", http.StatusOK)
	if doc.Find(`form[method="post"][action="/submit"] input[name="rss"]`).Length() != 1 {
		t.Fatal("submit page has no form with an rss field")
	}

	post := func(rss string) *httptest.ResponseRecorder {
		return b.postForm(t, "/submit", "/submit", url.Values{"rss": {rss}})
	}
	rec := post("https://feeds.example.com/jazz.xml")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != podhttp.PodcastPath(jazz.podcast.ID, jazz.podcast.Title)+"?submitted=known" {
		t.Fatalf("known feed: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	doc = b.getPage(t, rec.Header().Get("Location"), http.StatusOK)
	if !strings.Contains(doc.Find(".notice.ok").Text(), "already knows") {
		t.Errorf("flash = %q", doc.Find(".notice.ok").Text())
	}
	if crawls := b.takeCrawls(t); len(crawls) != 0 {
		t.Errorf("a known feed enqueued crawls of %v", crawls)
	}

	rec = post("https://new.example/feed.xml")
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.HasSuffix(loc, "?submitted=new") {
		t.Fatalf("new feed: %d to %q", rec.Code, loc)
	}
	doc = b.getPage(t, loc, http.StatusOK)
	if !strings.Contains(doc.Find(".notice.ok").Text(), "crawling") {
		t.Errorf("flash = %q", doc.Find(".notice.ok").Text())
	}
	newID := strings.TrimSuffix(strings.TrimPrefix(loc, "/podcasts/"), "?submitted=new")
	if diff := cmp.Diff([]string{newID}, b.takeCrawls(t)); diff != "" {
		t.Errorf("crawls enqueued for the new feed (-want +got):\n%s", diff)
	}

	doc = parsePage(t, post("not a url"), http.StatusBadRequest)
	if !strings.Contains(doc.Find(".notice.error").Text(), `"not a url" is not a valid URL`) {
		t.Errorf("error = %q", doc.Find(".notice.error").Text())
	}
	if v, _ := doc.Find(`input[name="rss"]`).Attr("value"); v != "not a url" {
		t.Errorf("form lost the input: %q", v)
	}
	doc = parsePage(t, post("ftp://feeds.example.com/x.xml"), http.StatusBadRequest)
	if !strings.Contains(doc.Find(".notice.error").Text(), "is not an http or https URL") {
		t.Errorf("error = %q", doc.Find(".notice.error").Text())
	}

	// A cross-site form post is refused.
	req := httptest.NewRequest(http.MethodPost, "/submit", strings.NewReader("rss=https://evil.example/feed"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	rec = httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	doc = parsePage(t, rec, http.StatusForbidden)
	if !strings.Contains(doc.Find(".error-page").Text(), "Hark's own pages") {
		t.Errorf("cross-site post page says %q", doc.Find(".error-page").Text())
	}
	if crawls := b.takeCrawls(t); len(crawls) != 0 {
		t.Errorf("refused posts enqueued crawls of %v", crawls)
	}
}

func TestAPIDocsPage(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	doc := b.getPage(t, "/docs/api", http.StatusOK)
	endpoints := doc.Find(".endpoint").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	for _, want := range []string{"/api/v2/search", "/api/v2/podcasts/{id}", "/api/v2/episodes/{id}",
		"/api/v2/podcasts/submit", "/api/v2/typeahead", "/api/v2/genres", "/api/v2/best_podcasts",
		"/api/v2/spellcheck", "/api/v2/podcasts/{id}/audience", "POST /api/v2/playlists"} {
		found := false
		for _, e := range endpoints {
			found = found || e == want
		}
		if !found {
			t.Errorf("docs do not document %s; they have %v", want, endpoints)
		}
	}
	if !strings.Contains(doc.Find("pre").Text(), testBaseURL+"/api/v2/search?q=") {
		t.Error("docs have no curl example with this server's base URL")
	}
}

func TestNotFoundPages(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	doc := b.getPage(t, "/no/such/page", http.StatusNotFound)
	if doc.Find("h1").Text() == "" {
		t.Error("404 page has no heading")
	}
}

// TestSuggestForSearchBoxes: the web search boxes' suggestions give terms and shows, with the
// show's page, for the start of a search, without an API key (the API requires one here), and
// nothing for empty or overlong text.
func TestSuggestForSearchBoxes(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	b.reindex(t)

	rec := b.get(t, "/suggest?q=the+ja")
	got := decodeJSON(t, rec, http.StatusOK)
	if terms := got["terms"].([]any); !containsAny(terms, "the jazz hour") {
		t.Errorf("terms = %v, want the show's title among them", terms)
	}
	want := []any{map[string]any{"title": "The Jazz Hour", "url": podhttp.PodcastPath(jazz.podcast.ID, jazz.podcast.Title)}}
	if diff := cmp.Diff(want, got["podcasts"]); diff != "" {
		t.Errorf("podcasts (-want +got):\n%s", diff)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=60" {
		t.Errorf("Cache-Control = %q", cc)
	}
	for _, q := range []string{"", "+++", strings.Repeat("jazz", 26)} {
		got := b.getJSON(t, "/suggest?q="+q, http.StatusOK)
		if len(got["terms"].([]any))+len(got["podcasts"].([]any)) != 0 {
			t.Errorf("suggestions for %q: %v; want none", q, got)
		}
	}
}
