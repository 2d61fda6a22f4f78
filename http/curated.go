package http

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"hark"
	"hark/db"
)

// Hark's curated lists are the ones operators make (`hark curated create`), then those generated
// from its own data, one of each kind per genre: the genre's best podcasts by quality score, and
// the best of those Hark added in the last 30 days. A generated list exists while it has
// podcasts. Its ID is derived from its kind and genre, so it stays the same.
const (
	curatedOperator = "operator"
	curatedBest     = "best"
	curatedNew      = "new"
	// curatedNewWindow is how recently a podcast was added to be in a "new" list.
	curatedNewWindow = 30 * 24 * time.Hour
	// curatedPreview is how many podcasts a list shows in listings, as in the Listen API.
	curatedPreview = 5
	// curatedFull is how many podcasts GET /curated_podcasts/{id} shows.
	curatedFull = 30
	// curatedPerPage is how many lists a page of GET /curated_podcasts holds.
	curatedPerPage = 10
)

// curatedList is one generated list.
type curatedList struct {
	ID          string
	Kind        string
	Genre       hark.Genre // of generated lists
	Total       int
	PodcastIDs  []string // the first curatedPreview, best first
	AllIDs      []string // of operators' lists: every podcast, in their order
	Title       string
	Description string
}

// curatedID is the 11-character ID of the generated list of a kind for a genre.
func curatedID(kind string, genreID int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "hark curated %s %d", kind, genreID))
	return db.CuratedID(sum[:])
}

func newCuratedList(kind string, t db.GenreTop) (curatedList, bool) {
	g, ok := hark.GenreByID(t.GenreID)
	if !ok {
		return curatedList{}, false
	}
	l := curatedList{ID: curatedID(kind, g.ID), Kind: kind, Genre: g, Total: t.Total, PodcastIDs: t.PodcastIDs}
	if kind == curatedNew {
		l.Title = "New " + g.Name + " podcasts"
		l.Description = "The best " + g.Name + " podcasts that Hark added in the last 30 days, ranked by Hark's quality score."
	} else {
		l.Title = "The best " + g.Name + " podcasts"
		l.Description = "The " + g.Name + " podcasts Hark ranks highest by its quality score: how regularly and recently they publish, how complete their feeds are, and how many episodes they have."
	}
	return l, true
}

// curatedLists returns every list that has podcasts: the new ones first, then the best, each
// kind in genre order.
func (s *Server) curatedLists(ctx context.Context) ([]curatedList, error) {
	made, err := s.store.FindCuratedLists(ctx)
	if err != nil {
		return nil, err
	}
	var lists []curatedList
	for _, m := range made {
		lists = append(lists, curatedList{ID: m.ID, Kind: curatedOperator, Total: len(m.PodcastIDs),
			PodcastIDs: m.PodcastIDs[:min(len(m.PodcastIDs), curatedPreview)], AllIDs: m.PodcastIDs,
			Title: m.Title, Description: m.Description})
	}
	for _, kind := range []string{curatedNew, curatedBest} {
		var after time.Time
		if kind == curatedNew {
			after = time.Now().Add(-curatedNewWindow)
		}
		tops, err := s.store.FindGenreTops(ctx, after, curatedPreview)
		if err != nil {
			return nil, err
		}
		for _, t := range tops {
			if l, ok := newCuratedList(kind, t); ok {
				lists = append(lists, l)
			}
		}
	}
	return lists, nil
}

// curatedSimple is CuratedListSimple.
type curatedSimple struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	curatedTail
}

// curatedTail is what every shape of a curated list has besides its ID, title and description.
type curatedTail struct {
	Total          int              `json:"total"`
	PubDateMS      int64            `json:"pub_date_ms"`
	SourceDomain   string           `json:"source_domain"`
	SourceURL      string           `json:"source_url"`
	ListennotesURL string           `json:"listennotes_url"`
	Podcasts       []podcastMinimum `json:"podcasts"`
}

// curatedURL is where the API serves a list.
func (s *Server) curatedURL(id string) string {
	return s.cfg.BaseURL + "/api/v2/curated_podcasts/" + id
}

// curatedHead fills the fields every shape of a list shares.
func (s *Server) curatedHead(l curatedList) curatedSimple {
	host := s.cfg.BaseURL
	if u, err := url.Parse(s.cfg.BaseURL); err == nil {
		host = u.Hostname()
	}
	return curatedSimple{ID: l.ID, Title: l.Title, Description: l.Description, curatedTail: curatedTail{
		Total: l.Total,
		// Generated lists are made anew each day.
		PubDateMS:    time.Now().UTC().Truncate(24 * time.Hour).UnixMilli(),
		SourceDomain: host, SourceURL: s.curatedURL(l.ID), ListennotesURL: s.curatedURL(l.ID),
		Podcasts: []podcastMinimum{},
	}}
}

