package http

import (
	"net/http"
	"strings"
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

// maxSuggestBytes is the longest text the search boxes ask suggestions for, as search.Suggest
// takes it; longer text gets none.
const maxSuggestBytes = 100

// handleSuggest handles "GET /suggest?q=": the web search boxes' suggestions, the typeahead
// API's without a key: up to five terms and five shows. Browsers may keep an answer a minute.
func (s *Server) handleSuggest(w http.ResponseWriter, r *http.Request) error {
	out := suggestResponse{Terms: []string{}, Podcasts: []suggestPodcast{}}
	if q := strings.TrimSpace(r.URL.Query().Get("q")); q != "" && len(q) <= maxSuggestBytes {
		sug, err := s.search.Suggest(r.Context(), q, true, false)
		if err != nil {
			return err
		}
		out.Terms = append(out.Terms, sug.Terms...)
		for _, p := range sug.Podcasts {
			out.Podcasts = append(out.Podcasts, suggestPodcast{Title: p.Title, URL: "/podcasts/" + p.ID})
		}
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	writeJSON(w, http.StatusOK, out)
	return nil
}
