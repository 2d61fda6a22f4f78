package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"hark"
	"hark/artwork"
	"hark/db"
	podhttp "hark/http"
)

// pageSample is what the pages section builds its URLs from: shows and episodes of the
// catalogue, their genres, and words of their titles to search for.
type pageSample struct {
	podcasts, episodes, genres, publishers, queries []string
	// podcastPages and episodePages are the canonical (slugged) paths of podcasts and
	// episodes: the links pages, search engines and sitemaps give. An ID-only path answers a
	// 301 to them, which the podcast and episode kinds would time as well.
	podcastPages, episodePages []string
	artwork                    []string // paths of the 300 px copies of the podcasts' artwork
}

// pageKinds are the kinds of page the pages section times, each with the paths of its sample.
// A new kind of page is one line here.
var pageKinds = []struct {
	name  string
	paths func(s pageSample) []string
}{
	{"home", func(pageSample) []string { return []string{"/"} }},
	{"search", func(s pageSample) []string { return prefixed("/search?q=", s.queries) }},
	{"podcast", func(s pageSample) []string { return s.podcastPages }},
	{"episode", func(s pageSample) []string { return s.episodePages }},
	{"genre", func(s pageSample) []string { return prefixed("/genres/", s.genres) }},
	{"publisher", func(s pageSample) []string { return prefixed("/publishers/", s.publishers) }},
	{"embed", func(s pageSample) []string { return prefixed("/embed/episodes/", s.episodes) }},
	{"embed-podcast", func(s pageSample) []string { return prefixed("/embed/podcasts/", s.podcasts) }},
	{"sitemap", func(pageSample) []string {
		return []string{"/sitemap.xml", "/sitemaps/podcasts-1.xml", "/sitemaps/episodes-1.xml", "/sitemaps/episodes-2.xml"}
	}},
	{"artwork", func(s pageSample) []string { return s.artwork }},
}

func prefixed(prefix string, ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = prefix + id
	}
	return out
}

// pageClients is how many clients load the pages at once.
const pageClients = 4

// benchPages times every kind of page through Hark's web server at pageClients clients, and the
// API's search for the same words as the search page. The times are what a client on loopback
// waits: the server's time and a loopback round trip.
func (e *env) benchPages(ctx context.Context) error {
	api, err := e.startAPI(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	s, err := e.pageSample(ctx, 50)
	if err != nil {
		return err
	}
	if len(s.podcasts) == 0 || len(s.queries) == 0 {
		return fmt.Errorf("no podcasts with episodes to sample; run the crawl section or -reuse a kept dataset")
	}
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: pageClients, DisableCompression: true}}
	n := e.opts.pageRequests
	page0 := func(p string) *http.Request {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, api.URL+p, nil)
		return req
	}
	page := get(page0)
	crawlerGet := get(func(p string) *http.Request {
		req := page0(p)
		req.Header.Set("Accept-Encoding", "gzip")
		return req
	})
	key, _, err := e.store.CreateAPIKey(ctx, "pages", 0)
	if err != nil {
		return err
	}
	apiSearch := get(func(q string) *http.Request {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, api.URL+"/api/v2/search?q="+q, nil)
		req.Header.Set("X-ListenAPI-Key", key)
		return req
	})
	for _, k := range pageKinds {
		paths := k.paths(s)
		if len(paths) == 0 {
			e.result("pages %-13s no sample in this catalogue", k.name)
			continue
		}
		answer := page
		if k.name == "sitemap" {
			// Search engines' crawlers take gzip, which is how the files are stored. In
			// production build_sitemaps has stored every file before a crawler asks: the first
			// fetch of each here stores it as the job would, untimed.
			answer = crawlerGet
			if _, err := load(ctx, c, 1, len(paths), paths, answer); err != nil {
				return fmt.Errorf("sitemaps: %w", err)
			}
		}
		if k.name != "search" {
			st, err := load(ctx, c, pageClients, n, paths, answer)
			if err != nil {
				return fmt.Errorf("%s pages: %w", k.name, err)
			}
			e.reportPages(k.name, len(paths), st)
			continue
		}
		// The first search of each query asks Typesense; the repeats are answered by the web
		// process's search cache (the replay section measures a realistic mix). The cold pass
		// is timed on its own, so that the turns below compare the page with the API on equal
		// terms: otherwise whichever asks first pays every miss.
		cold, err := load(ctx, c, pageClients, len(paths), paths, page)
		if err != nil {
			return fmt.Errorf("search pages: %w", err)
		}
		e.reportPages("search-cold", len(paths), cold)
		// The search page and the API's search take turns, so that a slow spell of the shared
		// machine falls on both.
		var pages, searches loadStats
		for range pageTurns {
			st, err := load(ctx, c, pageClients, max(1, n/pageTurns), paths, page)
			if err != nil {
				return fmt.Errorf("search pages: %w", err)
			}
			pages.add(st)
			if st, err = load(ctx, c, pageClients, max(1, n/pageTurns), s.queries, apiSearch); err != nil {
				return fmt.Errorf("API search: %w", err)
			}
			searches.add(st)
		}
		e.reportPages(k.name, len(paths), &pages)
		e.reportPages("api-search", len(s.queries), &searches)
	}
	return nil
}

