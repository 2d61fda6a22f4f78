package http_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"

	"hark"
	"hark/db"
	podhttp "hark/http"
)

// addRockShow stores a second show, in another genre, with a timestamped episode and a
// transcript-less one.
func addRockShow(t *testing.T, b *testBundle) show {
	t.Helper()
	return addShow(t, b.store, "https://feeds.example.com/rock.xml", &hark.Feed{
		Podcast: hark.Podcast{Title: "Rock Talk", Publisher: "Ann Example", Description: "Guitars.",
			Language: "en", Categories: []string{"Comedy"}, GenreIDs: []int{1303}},
		Episodes: []hark.Episode{
			{GUID: "r1", Title: "Riffs and jazz", Description: `<p>Intro at 0:45, the riff at 12:34 and the end at 1:02:03. ` +
				`<a href="https://x.example/">Link at 3:21</a></p>`,
				AudioURL: "https://audio.example/r1.mp3", AudioLengthSec: 4000, PublishedAt: day.AddDate(0, 0, 20)},
		},
	})
}

func TestHomePageShelves(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	rock := addRockShow(t, b)

	doc := b.getPage(t, "/", http.StatusOK)
	if got := doc.Find(`#new-episodes ~ .episodes .episode-row h3 a`).First().Text(); got != "Riffs and jazz" {
		t.Errorf("first newly published episode = %q, want the rock show's", got)
	}
	if n := doc.Find(`#new-episodes ~ .episodes .episode-row`).Length(); n != 2 {
		t.Errorf("newly published lists %d episodes, want the newest of each show (2)", n)
	}
	if n := doc.Find(`#new-shows ~ .shelf .podcast-card`).Length(); n != 2 {
		t.Errorf("recently added lists %d shows, want 2", n)
	}
	if href, _ := doc.Find(`#genre-1310 ~ .shelf a`).Attr("href"); href != podhttp.PodcastPath(jazz.podcast.ID, jazz.podcast.Title) {
		t.Errorf("Music shelf links %q, want the jazz show", href)
	}
	if href, _ := doc.Find(`#genre-1303 ~ .shelf a`).Attr("href"); href != podhttp.PodcastPath(rock.podcast.ID, rock.podcast.Title) {
		t.Errorf("Comedy shelf links %q, want the rock show", href)
	}
	if doc.Find(`#genre-1487`).Length() != 0 {
		t.Error("home page shows an empty History shelf")
	}
	if audio, _ := doc.Find(`.episode-row a.play`).First().Attr("data-ep-audio"); audio != "https://audio.example/r1.mp3" {
		t.Errorf("play button audio = %q", audio)
	}
}

func TestGenreAndPublisherPages(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	rock := addRockShow(t, b)

	doc := b.getPage(t, "/genres", http.StatusOK)
	if doc.Find(`a[href="/genres/1310"]`).Text() != "Music" {
		t.Error("genres page does not link Music")
	}
	doc = b.getPage(t, "/genres/1310", http.StatusOK)
	if got := doc.Find("h1").Text(); got != "Best Music podcasts" {
		t.Errorf("genre h1 = %q", got)
	}
	if href, _ := doc.Find(".shelf a").Attr("href"); href != podhttp.PodcastPath(jazz.podcast.ID, jazz.podcast.Title) || doc.Find(".shelf a").Length() != 1 {
		t.Errorf("Music page links %q (%d shows), want the jazz show alone", href, doc.Find(".shelf a").Length())
	}
	if doc.Find(`a[rel="next"]`).Length() != 0 {
		t.Error("one page of shows has a next link")
	}
	b.getPage(t, "/genres/99999", http.StatusNotFound)

	doc = b.getPage(t, podhttp.PodcastPath(rock.podcast.ID, rock.podcast.Title), http.StatusOK)
	href, _ := doc.Find(".publisher a").Attr("href")
	if href != "/publishers/Ann%20Example" {
		t.Fatalf("publisher link = %q", href)
	}
	doc = b.getPage(t, href, http.StatusOK)
	if n := doc.Find(".shelf .podcast-card").Length(); n != 2 {
		t.Errorf("publisher page lists %d shows, want 2", n)
	}
	b.getPage(t, "/publishers/Nobody", http.StatusNotFound)
}

