package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hark"
	"hark/db"
	podhttp "hark/http"
	"hark/internal/browsertest"
)

// TestBrowser runs the site in headless Chromium as a new user would, on the demo catalogue:
// typeahead, search, a podcast, an episode, play, skip, reload and resume, browsing on while the
// audio plays, and the embed in another origin's iframe. Every page it visits must have no broken
// image, no serious accessibility violation (axe-core), no script error and no CSP report.
// Screenshots go to .data/screenshots/.
func TestBrowser(t *testing.T) {
	t.Parallel()
	b := browsertest.Start(t)
	site := startDemoSite(t, 8)
	ctx := context.Background()
	pods, _, err := site.app.Store.FindBestPodcasts(ctx, db.BestPodcastFilter{Sort: "listen_score", Limit: 1})
	if err != nil || len(pods) == 0 {
		t.Fatalf("no demo podcast: %v", err)
	}
	show := pods[0]
	check := func(name string) {
		t.Helper()
		b.Screenshot(t, name)
		if n := b.CheckImages(t, name); n == 0 && name != "search" {
			t.Errorf("%s: no image at all", name)
		}
		b.CheckAccessibility(t, name)
		for _, p := range b.Problems() {
			t.Errorf("%s: %s", name, p)
		}
	}
	eval := func(expr string) string { return browsertest.Eval[string](t, b, "String("+expr+")") }

	// Home, typeahead, search.
	b.Do(t, 30*time.Second, chromedp.Navigate(site.base+"/"), chromedp.WaitVisible(chromedp.CSS("main form.search-box input")))
	check("home")
	prefix := strings.ToLower(podhttp.ExampleWord(show.Title))
	prefix = prefix[:min(5, len(prefix))]
	b.Do(t, 10*time.Second, chromedp.SendKeys(chromedp.CSS("main form.search-box input"), prefix))
	b.WaitFor(t, 10*time.Second, `[...document.querySelector("main form.search-box input").list.options].some((o) => o.value === `+jsString(show.Title)+`)`,
		"suggesting the show "+show.Title+" for "+prefix)
	browsertest.Eval[int](t, b, `window.hark_marker = 1`)
	b.Do(t, 10*time.Second, chromedp.SendKeys(chromedp.CSS("main form.search-box input"), "\r"))
	b.WaitFor(t, 10*time.Second, `location.pathname === "/search" && document.querySelector(".results .result")`, "showing search results")
	if eval("window.hark_marker") != "1" {
		t.Error("the search reloaded the whole page instead of swapping <main>")
	}
	check("search")

	// The podcast page, then an episode.
	b.Do(t, 20*time.Second, chromedp.Navigate(site.base+"/podcasts/"+show.ID), chromedp.WaitVisible(chromedp.CSS(".episode-row h3 a")))
	check("podcast")
	b.Do(t, 10*time.Second, chromedp.Click(chromedp.CSS(".episode-row h3 a")))
	b.WaitFor(t, 10*time.Second, `location.pathname.startsWith("/episodes/") && document.querySelector("[data-page-episode] [data-play]:not([hidden])")`, "showing the episode page with its player")
	episodeURL := eval("location.href")
	check("episode")
	addChapters(t, site, eval(`document.querySelector("[data-page-episode]").dataset.epId`))

	// Play: the dock's audio plays and its time advances.
	b.Do(t, 10*time.Second, chromedp.Click(chromedp.CSS("[data-page-episode] [data-play]")))
	audio := `document.querySelector("#dock audio")`
	b.WaitFor(t, 15*time.Second, "!"+audio+".paused && "+audio+".currentTime > 0.3", "playing")
	t0 := browsertest.Eval[float64](t, b, audio+".currentTime")
	b.WaitFor(t, 10*time.Second, audio+".currentTime > "+fmt.Sprint(t0+0.5), "advancing")

	// Skip forward 30 s, then pause: the position is kept.
	b.Do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`#dock button[aria-label="Forward 30 seconds"]`)))
	b.WaitFor(t, 10*time.Second, audio+".currentTime >= 30", "skipped 30 s ahead")
	b.Do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`#dock button[aria-label="Pause"]`)))
	b.WaitFor(t, 5*time.Second, audio+".paused", "paused")
	b.Screenshot(t, "episode-playing")
	saved := browsertest.Eval[float64](t, b, `JSON.parse(localStorage.getItem("hark:pos:" + document.querySelector("[data-page-episode]").dataset.epId))`)
	if saved < 30 {
		t.Fatalf("saved position %v, want at least 30 s", saved)
	}

	// Reload and resume there.
	b.Do(t, 20*time.Second, chromedp.Navigate(episodeURL), chromedp.WaitVisible(chromedp.CSS("[data-page-episode] [data-play]")))
	b.Do(t, 10*time.Second, chromedp.Click(chromedp.CSS("[data-page-episode] [data-play]")))
	b.WaitFor(t, 15*time.Second, "!"+audio+".paused && "+audio+".currentTime >= "+fmt.Sprint(saved-1), fmt.Sprintf("resuming at %v s", saved))

	// Keys: l goes forward 30 s, j back 15 s.
	before := browsertest.Eval[float64](t, b, audio+".currentTime")
	b.Do(t, 5*time.Second, chromedp.KeyEvent("l"))
	b.WaitFor(t, 5*time.Second, audio+".currentTime >= "+fmt.Sprint(before+29), "30 s ahead after the key l")
	b.Do(t, 5*time.Second, chromedp.KeyEvent("j"))
	b.WaitFor(t, 5*time.Second, audio+".currentTime < "+fmt.Sprint(before+20), "15 s back after the key j")

	// The page reloaded with chapters: clicking one seeks the playing audio and marks it current.
	b.Do(t, 5*time.Second, chromedp.Click(chromedp.CSS("ol.chapters li:nth-child(2) a.ts")))
	b.WaitFor(t, 10*time.Second, audio+".currentTime >= 5 && "+audio+".currentTime < 12 && "+
		`document.querySelector("ol.chapters li.current")?.dataset.start === "5"`, "at the second chapter, marked current")
	if eval("location.pathname + location.search") != strings.TrimPrefix(episodeURL, site.base) {
		t.Error("clicking a chapter followed its ?t= link instead of seeking the audio")
	}
	b.CheckAccessibility(t, "episode-chapters")
	b.Screenshot(t, "episode-chapters")

	// Browse on: the page swaps, the audio plays on.
	browsertest.Eval[int](t, b, `window.hark_marker = 2`)
	b.Do(t, 10*time.Second, chromedp.Click(chromedp.CSS("main .publisher a")))
	b.WaitFor(t, 10*time.Second, `location.pathname.startsWith("/podcasts/")`, "on the podcast page")
	if eval("window.hark_marker") != "2" || eval(audio+".paused") != "false" {
		t.Error("following a link reloaded the page or stopped the audio")
	}
	b.Do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`#dock button[aria-label="Pause"]`)))

	// A phone's screen: nothing wider than the viewport.
	b.Do(t, 10*time.Second, chromedp.EmulateViewport(390, 844), chromedp.Navigate(site.base+"/"), chromedp.WaitVisible(chromedp.CSS("main form.search-box input")))
	for _, path := range []string{"/", "/podcasts/" + show.ID} {
		b.Do(t, 10*time.Second, chromedp.Navigate(site.base+path), chromedp.WaitVisible(chromedp.CSS("main h1")))
		if w := browsertest.Eval[int](t, b, "document.documentElement.scrollWidth - innerWidth"); w > 0 {
			t.Errorf("%s on a 390 px screen scrolls sideways by %d px", path, w)
		}
	}
	b.Screenshot(t, "podcast-mobile")
	b.Do(t, 10*time.Second, chromedp.EmulateViewport(1280, 900))

	checkEmbed(t, b, site, show.ID)
	for _, p := range b.Problems() {
		t.Error(p)
	}
}