// pageTurns is how many turns the search page and the API's search take.
const pageTurns = 4

// reportPages prints the times of one kind of page.
func (e *env) reportPages(kind string, urls int, st *loadStats) {
	slices.Sort(st.lat)
	e.result("pages %-13s %d clients: p50 %5.1f ms p95 %5.1f ms, %5.0f a second (%d answered, %d failed, %d URLs)",
		kind, pageClients, ms(st.p(50)), ms(st.p(95)), st.qps(), len(st.lat), st.errors, urls)
}

// pageSample takes up to n of the best shows, their latest episodes, genres, publishers and the
// longest word of each title (escaped for URLs).
func (e *env) pageSample(ctx context.Context, n int) (pageSample, error) {
	pods, _, err := e.store.FindBestPodcasts(ctx, db.BestPodcastFilter{Sort: "listen_score", Limit: n})
	if err != nil {
		return pageSample{}, err
	}
	var s pageSample
	genres, publishers := map[int]bool{}, map[string]bool{}
	for _, p := range pods {
		s.podcasts = append(s.podcasts, p.ID)
		s.podcastPages = append(s.podcastPages, hark.PodcastPath(p.ID, p.Title))
		if p.ImageURL != "" {
			if err := e.ensureArtwork(ctx, p.ImageURL, p.Title); err != nil {
				return pageSample{}, err
			}
			s.artwork = append(s.artwork, "/artwork/"+artwork.Key(p.ImageURL)+"/"+strconv.Itoa(artwork.Small)+".jpg")
		}
		if w := podhttp.ExampleWord(p.Title); w != "" {
			s.queries = append(s.queries, url.QueryEscape(strings.ToLower(w)))
		}
		for _, g := range p.GenreIDs {
			if !genres[g] {
				genres[g] = true
				s.genres = append(s.genres, strconv.Itoa(g))
			}
		}
		if p.Publisher != "" && !publishers[p.Publisher] {
			publishers[p.Publisher] = true
			s.publishers = append(s.publishers, url.PathEscape(p.Publisher))
		}
	}
	eps, err := e.store.FindEpisodes(ctx, db.EpisodeFilter{PodcastIDs: s.podcasts, Limit: 1})
	if err != nil {
		return pageSample{}, err
	}
	for _, ep := range eps {
		s.episodes = append(s.episodes, ep.ID)
		s.episodePages = append(s.episodePages, hark.EpisodePath(ep.ID, ep.Title))
	}
	if len(s.genres) == 0 {
		s.genres = []string{"1301"}
	}
	return s, nil
}

// ensureArtwork stores copies of a generated cover for imageURL unless Hark holds copies of it:
// the generated catalogue's image URLs name hosts the bench does not reach, and the artwork
// kind times serving a stored copy, which is what pages link.
func (e *env) ensureArtwork(ctx context.Context, imageURL, title string) error {
	key := artwork.Key(imageURL)
	if c, err := e.store.FindArtworkCopy(ctx, key, artwork.Small, ""); err == nil && c.Bytes != nil {
		return nil
	}
	img := image.NewRGBA(image.Rect(0, 0, 1400, 1400))
	h := uint8(artwork.Hue(title))
	for y := range 1400 {
		for x := range 1400 {
			img.Set(x, y, color.RGBA{h, uint8(x / 6), uint8(y / 6), 255})
		}
	}
	var src bytes.Buffer
	if err := png.Encode(&src, img); err != nil {
		return err
	}
	r, err := artwork.Render(src.Bytes())
	if err != nil {
		return err
	}
	return e.store.SaveArtwork(ctx, db.Artwork{Key: key, SourceURL: imageURL, Title: title, ContentType: r.ContentType(),
		Width: r.Width, Height: r.Height, Small: r.Copies[artwork.Small], Large: r.Copies[artwork.Large],
		Digest: artwork.Digest(append(append([]byte{}, r.Copies[artwork.Small]...), r.Copies[artwork.Large]...))})
}
