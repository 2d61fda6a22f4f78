package http

import (
	"errors"
	"net/http"
	"strings"

	"hark"
)

// suggestResponse is what the web search boxes show under the text as it is typed: terms to
// search for and shows to go to.
type suggestResponse struct {
	Terms    []string         `json:"terms"`
	Podcasts []suggestPodcast `json:"podcasts"`
}

type suggestPodcast struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// handleSuggest handles "GET /suggest?q=": the web search boxes' suggestions, the typeahead
// API's without a key: up to five terms and five shows. Text too long to complete gets none.
// Browsers may keep an answer a minute.
func (s *Server) handleSuggest(w http.ResponseWriter, r *http.Request) error {
	out := suggestResponse{Terms: []string{}, Podcasts: []suggestPodcast{}}
	if q := strings.TrimSpace(r.URL.Query().Get("q")); q != "" {
		sug, err := s.search.Suggest(r.Context(), q, true, false)
		if err != nil && !errors.Is(err, hark.ErrInvalid) {
			return err
		}
		if sug == nil {
			sug = &hark.Suggestions{}
		}
		out.Terms = append(out.Terms, sug.Terms...)
		for _, p := range sug.Podcasts {
			out.Podcasts = append(out.Podcasts, suggestPodcast{Title: p.Title, URL: podcastPath(p.ID, p.Title)})
		}
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	writeJSON(w, http.StatusOK, out)
	return nil
}