// addChapters gives the episode three chapters, as the chapters job stores them.
func addChapters(t *testing.T, site *demoSite, episodeID string) {
	t.Helper()
	ctx := context.Background()
	const url = "https://chapters.example/ep.json"
	if _, err := site.app.Pool.Exec(ctx, `UPDATE episodes SET chapters_url = $2 WHERE id = $1`, episodeID, url); err != nil {
		t.Fatal(err)
	}
	chapters := []hark.Chapter{{Start: 0, Title: "Opening"}, {Start: 5, Title: "The story"}, {Start: 3000, Title: "Credits"}}
	if err := site.app.Store.SaveChapters(ctx, episodeID, url, chapters, ""); err != nil {
		t.Fatal(err)
	}
}

// checkEmbed loads the episode embed alone, then inside an iframe of a page of another origin,
// and plays it there; and checks that JSON-LD under Hark's CSP raises no report.
func checkEmbed(t *testing.T, b *browsertest.Browser, site *demoSite, podcastID string) {
	t.Helper()
	epID := browsertest.Eval[string](t, b, `document.querySelector(".episode-row [data-play]").dataset.epId`)
	b.Do(t, 20*time.Second, chromedp.Navigate(site.base+"/embed/episodes/"+epID), chromedp.WaitVisible(chromedp.CSS("[data-player-ui] .pp")))
	b.Screenshot(t, "embed")
	b.CheckImages(t, "embed")
	b.CheckAccessibility(t, "embed")
	b.Do(t, 20*time.Second, chromedp.Navigate(site.base+"/embed/podcasts/"+podcastID), chromedp.WaitVisible(chromedp.CSS("[data-player-ui] .pp")))
	b.CheckAccessibility(t, "embed-podcast")

	resp, err := http.Get(site.base + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/ld" { // structured data as "art" writes it, under Hark's own policy
			w.Header().Set("Content-Security-Policy", csp)
			fmt.Fprint(w, `<!doctype html><title>ld</title><script type="application/ld+json">{"@context":"https://schema.org","@type":"PodcastEpisode","name":"x"}</script>`)
			return
		}
		fmt.Fprintf(w, `<!doctype html><html lang="en"><title>A blog</title><h1>A blog post</h1>
<iframe id="player" src="%s/embed/episodes/%s" title="Episode player" width="600" height="180"></iframe>`, site.base, epID)
	}))
	defer other.Close()

	b.Do(t, 20*time.Second, chromedp.Navigate(other.URL+"/"))
	if browsertest.Eval[bool](t, b, `document.getElementById("player").contentDocument !== null`) {
		t.Error("the page can read the embed's document: not another origin")
	}
	ctx, cancel := context.WithTimeout(b.Ctx, 20*time.Second)
	defer cancel()
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS("#player")))
	if err != nil || len(nodes) == 0 {
		t.Fatalf("iframe node: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("[data-player-ui] .pp"), chromedp.FromNode(nodes[0])),
		chromedp.Click(chromedp.CSS("[data-player-ui] .pp"), chromedp.FromNode(nodes[0]))); err != nil {
		t.Fatalf("the embed's player inside the iframe: %v", err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		label, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("[data-player-ui] .pp"), "aria-label", chromedp.FromNode(nodes[0])))
		if err == nil && label.Value == "Pause" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the embed in the iframe does not play (button %+v, %v)", label, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	b.Screenshot(t, "embed-in-iframe")
	for _, p := range b.Problems() {
		t.Errorf("embed in iframe: %s", p)
	}

	b.Do(t, 10*time.Second, chromedp.Navigate(other.URL+"/ld"))
	if typ := browsertest.Eval[string](t, b, `JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent)["@type"]`); typ != "PodcastEpisode" {
		t.Errorf("JSON-LD @type = %q", typ)
	}
	for _, p := range b.Problems() {
		t.Errorf("JSON-LD under Hark's CSP: %s", p)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "`" + strings.NewReplacer("`", "\\`", "\\", "\\\\", "$", "\\$").Replace(s) + "`"
}
