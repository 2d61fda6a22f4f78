package http_test

import (
	"context"
	"errors"
	"html"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"hark"
	"hark/db"
)

// fakeIndex stands in for the Typesense index (package search): it matches the words of the
// query against podcasts and episodes read from Postgres, and highlights them the way the index
// does. err, when set, is what Search and Suggest return; healthErr is what Health returns.
type fakeIndex struct {
	store *db.Store

	mu        sync.Mutex
	err       error
	healthErr error
	queries   []hark.SearchQuery
}

func (f *fakeIndex) fail(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

func (f *fakeIndex) lastQuery() hark.SearchQuery {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.queries) == 0 {
		return hark.SearchQuery{}
	}
	return f.queries[len(f.queries)-1]
}

func (f *fakeIndex) Search(ctx context.Context, q hark.SearchQuery) (*hark.SearchResult, error) {
	f.mu.Lock()
	f.queries = append(f.queries, q)
	err := f.err
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	pods, err := f.store.FindPodcasts(ctx, db.PodcastFilter{Limit: 1000})
	if err != nil {
		return nil, err
	}
	var hits []hark.SearchHit
	for i := range pods {
		p := &pods[i]
		if q.Type == hark.SearchTypePodcast {
			if matches(q.Q, p.Title, p.Publisher, p.Description) {
				hits = append(hits, hark.SearchHit{Podcast: p, TitleHighlighted: mark(p.Title, q.Q), PublisherHighlighted: mark(p.Publisher, q.Q)})
			}
			continue
		}
		eps, err := f.store.FindEpisodes(ctx, db.EpisodeFilter{PodcastID: p.ID, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for j := range eps {
			e := &eps[j]
			if matches(q.Q, e.Title, e.Description) {
				hits = append(hits, hark.SearchHit{Episode: e, Podcast: p, TitleHighlighted: mark(e.Title, q.Q)})
			}
		}
	}
	slices.SortStableFunc(hits, func(a, b hark.SearchHit) int {
		if a.Episode != nil {
			return b.Episode.PublishedAt.Compare(a.Episode.PublishedAt)
		}
		return strings.Compare(a.Podcast.Title, b.Podcast.Title)
	})
	res := &hark.SearchResult{Took: 12 * time.Millisecond, Total: len(hits)}
	start := min(q.Offset, len(hits))
	res.Hits = hits[start:min(start+q.PageSize, len(hits))]
	return res, nil
}

func matches(q string, fields ...string) bool {
	for _, w := range strings.Fields(strings.ToLower(q)) {
		for _, f := range fields {
			if strings.Contains(strings.ToLower(f), w) {
				return true
			}
		}
	}
	return false
}

// mark escapes s and wraps the words of q, as the index's highlighting does.
func mark(s, q string) string {
	out := html.EscapeString(s)
	for _, w := range strings.Fields(q) {
		re := regexp.MustCompile(`(?i)` + regexp.QuoteMeta(html.EscapeString(w)))
		out = re.ReplaceAllString(out, `<span class="ln-search-highlight">$0</span>`)
	}
	return out
}

func (f *fakeIndex) Suggest(ctx context.Context, prefix string, podcasts, genres bool) (*hark.Suggestions, error) {
	f.mu.Lock()
	err := f.err
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	s := &hark.Suggestions{Terms: []string{strings.ToLower(prefix) + "z"}}
	if podcasts {
		pods, err := f.store.FindPodcasts(ctx, db.PodcastFilter{Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, p := range pods {
			if strings.HasPrefix(strings.ToLower(p.Title), strings.ToLower(prefix)) {
				s.Podcasts = append(s.Podcasts, p)
			}
		}
	}
	if genres {
		for _, g := range hark.Genres {
			if strings.HasPrefix(strings.ToLower(g.Name), strings.ToLower(prefix)) {
				s.Genres = append(s.Genres, g)
			}
		}
	}
	return s, nil
}

func (f *fakeIndex) Health(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.healthErr
}

var errTypesenseDown = errors.New("typesense: dial tcp 10.0.0.7:8108: connection refused")
