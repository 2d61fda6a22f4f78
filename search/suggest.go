package search

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/typesense/typesense-go/v3/typesense/api"

	"hark"
	"hark/search/terms"
)

const (
	maxSuggestBytes  = 100
	suggestTerms     = 5
	suggestPodcasts  = 5
	suggestPerSearch = 10 // titles read from each collection
)

// Suggest answers a typeahead prefix: up to five terms that complete it, and, when asked, up to
// five podcasts whose titles match and the genres whose names start with it (genres need no
// Typesense call). Terms come from the titles of the podcasts that match and, in turn, from the
// dictionary of episode title phrases (see terms.Dictionary); only when that knows too few does Suggest
// also search episode titles. Returns ErrInvalid for a prefix over 100 bytes, ErrUnavailable
// when Typesense does not answer in time, and an error that wraps ctx.Err() as soon as ctx is
// cancelled.
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
	phrases, searchEpisodes := ix.phrases(text)
	pods, eps, err := ix.suggestSearch(ctx, text, searchEpisodes)
	if err != nil {
		return nil, fmt.Errorf("suggest: %w", err)
	}
	var fromPods []string
	for i := range pods {
		fromPods = append(fromPods, termOf(pods[i].Highlight.Title.marked()))
	}
	for i := range eps {
		phrases = append(phrases, termOf(eps[i].Highlight.Title.marked()))
	}
	seen := map[string]bool{"": true}
	add := func(terms []string, i int) {
		if i < len(terms) && !seen[terms[i]] && len(out.Terms) < suggestTerms {
			seen[terms[i]] = true
			out.Terms = append(out.Terms, terms[i])
		}
	}
	for i := range max(len(fromPods), len(phrases)) {
		add(fromPods, i) // the best show's name, then the commonest phrase, and so on
		add(phrases, i)
	}
	if podcasts {
		for i := range pods[:min(len(pods), suggestPodcasts)] {
			out.Podcasts = append(out.Podcasts, *pods[i].Document.podcast())
		}
	}
	return out, nil
}

// phrases returns the dictionary's phrases for text (see SetTerms), and whether a suggestion should
// search episode titles too: when the dictionary knows fewer phrases than a suggestion shows and
// the word being typed is not common, so that Typesense answers fast.
func (ix *Index) phrases(text string) ([]string, bool) {
	dict := ix.dict.Load()
	phrases := dict.Complete(text, terms.TopCount)
	words := strings.Fields(text)
	return phrases, len(phrases) < suggestTerms && (len(words) == 0 || !dict.Common(words[len(words)-1]))
}

// suggestParams returns the searches a suggestion for text makes: of podcast titles, and, when
// episodes is true, of episode titles (nil when text is only stop words).
func (ix *Index) suggestParams(text string, episodes bool) (pods, eps *api.SearchCollectionParams) {
	params := func(q, include, sort string) *api.SearchCollectionParams {
		return &api.SearchCollectionParams{
			Q:                 &q,
			QueryBy:           new("title"),
			Prefix:            new("true"),
			SortBy:            &sort,
			PerPage:           new(suggestPerSearch),
			IncludeFields:     &include,
			HighlightFields:   new("title"),
			HighlightStartTag: new(markStart),
			HighlightEndTag:   new(markEnd),
			SearchCutoffMs:    ix.searchCutoff(),
		}
	}
	pods = params(text, "id,title,publisher,image,language,explicit,genre_ids", "_text_match:desc,quality:desc")
	// Episode titles are matched without stop words, as searches are (see terms.DropStopWords):
	// "the" completes to words in most of a million titles, which made "the dai" several times
	// slower than "dai". Text made only of them ("the") completes from podcast titles alone.
	if epText := terms.DropStopWords(text, nil); episodes && !terms.OnlyStopWords(epText) {
		eps = params(epText, "title", "_text_match:desc,quality:desc,published_at:desc")
	}
	return pods, eps
}

// suggestValues returns the Typesense searches Suggest sends for prefix, as query strings for
// the podcasts and the episodes collections (episodes "" when it sends none). For tests and the
// bench (searchtest.SuggestValues).
func (ix *Index) suggestValues(prefix string) (podcasts, episodes string) {
	text := strings.TrimSpace(prefix)
	_, searchEpisodes := ix.phrases(text)
	pods, eps := ix.suggestParams(text, searchEpisodes)
	if eps != nil {
		episodes = searchQuery(eps)
	}
	return searchQuery(pods), episodes
}

// suggestSearch matches text against podcast titles and, when episodes is true, episode titles,
// both searches at once.
func (ix *Index) suggestSearch(ctx context.Context, text string, episodes bool) (pods []leanHit[podcastDoc], eps []leanHit[episodeDoc], err error) {
	ctx, cancel := ix.queryContext(ctx)
	defer cancel()
	podParams, epParams := ix.suggestParams(text, episodes)
	var epErr error
	var wg sync.WaitGroup
	if epParams != nil {
		wg.Go(func() {
			var res *leanResult[episodeDoc]
			if res, epErr = searchLean[episodeDoc](ctx, ix, ix.alias(kindEpisodes), epParams); epErr == nil {
				eps = res.hits()
			}
		})
	}
	res, err := searchLean[podcastDoc](ctx, ix, ix.alias(kindPodcasts), podParams)
	wg.Wait()
	if err != nil {
		return nil, nil, err
	}
	if epErr != nil {
		return nil, nil, epErr
	}
	return res.hits(), eps, nil
}

// termOf makes a suggestion from a title Typesense marked: the phrase that starts at the first
// matched word (see terms.LeadingPhrase). "StarTalk Radio: Cosmic Queries" marked at StarTalk
// gives "startalk radio".
func termOf(marked string) string {
	i := strings.Index(marked, markStart)
	if i < 0 {
		return ""
	}
	return terms.LeadingPhrase(unmark(marked[i:]))
}

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
