package http

import (
	"errors"
	"fmt"
	"html"
	"net/http"
	"strings"

	"hark"
)

// spellcheckResponse is SpellCheckResponse.
type spellcheckResponse struct {
	Tokens            []spellToken `json:"tokens"`
	CorrectedTextHTML string       `json:"corrected_text_html"`
}

type spellToken struct {
	Offset     int    `json:"offset"`
	Token      string `json:"token"`
	Suggestion string `json:"suggestion"`
}

// handleSpellcheck handles "GET /api/v2/spellcheck": the words of q that no episode title in the
// typeahead's sample uses, each with the nearest word that titles do use.
func (s *Server) handleSpellcheck(w http.ResponseWriter, r *http.Request) error {
	q, err := requiredQuery(r)
	if err != nil {
		return err
	}
	resp := spellcheckResponse{Tokens: []spellToken{}}
	var b strings.Builder
	last := 0
	for _, c := range s.search.Spellcheck(q) {
		resp.Tokens = append(resp.Tokens, spellToken{Offset: c.Offset, Token: c.Token, Suggestion: c.Suggestion})
		b.WriteString(html.EscapeString(q[last:c.Offset]))
		b.WriteString("<b><i>" + html.EscapeString(c.Suggestion) + "</i></b>")
		last = c.Offset + len(c.Token)
	}
	b.WriteString(html.EscapeString(q[last:]))
	resp.CorrectedTextHTML = b.String()
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// Values of podcast_id_type in GET /search_episode_titles.
const (
	podcastIDTypeHark    = "listennotes_id"
	podcastIDTypeRSS     = "rss"
	podcastIDTypeITunes  = "itunes_id"
	podcastIDTypeSpotify = "spotify_id"
)

// handleSearchEpisodeTitles handles "GET /api/v2/search_episode_titles": a search of episode
// titles only, in one podcast when podcast_id names one. Hark knows podcasts by its own IDs and
// their feed URLs; an iTunes or Spotify ID finds nothing.
func (s *Server) handleSearchEpisodeTitles(w http.ResponseWriter, r *http.Request) error {
	q, err := requiredQuery(r)
	if err != nil {
		return err
	}
	p := &params{v: r.URL.Query()}
	offset := p.int("offset", 0, 0, maxOffset)
	podcastID, idType := p.str("podcast_id"), p.str("podcast_id_type")
	if idType == "" {
		idType = podcastIDTypeHark
	}
	query := hark.SearchQuery{Q: q, Type: hark.SearchTypeEpisode, OnlyIn: []string{"title"}, Offset: offset, PageSize: pageSizeDefault}
	known := true
	switch {
	case podcastID == "":
	case idType == podcastIDTypeHark:
		query.OnlyPodcastIDs, known = []string{podcastID}, hark.ValidID(podcastID)
	case idType == podcastIDTypeRSS:
		pod, err := s.submit.FindFeed(r.Context(), podcastID)
		if err != nil && !errors.Is(err, hark.ErrNotFound) && !errors.Is(err, hark.ErrInvalid) {
			return err
		}
		query.OnlyPodcastIDs, known = []string{pod.ID}, err == nil
	case idType == podcastIDTypeITunes || idType == podcastIDTypeSpotify:
		known = false
	default:
		p.fail("podcast_id_type", "must be listennotes_id, rss, itunes_id or spotify_id, not %q", idType)
	}
	if p.err != nil {
		return p.err
	}
	resp := struct {
		Results []episodeSearchResult `json:"results"`
		Total   int                   `json:"total"`
		Count   int                   `json:"count"`
	}{Results: []episodeSearchResult{}}
	if known {
		res, err := s.search.Search(r.Context(), query)
		if err != nil {
			return fmt.Errorf("search episode titles %q: %w", q, err)
		}
		for _, h := range res.Hits {
			if h.Episode != nil {
				resp.Results = append(resp.Results, s.episodeSearchResult(h))
			}
		}
		resp.Total = res.Total
	}
	resp.Count = len(resp.Results)
	writeJSON(w, http.StatusOK, resp)
	return nil
}
