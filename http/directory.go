package http

import (
	"net/http"
	"slices"
	"strings"
	"unicode"

	"hark"
	"hark/artwork"
)

// handleGenres handles "GET /api/v2/genres": Hark's genres, Apple Podcasts' categories with
// their subcategories (parent_id 0 at the top level); top_level_only=1 leaves the subcategories
// out.
func (s *Server) handleGenres(w http.ResponseWriter, r *http.Request) error {
	p := &params{v: r.URL.Query()}
	genres := hark.Genres
	if p.flag("top_level_only") {
		genres = hark.TopGenres()
	}
	if p.err != nil {
		return p.err
	}
	writeJSON(w, http.StatusOK, struct {
		Genres []hark.Genre `json:"genres"`
	}{genres})
	return nil
}

// handleLanguages handles "GET /api/v2/languages".
func (s *Server) handleLanguages(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, struct {
		Languages []string `json:"languages"`
	}{languageNames})
	return nil
}

// handleRegions handles "GET /api/v2/regions".
func (s *Server) handleRegions(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, struct {
		Regions map[string]string `json:"regions"`
	}{regions})
	return nil
}

// typeaheadResponse is TypeaheadResponse. genres and podcasts appear only when asked for.
type typeaheadResponse struct {
	Terms    []string            `json:"terms"`
	Genres   *[]hark.Genre       `json:"genres,omitempty"`
	Podcasts *[]podcastTypeahead `json:"podcasts,omitempty"`
}

// handleTypeahead handles "GET /api/v2/typeahead".
func (s *Server) handleTypeahead(w http.ResponseWriter, r *http.Request) error {
	p := &params{v: r.URL.Query()}
	q := p.query("the start of a search")
	showPodcasts, showGenres, safe := p.flag("show_podcasts"), p.flag("show_genres"), p.flag("safe_mode")
	if p.err != nil {
		return p.err
	}
	// Nothing starts with punctuation alone, and Typesense's prefix search fails on it.
	sug := &hark.Suggestions{}
	if strings.ContainsFunc(q, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		var err error
		if sug, err = s.search.Suggest(r.Context(), q, showPodcasts, showGenres); err != nil {
			return err
		}
	}
	if sug == nil {
		sug = &hark.Suggestions{}
	}

	resp := typeaheadResponse{Terms: slices.DeleteFunc(slices.Clone(sug.Terms), func(t string) bool { return strings.TrimSpace(t) == "" })}
	if resp.Terms == nil {
		resp.Terms = []string{}
	}
	if showGenres {
		genres := append([]hark.Genre{}, sug.Genres...)
		resp.Genres = &genres
	}
	if showPodcasts {
		pods := []podcastTypeahead{}
		for _, pod := range sug.Podcasts {
			if safe && pod.Explicit {
				continue
			}
			pods = append(pods, podcastTypeahead{
				ID:                   pod.ID,
				TitleOriginal:        pod.Title,
				TitleHighlighted:     highlightTerms(pod.Title, q),
				PublisherOriginal:    pod.Publisher,
				PublisherHighlighted: highlightTerms(pod.Publisher, q),
				Image:                pod.ImageURL,
				Thumbnail:            s.artworkURL(pod.ImageURL, pod.Title, artwork.Small),
				ExplicitContent:      pod.Explicit,
			})
		}
		resp.Podcasts = &pods
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}
