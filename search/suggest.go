package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/typesense/typesense-go/v3/typesense/api"

	"hark"
)

const (
	maxSuggestBytes  = 100
	suggestTerms     = 5
	suggestPodcasts  = 5
	suggestTermWords = 3  // a term is the matched word and up to two that follow it
	suggestPerSearch = 10 // titles read from each collection
)

// Suggest answers a typeahead prefix: up to five terms taken from podcast and episode titles
// that match it, and, when asked, up to five podcasts whose titles match and the genres whose
// names start with it (genres need no Typesense call). Returns ErrInvalid for a prefix over 100
// bytes, ErrUnavailable when Typesense does not answer in time.
func (ix *Index) Suggest(ctx context.Context, prefix string, podcasts, genres bool) (*hark.Suggestions, error) {
	text := strings.TrimSpace(prefix)
	if len(text) > maxSuggestBytes {
		return nil, hark.Errorf(hark.ErrInvalid, "q is too long for suggestions: at most %d characters", maxSuggestBytes)
	}
	out := &hark.Suggestions{Terms: []string{}, Podcasts: []hark.Podcast{}, Genres: []hark.Genre{}}
	if genres {
		out.Genres = genresWithPrefix(text)
	}
	if text == "" || text == "*" {
		return out, nil
	}
	pods, eps, err := ix.suggestSearch(ctx, text)
	if err != nil {
		return nil, fmt.Errorf("suggest: %w", err)
	}
	seen := map[string]bool{}
	for _, h := range slices.Concat(pods, eps) {
		if t := termOf(highlights(&h)["title"]); t != "" && !seen[t] && len(out.Terms) < suggestTerms {
			seen[t] = true
			out.Terms = append(out.Terms, t)
		}
	}
	if podcasts {
		for i := range pods[:min(len(pods), suggestPodcasts)] {
			out.Podcasts = append(out.Podcasts, *podcastFromDoc(docMap(deref(pods[i].Document))))
		}
	}
	return out, nil
}

// suggestSearch matches text against podcast and episode titles, in one round trip.
func (ix *Index) suggestSearch(ctx context.Context, text string) (pods, eps []api.SearchResultHit, err error) {
	ctx, cancel := ix.queryContext(ctx)
	defer cancel()
	search := func(kind, include, sort string) api.MultiSearchCollectionParameters {
		return api.MultiSearchCollectionParameters{
			Collection:        new(ix.alias(kind)),
			Q:                 &text,
			QueryBy:           new("title"),
			Prefix:            new("true"),
			SortBy:            &sort,
			PerPage:           new(suggestPerSearch),
			IncludeFields:     &include,
			HighlightFields:   new("title"),
			HighlightStartTag: new(markStart),
			HighlightEndTag:   new(markEnd),
		}
	}
	res, err := ix.client.MultiSearch.Perform(ctx, &api.MultiSearchParams{}, api.MultiSearchSearchesParameter{
		Searches: []api.MultiSearchCollectionParameters{
			search(kindPodcasts, "id,title,publisher,image,language,explicit,genre_ids", "_text_match:desc,quality:desc"),
			search(kindEpisodes, "title", "_text_match:desc,quality:desc,published_at:desc"),
		},
	})
	if err != nil {
		return nil, nil, interpretError(err)
	}
	if len(res.Results) != 2 {
		return nil, nil, fmt.Errorf("multi search: %d results for 2 searches", len(res.Results))
	}
	for _, r := range res.Results {
		if r.Error != nil {
			err := fmt.Errorf("multi search: %s", *r.Error)
			if code := deref(r.Code); code >= 500 || code == 404 { // 404: a collection is missing
				err = fmt.Errorf("%w: %w", hark.ErrUnavailable, err)
			}
			return nil, nil, err
		}
	}
	return deref(res.Results[0].Hits), deref(res.Results[1].Hits), nil
}

// termOf makes a suggestion from a title Typesense marked: the first matched word and the words
// after it, up to suggestTermWords and up to punctuation, in lower case. "StarTalk Radio: Cosmic
// Queries" marked at StarTalk gives "startalk radio".
func termOf(marked string) string {
	i := strings.Index(marked, markStart)
	if i < 0 {
		return ""
	}
	var words []string
	for _, w := range strings.Fields(unmark(marked[i:])) {
		word := strings.TrimRightFunc(w, isBreak)
		if word != "&" && !strings.ContainsFunc(word, isWordRune) || strings.IndexFunc(word, isBreak) == 0 {
			break // "-", "|", "(Live)"
		}
		words = append(words, strings.ToLower(word))
		if word != w || len(words) == suggestTermWords {
			break
		}
	}
	return strings.Join(words, " ")
}

// isBreak reports whether r ends a phrase in a title. Apostrophes, hyphens and ampersands inside
// words do not.
func isBreak(r rune) bool {
	return (unicode.IsPunct(r) || unicode.IsSymbol(r)) && r != '\'' && r != '’' && r != '-' && r != '&'
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// genresWithPrefix returns the genres with a name, or a word of it, starting with prefix.
func genresWithPrefix(prefix string) []hark.Genre {
	out := []hark.Genre{}
	p := strings.ToLower(prefix)
	if p == "" {
		return out
	}
	for _, g := range hark.Genres {
		name := strings.ToLower(g.Name)
		match := strings.HasPrefix(name, p)
		for _, w := range strings.Fields(name) {
			match = match || strings.HasPrefix(w, p)
		}
		if match {
			out = append(out, g)
		}
	}
	return out
}