func TestSearchPageFilters(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	rock := addRockShow(t, b)
	b.reindex(t)

	count := func(target string) int {
		return b.getPage(t, target, http.StatusOK).Find(".results .episode-result").Length()
	}
	if n := count("/search?q=jazz"); n != 4 {
		t.Errorf("jazz finds %d episodes, want 4", n)
	}
	if n := count("/search?q=jazz&genre=1303"); n != 1 {
		t.Errorf("jazz in Comedy finds %d episodes, want 1", n)
	}
	if n := count("/search?q=jazz&podcast=" + jazz.podcast.ID); n != 3 {
		t.Errorf("jazz within the jazz show finds %d, want 3", n)
	}
	if n := count("/search?q=jazz&len_min=50"); n != 2 {
		t.Errorf("jazz of 50 min or more finds %d, want 2 (Bebop, Riffs)", n)
	}
	if n := count("/search?q=jazz&after=2026-03-10&before=2026-03-16"); n != 1 {
		t.Errorf("jazz published Mar 10-16 finds %d, want 1", n)
	}
	doc := b.getPage(t, "/search?q=jazz&genre=1303&sort=date", http.StatusOK)
	if v, _ := doc.Find(`#f-genre option[selected]`).Attr("value"); v != "1303" {
		t.Errorf("genre filter shows %q selected", v)
	}
	if href, _ := doc.Find(".tabs a").First().Attr("href"); !strings.Contains(href, "genre=1303") {
		t.Errorf("tab link %q drops the filter", href)
	}
	if got := doc.Find(".results h3 a .ln-search-highlight").Text(); !strings.EqualFold(got, "jazz") {
		t.Errorf("highlight = %q", got)
	}
	doc = b.getPage(t, "/search?q=zither&genre=1303", http.StatusOK)
	if got := doc.Find(".notice h1").Text(); !strings.Contains(got, "with these filters") {
		t.Errorf("no-results heading = %q", got)
	}
	_ = rock
}

