package http

import (
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"hark"
	"hark/artwork"
)

// resultsPerPage is how many results a search page shows.
const resultsPerPage = 10

// searchPage is the data of templates/search.html.
type searchPage struct {
	Q           string
	Type        string // hark.SearchTypeEpisode or hark.SearchTypePodcast
	SortByDate  bool
	Total       int
	Took        time.Duration
	Page        int
	PageCount   int
	Episodes    []episodeHit
	Podcasts    []podcastHit
	PrevURL     string
	NextURL     string
	EpisodesURL string // the same search over episodes
	PodcastsURL string
	RelevantURL string // the same search sorted by relevance
	NewestURL   string
	Message     string // why there are no results: bad input or search down
	Filters     searchFilters
	Podcast     string // the title of the show searched within (filter podcast)
	Outage      bool   // the search index is down
}

type episodeHit struct {
	ID           string
	URL          string // the episode's page
	PodcastURL   string
	Title        template.HTML
	Snippet      template.HTML
	PodcastID    string
	PodcastTitle string
	Image        string
	Published    time.Time
	Duration     int
	Audio        string
}

type podcastHit struct {
	ID          string
	URL         string // the podcast's page
	Title       template.HTML
	Publisher   template.HTML
	Snippet     template.HTML
	Image       string
	Episodes    int
	LatestPubAt time.Time
}

// maxResultsPage keeps a page's offset within the API's limit.
const maxResultsPage = maxOffset/resultsPerPage + 1

// handleSearchPage handles "GET /search": q, type=episode|podcast, sort=date, page (from 1), and
// the filters of searchFilters.
func (s *Server) handleSearchPage(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	sp := searchPage{Q: v.Get("q"), Type: hark.SearchTypeEpisode, SortByDate: v.Get("sort") == "date", Page: 1,
		Filters: filtersOf(v)}
	if v.Get("type") == hark.SearchTypePodcast {
		sp.Type = hark.SearchTypePodcast
	}
	if n, err := strconv.Atoi(v.Get("page")); err == nil && n > 1 {
		sp.Page = min(n, maxResultsPage)
	}
	pg := page{Title: "Search", Query: sp.Q, Data: &sp}
	sp.setLinks()
	if sp.Q == "" {
		return s.render(w, http.StatusOK, "search", pg)
	}
	pg.Title = sp.Q + " – Hark search"
	if id := sp.Filters.Podcast; id != "" {
		if pod, err := s.store.FindPodcastByID(r.Context(), id); err == nil {
			sp.Podcast = pod.Title
		}
	}

	api := sp.Filters.apiValues()
	api.Set("q", sp.Q)
	api.Set("type", sp.Type)
	api.Set("offset", strconv.Itoa((sp.Page-1)*resultsPerPage))
	api.Set("page_size", strconv.Itoa(resultsPerPage))
	api.Set("sort_by_date", map[bool]string{true: "1", false: "0"}[sp.SortByDate])
	q, err := parseSearchQuery(api)
	if err != nil {
		sp.Message = hark.ErrorMessage(err)
		return s.render(w, http.StatusBadRequest, "search", pg)
	}
	res, err := s.search.Search(r.Context(), q)
	switch {
	case errors.Is(err, hark.ErrUnavailable):
		s.logUnavailable(r, err)
		sp.Outage = true
		sp.Message = "Search is taking a break: the search index is not answering right now. Please try again in a minute."
		return s.render(w, http.StatusServiceUnavailable, "search", pg)
	case errors.Is(err, hark.ErrInvalid):
		sp.Message = hark.ErrorMessage(err)
		return s.render(w, http.StatusBadRequest, "search", pg)
	case err != nil:
		return err
	}
	sp.fill(res)
	return s.render(w, http.StatusOK, "search", pg)
}

// logUnavailable logs err as the error adapter would, for a handler that answers it itself.
func (s *Server) logUnavailable(r *http.Request, err error) {
	s.logger.WarnContext(r.Context(), "Backing service unavailable", slog.Any("error", err),
		slog.String("path", r.URL.Path), slog.String("request_id", RequestID(r.Context())))
}

func (sp *searchPage) fill(res *hark.SearchResult) {
	sp.Total, sp.Took = res.Total, res.Took
	sp.PageCount = min((res.Total+resultsPerPage-1)/resultsPerPage, maxResultsPage)
	for _, h := range res.Hits {
		switch {
		case sp.Type == hark.SearchTypePodcast && h.Podcast != nil:
			sp.Podcasts = append(sp.Podcasts, podcastHitOf(h))
		case sp.Type == hark.SearchTypeEpisode && h.Episode != nil:
			sp.Episodes = append(sp.Episodes, episodeHitOf(h))
		}
	}
	sp.setLinks()
}

func episodeHitOf(h hark.SearchHit) episodeHit {
	e, p := h.Episode, h.Podcast
	if p == nil {
		p = &hark.Podcast{ID: e.PodcastID}
	}
	image, imageTitle := episodeArt(e, p)
	return episodeHit{
		ID:           e.ID,
		URL:          episodePath(e.ID, e.Title),
		PodcastURL:   podcastPath(p.ID, p.Title),
		Title:        highlighted(orEscaped(h.TitleHighlighted, e.Title)),
		Snippet:      highlighted(orEscaped(h.DescriptionHighlighted, truncate(plainText(e.Description), descriptionSnippetLength))),
		PodcastID:    p.ID,
		PodcastTitle: p.Title,
		Image:        artworkPath(image, imageTitle, artwork.Small),
		Published:    e.PublishedAt,
		Duration:     e.AudioLengthSec,
		Audio:        e.AudioURL,
	}
}

func podcastHitOf(h hark.SearchHit) podcastHit {
	p := h.Podcast
	return podcastHit{
		ID:          p.ID,
		URL:         podcastPath(p.ID, p.Title),
		Title:       highlighted(orEscaped(h.TitleHighlighted, p.Title)),
		Publisher:   highlighted(orEscaped(h.PublisherHighlighted, p.Publisher)),
		Snippet:     highlighted(orEscaped(h.DescriptionHighlighted, truncate(plainText(p.Description), descriptionSnippetLength))),
		Image:       artworkPath(p.ImageURL, p.Title, artwork.Small),
		Episodes:    p.EpisodeCount,
		LatestPubAt: p.LatestPubDate,
	}
}

// setLinks fills the tab, sort and pager links of the page.
func (sp *searchPage) setLinks() {
	link := func(typ string, byDate bool, page int) string {
		v := sp.Filters.values()
		v.Set("q", sp.Q)
		if typ == hark.SearchTypePodcast {
			v.Set("type", typ)
		}
		if byDate {
			v.Set("sort", "date")
		}
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		return "/search?" + v.Encode()
	}
	sp.EpisodesURL = link(hark.SearchTypeEpisode, sp.SortByDate, 1)
	sp.PodcastsURL = link(hark.SearchTypePodcast, sp.SortByDate, 1)
	sp.RelevantURL = link(sp.Type, false, 1)
	sp.NewestURL = link(sp.Type, true, 1)
	sp.PrevURL, sp.NextURL = "", ""
	if sp.Page > 1 {
		sp.PrevURL = link(sp.Type, sp.SortByDate, sp.Page-1)
	}
	if sp.Page < sp.PageCount {
		sp.NextURL = link(sp.Type, sp.SortByDate, sp.Page+1)
	}
}
