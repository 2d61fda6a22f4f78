package search

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"hark"
	"hark/feed"
	"hark/internal/sharedtest"
	"hark/search/terms"
)

// relevanceIndex is an index of every episode of the real feeds in ../shared, plus the titles
// of testdata/relevance.json that the real feeds lack (Greek, Cyrillic, Turkish, ...), each
// with the queries that must find it.
type relevanceIndex struct {
	ix      *Index
	titles  map[string]string // episode ID -> title
	byPod   map[string][]string
	queries map[string][]string // own title -> its queries
	ownIDs  map[string]string   // own title -> episode ID
}

func newRelevanceIndex(t *testing.T) *relevanceIndex {
	t.Helper()
	dir := sharedtest.Path(t, "fixtures/feeds/real")
	r := &relevanceIndex{ix: newTestIndex(t), titles: map[string]string{}, byPod: map[string][]string{},
		queries: map[string][]string{}, ownIDs: map[string]string{}}
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fd, err := feed.Parse(body, "https://example.com/"+filepath.Base(f))
		if err != nil {
			continue // the real feeds include a few that only a lenient crawl reads
		}
		r.add(t, fd.Podcast, fd.Episodes)
	}
	r.addOwn(t)
	return r
}

func (r *relevanceIndex) add(t *testing.T, p hark.Podcast, eps []hark.Episode) {
	t.Helper()
	p.ID = hark.NewID()
	ctx := context.Background()
	if err := r.ix.UpsertPodcasts(ctx, []hark.Podcast{p}); err != nil {
		t.Fatal(err)
	}
	for i := range eps {
		eps[i].ID, eps[i].PodcastID = hark.NewID(), p.ID
		r.titles[eps[i].ID] = eps[i].Title
		r.byPod[p.ID] = append(r.byPod[p.ID], eps[i].ID)
	}
	if _, err := r.ix.UpsertEpisodes(ctx, eps, map[string]*hark.Podcast{p.ID: &p}); err != nil {
		t.Fatal(err)
	}
}

func (r *relevanceIndex) addOwn(t *testing.T) {
	t.Helper()
	body, err := os.ReadFile("testdata/relevance.json")
	if err != nil {
		t.Fatal(err)
	}
	var own struct {
		Podcast  string
		Episodes []struct {
			Title   string
			Queries []string
		}
	}
	if err := json.Unmarshal(body, &own); err != nil {
		t.Fatal(err)
	}
	var eps []hark.Episode
	for _, e := range own.Episodes {
		eps = append(eps, hark.Episode{Title: e.Title, Description: e.Title})
		r.queries[e.Title] = e.Queries
	}
	r.add(t, hark.Podcast{Title: own.Podcast, Language: "el"}, eps)
	for _, e := range eps {
		r.ownIDs[e.Title] = e.ID
	}
}

// rank returns where the episode id comes in the first ten results of q, 0 when it is absent,
// and the titles of the results above it.
func (r *relevanceIndex) rank(t *testing.T, q, id string) (int, []string) {
	t.Helper()
	res, err := r.ix.Search(context.Background(), hark.SearchQuery{Q: q, PageSize: 10})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var above []string
	for i, h := range res.Hits {
		if h.Episode.ID == id {
			return i + 1, above
		}
		above = append(above, h.Episode.Title)
	}
	return 0, above
}

// answered reports whether q finds id in the top 3, or after results that all share the typed
// words (a query ambiguous by nature, as the first words of a series' titles are; the issue
// counts it as answered even when the ten results above all do).
func (r *relevanceIndex) answered(t *testing.T, q, id string) bool {
	t.Helper()
	rank, above := r.rank(t, q, id)
	if rank >= 1 && rank <= 3 {
		return true
	}
	return len(above) > 0 && !slices.ContainsFunc(above, func(title string) bool { return !terms.HoldsWords(title, q) })
}

// realTitles returns the IDs of the real episodes whose title matches re, unique titles only.
func (r *relevanceIndex) realTitles(re *regexp.Regexp) []string {
	count := map[string]int{}
	for _, title := range r.titles {
		count[strings.ToLower(title)]++
	}
	var ids []string
	for id, title := range r.titles {
		if count[strings.ToLower(title)] == 1 && re.MatchString(title) && !slices.Contains(mapValues(r.ownIDs), id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// checkOwn checks that every query of the own titles whose title matches re ranks it first.
func (r *relevanceIndex) checkOwn(t *testing.T, re *regexp.Regexp) {
	t.Helper()
	n := 0
	for title, qs := range r.queries {
		if !re.MatchString(title) {
			continue
		}
		for _, q := range qs {
			n++
			if rank, above := r.rank(t, q, r.ownIDs[title]); rank != 1 {
				t.Errorf("%q: %q at rank %d (0: not in the top 10), after %q", q, title, rank, above)
			}
		}
	}
	if n == 0 {
		t.Fatalf("no own title matches %s", re)
	}
}

// checkReal checks that each query made from a real title finds it: in the top 3, or after
// results that all share the typed words. It fails when fewer than min queries were made.
func (r *relevanceIndex) checkReal(t *testing.T, ids []string, min int, query func(title string) (string, bool)) {
	t.Helper()
	n := 0
	for _, id := range ids {
		q, ok := query(r.titles[id])
		if !ok {
			continue
		}
		n++
		if !r.answered(t, q, id) {
			rank, above := r.rank(t, q, id)
			t.Errorf("%q: %q at rank %d (0: not in the top 10), after %q", q, r.titles[id], rank, above)
		}
	}
	if n < min {
		t.Fatalf("only %d queries from the real feeds; want at least %d", n, min)
	}
	t.Logf("%d queries from real titles", n)
}