func TestEpisodePagePlayerParts(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	rock := addRockShow(t, b)
	e := rock.episodes[0]

	doc := b.getPage(t, podhttp.EpisodePath(e.ID, e.Title)+"?t=754", http.StatusOK)
	if src, _ := doc.Find("main audio[controls]").Attr("src"); src != e.AudioURL+"#t=754" {
		t.Errorf("audio src = %q, want the media fragment of t", src)
	}
	var times []string
	doc.Find(".show-notes a.ts").Each(func(_ int, s *goquery.Selection) {
		t, _ := s.Attr("data-t")
		times = append(times, t)
	})
	if strings.Join(times, ",") != "45,754,3723" {
		t.Errorf("timestamp links = %v, want 45,754,3723 (none inside the feed's own link)", times)
	}
	if id, _ := doc.Find("[data-page-episode]").Attr("data-ep-id"); id != e.ID {
		t.Errorf("page player episode = %q", id)
	}
	if n := doc.Find(`[data-play][data-ep-id="` + e.ID + `"]`).Length(); n != 1 {
		t.Errorf("%d play buttons for the page's episode, want 1", n)
	}
	if doc.Find("#recs-title").Length() != 0 {
		t.Error("recommendations without a show of the same genre")
	}
	comedy := addShow(t, b.store, "https://feeds.example.com/jokes.xml", &hark.Feed{
		Podcast:  hark.Podcast{Title: "Jokes", Language: "en", GenreIDs: []int{1303}},
		Episodes: []hark.Episode{{GUID: "j1", Title: "Knock knock", AudioURL: "https://audio.example/j1.mp3", PublishedAt: day}},
	})
	// The list is kept per show for a while: the new show shows up in it when it expires.
	recommended := func() string {
		t.Helper()
		doc = b.getPage(t, podhttp.EpisodePath(e.ID, e.Title), http.StatusOK)
		href, _ := doc.Find("#recs-title ~ .episodes h3 a").Attr("href")
		return href
	}
	if href := recommended(); href != "" {
		t.Errorf("the show's kept list changed before it expired: it links %q", href)
	}
	podhttp.AgeSimilarLists(b.srv, podhttp.SimilarTTL)
	if href := recommended(); href != podhttp.EpisodePath(comedy.episodes[0].ID, comedy.episodes[0].Title) {
		t.Errorf("recommendation links %q, want the other comedy show's latest episode", href)
	}
	// A show whose own genres change gets a new list at once.
	feed := &hark.Feed{Podcast: rock.podcast, Episodes: rock.episodes}
	feed.Podcast.GenreIDs, feed.Podcast.Categories = []int{1310}, []string{"Music"}
	err := b.store.InTx(t.Context(), func(_ pgx.Tx, st *db.Store) error {
		if _, err := st.LockPodcast(t.Context(), rock.podcast.ID); err != nil {
			return err
		}
		_, err := st.SaveCrawl(t.Context(), rock.podcast.ID, feed, hark.CrawlState{NextCrawlAt: day}, db.Fingerprint{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if href := recommended(); href != podhttp.EpisodePath(jazz.episodes[0].ID, jazz.episodes[0].Title) {
		t.Errorf("after the show moved to another genre, recommendation links %q, want the jazz show's latest episode", href)
	}
	if doc.Find(`script:not([src]):not([type="application/ld+json"])`).Length() != 0 || doc.Find("[onclick],[style]").Length() != 0 {
		t.Error("episode page has inline script, handler or style")
	}
	if got := doc.Find(`button[data-copy="embed-snippet"]`).Length(); got != 1 {
		t.Error("no copy embed code button")
	}
}

func TestEmbedPodcastNoCookies(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	for _, target := range []string{"/embed/podcasts/" + jazz.podcast.ID, "/embed/episodes/" + jazz.episodes[0].ID} {
		rec := b.get(t, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", target, rec.Code)
		}
		if c := rec.Header().Values("Set-Cookie"); len(c) != 0 {
			t.Errorf("%s sets cookies %q", target, c)
		}
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors *") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s CSP = %q", target, csp)
		}
	}
	doc := b.getPage(t, "/embed/podcasts/"+jazz.podcast.ID, http.StatusOK)
	if n := doc.Find(".embed-list li").Length(); n != 3 {
		t.Errorf("podcast embed lists %d episodes, want 3", n)
	}
	if src, _ := doc.Find("audio").Attr("src"); src != "https://audio.example/3.mp3" {
		t.Errorf("podcast embed plays %q first, want the newest", src)
	}
	doc = b.getPage(t, podhttp.PodcastPath(jazz.podcast.ID, jazz.podcast.Title), http.StatusOK)
	if !strings.Contains(doc.Find("#embed-snippet").Text(), "/embed/podcasts/"+jazz.podcast.ID) {
		t.Error("podcast page has no embed snippet of its player")
	}
}

func TestStaticFingerprints(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	doc := b.getPage(t, "/genres", http.StatusOK)
	src, _ := doc.Find(`script[type="module"]`).First().Attr("src")
	if !regexp.MustCompile(`^/static/app\.[0-9a-f]{8}\.js$`).MatchString(src) {
		t.Fatalf("script src = %q, want a fingerprinted name", src)
	}
	rec := b.get(t, src)
	if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("%s: %d, Cache-Control %q", src, rec.Code, rec.Header().Get("Cache-Control"))
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("%s Content-Type = %q, want JavaScript for a module", src, ct)
	}
	if rec := b.get(t, "/static/app.js"); rec.Header().Get("Cache-Control") != "public, max-age=3600" {
		t.Errorf("plain name Cache-Control = %q", rec.Header().Get("Cache-Control"))
	}
	if rec := b.get(t, "/static/app.00000000.js"); rec.Code != http.StatusNotFound {
		t.Errorf("a stale fingerprint answers %d, want 404", rec.Code)
	}
}
