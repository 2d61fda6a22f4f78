package http

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"hark"
	"hark/db"
)

// bestPerPage is how many podcasts a page of best_podcasts or of a domain holds.
const bestPerPage = 20

// pageInfo is the page numbering of the Listen API's paged lists.
type pageInfo struct {
	HasNext            bool `json:"has_next"`
	HasPrevious        bool `json:"has_previous"`
	PageNumber         int  `json:"page_number"`
	NextPageNumber     int  `json:"next_page_number"`
	PreviousPageNumber int  `json:"previous_page_number"`
}

// newPageInfo numbers page (from 1), next being whether a page follows. Without a next or a
// previous page, their numbers are the page's own, as in the Listen API.
func newPageInfo(page int, next bool) pageInfo {
	p := pageInfo{HasNext: next, HasPrevious: page > 1, PageNumber: page, NextPageNumber: page, PreviousPageNumber: page}
	if next {
		p.NextPageNumber = page + 1
	}
	if page > 1 {
		p.PreviousPageNumber = page - 1
	}
	return p
}

// maxPage bounds page params, so that offsets cannot overflow.
const maxPage = 10000

// bestPodcastsResponse is BestPodcastsResponse.
type bestPodcastsResponse struct {
	ID             int             `json:"id"`
	Name           string          `json:"name"`
	ParentID       int             `json:"parent_id"`
	Total          int             `json:"total"`
	ListennotesURL string          `json:"listennotes_url"`
	Podcasts       []podcastSimple `json:"podcasts"`
	pageInfo
}

// handleBestPodcasts handles "GET /api/v2/best_podcasts": podcasts ranked by Hark's quality
// score (sort=listen_score, Hark's default) or by when Hark added or last heard from them. With
// no genre_id it ranks every genre, as the Listen API's genre 0 does. region and publisher_region
// both filter on the podcast's country: Hark has no charts per country.
func (s *Server) handleBestPodcasts(w http.ResponseWriter, r *http.Request) error {
	p := &params{v: r.URL.Query()}
	genre := hark.Genre{Name: "Top podcasts"}
	if s := p.str("genre_id"); s != "" && s != "0" {
		id, _ := strconv.Atoi(s)
		g, ok := hark.GenreForID(id)
		if !ok {
			return hark.Errorf(hark.ErrNotFound, "no genre has the id %q; GET /api/v2/genres lists them", s)
		}
		if g.ID != 0 {
			genre = g
		}
	}
	page := p.int("page", 1, 1, maxPage)
	f := db.BestPodcastFilter{GenreID: genre.ID, Country: searchRegion(p, "publisher_region"),
		Language: searchLanguage(p, "language"), Safe: p.flag("safe_mode"),
		Sort: p.str("sort"), Offset: (page - 1) * bestPerPage, Limit: bestPerPage}
	if region := searchRegion(p, "region"); region != "" && f.Country == "" {
		f.Country = region
	}
	if f.Sort == "" {
		f.Sort = "listen_score"
	} else if _, ok := db.BestPodcastSorts[f.Sort]; !ok {
		p.fail("sort", "must be one of listen_score, recent_added_first, oldest_added_first, recent_published_first, oldest_published_first, not %q", f.Sort)
	}
	if p.err != nil {
		return p.err
	}
	pods, total, err := s.store.FindBestPodcasts(r.Context(), f)
	if err != nil {
		return err
	}
	list, err := s.podcastSimples(r.Context(), pods)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, bestPodcastsResponse{
		ID: genre.ID, Name: genre.Name, ParentID: genre.ParentID, Total: total,
		ListennotesURL: s.cfg.BaseURL + "/api/v2/best_podcasts?" + r.URL.RawQuery,
		Podcasts:       list, pageInfo: newPageInfo(page, f.Offset+len(pods) < total),
	})
	return nil
}

// podcastSimples converts pods, with their latest episode IDs read in one query.
func (s *Server) podcastSimples(ctx context.Context, pods []hark.Podcast) ([]podcastSimple, error) {
	_, latestIDs, err := s.batchEpisodes(ctx, pods, false, time.Time{})
	if err != nil {
		return nil, err
	}
	out := make([]podcastSimple, 0, len(pods))
	for i := range pods {
		out = append(out, s.podcastSimple(&pods[i], latestIDs[pods[i].ID]))
	}
	return out, nil
}

// podcastDomainResponse is PodcastDomainResponse.
type podcastDomainResponse struct {
	Podcasts []podcastSimple `json:"podcasts"`
	pageInfo
}

// handlePodcastsByDomain handles "GET /api/v2/podcasts/domains/{domain_name}": the podcasts whose
// website or feed is on the domain or a subdomain of it. A domain without podcasts is a 404, as
// in the Listen API.
func (s *Server) handlePodcastsByDomain(w http.ResponseWriter, r *http.Request) error {
	domain := strings.ToLower(strings.TrimSpace(chi.URLParam(r, "domain_name")))
	p := &params{v: r.URL.Query()}
	page := p.int("page", 1, 1, maxPage)
	if p.err != nil {
		return p.err
	}
	pods, err := s.store.FindPodcastsByDomain(r.Context(), domain, (page-1)*bestPerPage, bestPerPage+1)
	if err != nil {
		return err
	}
	if len(pods) == 0 && page == 1 {
		return hark.Errorf(hark.ErrNotFound, "Hark has no podcasts on the domain %q", domain)
	}
	next := len(pods) > bestPerPage
	list, err := s.podcastSimples(r.Context(), pods[:min(len(pods), bestPerPage)])
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, podcastDomainResponse{Podcasts: list, pageInfo: newPageInfo(page, next)})
	return nil
}
