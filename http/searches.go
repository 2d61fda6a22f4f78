package http

import (
	"context"
	"log/slog"
	"net/http"
	"slices"

	"hark/db"
)

// storeSearches writes each search to search_log as it is asked: Config.Searches's default.
type storeSearches struct {
	store  *db.Store
	logger *slog.Logger
}

// RecordSearch counts one search of q. A failed write is logged, not the search's failure.
func (s storeSearches) RecordSearch(ctx context.Context, q string) {
	if q = db.NormalizeQuery(q); q == "" {
		return
	}
	if err := s.store.RecordSearches(ctx, map[string]int64{q: 1}); err != nil {
		s.logger.WarnContext(ctx, "Search not logged", slog.Any("error", err))
	}
}

const (
	// trendingDays is how many days of searches trending_searches counts.
	trendingDays = 7
	// relatedDays is how many days of searches related_searches looks through.
	relatedDays = 90
	// searchTermsCount is how many terms trending_searches and related_searches give at most,
	// as in the Listen API.
	searchTermsCount = 10
)

// termsResponse is TrendingSearchesResponse and RelatedSearchesResponse.
type termsResponse struct {
	Terms []string `json:"terms"`
}

// handleTrendingSearches handles "GET /api/v2/trending_searches": the queries asked most through
// GET /search in the last week, counted per day in Postgres.
func (s *Server) handleTrendingSearches(w http.ResponseWriter, r *http.Request) error {
	terms, err := s.store.TrendingSearches(r.Context(), trendingDays, searchTermsCount)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, termsResponse{Terms: nonNilStrings(terms)})
	return nil
}

// handleRelatedSearches handles "GET /api/v2/related_searches": the queries of the last months
// that share a word with q, most asked first, then the phrases of episode titles that complete
// q (the typeahead's terms).
func (s *Server) handleRelatedSearches(w http.ResponseWriter, r *http.Request) error {
	q, err := requiredQuery(r)
	if err != nil {
		return err
	}
	terms, err := s.store.RelatedSearches(r.Context(), q, relatedDays, searchTermsCount)
	if err != nil {
		return err
	}
	if len(terms) < searchTermsCount {
		sug, err := s.search.Suggest(r.Context(), q, false, false)
		if err != nil {
			return err
		}
		norm := db.NormalizeQuery(q)
		for _, t := range sug.Terms {
			if t := db.NormalizeQuery(t); t != "" && t != norm && !slices.Contains(terms, t) && len(terms) < searchTermsCount {
				terms = append(terms, t)
			}
		}
	}
	writeJSON(w, http.StatusOK, termsResponse{Terms: nonNilStrings(terms)})
	return nil
}

// requiredQuery reads the q param that spellcheck and related_searches need.
func requiredQuery(r *http.Request) (string, error) {
	p := &params{v: r.URL.Query()}
	q := p.query("the words to search for")
	return q, p.err
}

// nonNilStrings returns list, or an empty slice so that JSON has [] rather than null.
func nonNilStrings(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