// curatedSimples converts lists with their preview podcasts, read in one query.
func (s *Server) curatedSimples(ctx context.Context, lists []curatedList) ([]curatedSimple, error) {
	var ids []string
	for _, l := range lists {
		ids = append(ids, l.PodcastIDs...)
	}
	pods, err := s.store.FindPodcastsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := indexByID(pods, podcastID)
	out := make([]curatedSimple, 0, len(lists))
	for _, l := range lists {
		c := s.curatedHead(l)
		for _, id := range l.PodcastIDs {
			if p := byID[id]; p != nil {
				c.Podcasts = append(c.Podcasts, s.podcastMinimum(p))
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// handleCuratedLists handles "GET /api/v2/curated_podcasts".
func (s *Server) handleCuratedLists(w http.ResponseWriter, r *http.Request) error {
	p := &params{v: r.URL.Query()}
	page := p.int("page", 1, 1, maxPage)
	if p.err != nil {
		return p.err
	}
	lists, err := s.curatedLists(r.Context())
	if err != nil {
		return err
	}
	from := min(len(lists), (page-1)*curatedPerPage)
	to := min(len(lists), from+curatedPerPage)
	out, err := s.curatedSimples(r.Context(), lists[from:to])
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		CuratedLists []curatedSimple `json:"curated_lists"`
		Total        int             `json:"total"`
		pageInfo
	}{out, len(lists), newPageInfo(page, to < len(lists))})
	return nil
}

// curatedFullResponse is CuratedListFull.
type curatedFullResponse struct {
	curatedSimple
	Podcasts []podcastSimple `json:"podcasts"`
}

// handleCuratedShow handles "GET /api/v2/curated_podcasts/{id}".
func (s *Server) handleCuratedShow(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	lists, err := s.curatedLists(r.Context())
	if err != nil {
		return err
	}
	i := slices.IndexFunc(lists, func(l curatedList) bool { return l.ID == id })
	if i < 0 {
		return hark.Errorf(hark.ErrNotFound, "no curated list has the id %q", id)
	}
	pods, err := s.curatedPodcasts(r.Context(), lists[i])
	if err != nil {
		return err
	}
	list, err := s.podcastSimples(r.Context(), pods)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, curatedFullResponse{curatedSimple: s.curatedHead(lists[i]), Podcasts: list})
	return nil
}

// curatedPodcasts reads the podcasts of a list: an operator's in their order, a generated one's
// best first, up to curatedFull.
func (s *Server) curatedPodcasts(ctx context.Context, l curatedList) ([]hark.Podcast, error) {
	if l.Kind == curatedOperator {
		pods, err := s.store.FindPodcastsByIDs(ctx, l.AllIDs)
		slices.SortFunc(pods, func(a, b hark.Podcast) int { return slices.Index(l.AllIDs, a.ID) - slices.Index(l.AllIDs, b.ID) })
		return pods, err
	}
	f := db.BestPodcastFilter{GenreID: l.Genre.ID, Sort: "listen_score", Limit: curatedFull}
	if l.Kind == curatedNew {
		f.AddedAfter = time.Now().Add(-curatedNewWindow)
	}
	pods, _, err := s.store.FindBestPodcasts(ctx, f)
	return pods, err
}

// curatedSearchResult is CuratedListSearchResult.
type curatedSearchResult struct {
	ID                     string `json:"id"`
	TitleOriginal          string `json:"title_original"`
	TitleHighlighted       string `json:"title_highlighted"`
	DescriptionOriginal    string `json:"description_original"`
	DescriptionHighlighted string `json:"description_highlighted"`
	curatedTail
}

// searchCurated answers GET /search with type=curated: the lists whose title or description has
// every word of the query, in the order curatedLists gives.
func (s *Server) searchCurated(ctx context.Context, q hark.SearchQuery) (searchResponse, error) {
	start := time.Now()
	lists, err := s.curatedLists(ctx)
	if err != nil {
		return searchResponse{}, err
	}
	words := strings.Fields(strings.ToLower(q.Q))
	lists = slices.DeleteFunc(lists, func(l curatedList) bool {
		text := strings.ToLower(l.Title + " " + l.Description)
		return slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(text, w) })
	})
	from := min(len(lists), q.Offset)
	to := min(len(lists), from+q.PageSize)
	page, err := s.curatedSimples(ctx, lists[from:to])
	if err != nil {
		return searchResponse{}, err
	}
	results := make([]curatedSearchResult, 0, len(page))
	for _, c := range page {
		results = append(results, curatedSearchResult{
			ID: c.ID, TitleOriginal: c.Title, TitleHighlighted: highlightTerms(c.Title, q.Q),
			DescriptionOriginal: c.Description, DescriptionHighlighted: highlightTerms(c.Description, q.Q),
			curatedTail: c.curatedTail,
		})
	}
	return searchResponse{Took: time.Since(start).Seconds(), Count: len(results), Total: len(lists),
		NextOffset: q.Offset + len(results), Results: results}, nil
}
