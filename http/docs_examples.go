package http

import (
	"context"
	"strings"

	"hark/db"
)

// docsExamples fill the API reference's examples with this catalogue's own shows, so that each
// one answers with results as written (a test runs them against the demo catalogue).
type docsExamples struct {
	Query      string // words from the best show's title
	Prefix     string // the start of Query, for typeahead
	Language   string // the best show's language, by name
	GenreID    int
	PodcastIDs [2]string
	EpisodeIDs [2]string
}

// placeholderExamples are shown while the catalogue is empty.
var placeholderExamples = docsExamples{Query: "star wars", Prefix: "histo", Language: "English", GenreID: 1318,
	PodcastIDs: [2]string{"4d3fe717742d4963a85562e9f84d8c79", "ID2"},
	EpisodeIDs: [2]string{"6b6d65930c5a4f71b254465871fed370", "ID2"}}

func (s *Server) docsExamples(ctx context.Context) (docsExamples, error) {
	pods, _, err := s.store.FindBestPodcasts(ctx, db.BestPodcastFilter{Sort: "listen_score", Limit: 2})
	if err != nil || len(pods) < 2 {
		return placeholderExamples, err
	}
	eps, err := s.store.FindEpisodes(ctx, db.EpisodeFilter{PodcastIDs: []string{pods[0].ID, pods[1].ID}, Limit: 1})
	if err != nil || len(eps) < 2 {
		return placeholderExamples, err
	}
	ex := docsExamples{Query: strings.ToLower(ExampleWord(pods[0].Title)), Language: languageName(pods[0].Language),
		GenreID: placeholderExamples.GenreID, PodcastIDs: [2]string{pods[0].ID, pods[1].ID}, EpisodeIDs: [2]string{eps[0].ID, eps[1].ID}}
	ex.Prefix = string([]rune(ex.Query)[:min(5, len([]rune(ex.Query)))])
	if len(pods[0].GenreIDs) > 0 {
		ex.GenreID = pods[0].GenreIDs[0]
	}
	if ex.Language == "" {
		ex.Language = placeholderExamples.Language
	}
	return ex, nil
}

// ExampleWord is the longest word of a title without its punctuation: the rarest, as a rule,
// so a search for it finds the show. The API reference's examples, the browser tests and the
// bench's page sample search for it.
func ExampleWord(s string) string {
	w := ""
	for _, f := range strings.Fields(s) {
		if f = strings.Trim(f, ".,:;!?'\"()"); len([]rune(f)) > len([]rune(w)) {
			w = f
		}
	}
	return w
}
