package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"hark"
	"hark/db"
	"hark/jobs"
)

// evalQuery is one query of the evaluation set and the item a user means by it.
type evalQuery struct {
	kind   string // "title", "title-typo", "podcast", "person"
	q      string
	typ    string // hark.SearchTypeEpisode or hark.SearchTypePodcast
	wantID string
}

// benchRelevance crawls the real feed fixtures through the workers into the same index as the
// generated million (so they compete with distractors), builds an evaluation set of known-item
// queries from them and reports recall@3, recall@10 and MRR.
func (e *env) benchRelevance(ctx context.Context) error {
	if _, err := os.Stat(e.opts.realFeeds); err != nil {
		e.printf("relevance: skipped: %s is absent\n", e.opts.realFeeds)
		return nil
	}
	if e.opts.reuse != "" {
		// The reused schema already holds the real-feed podcasts: submitting the feeds again from
		// a new server address would add them a second time.
		ids, err := e.realFeedPodcasts(ctx)
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			if e.evalSet, err = e.buildEvalSet(ctx, ids); err != nil {
				return err
			}
			return e.scoreEvalSet(ctx, e.evalSet)
		}
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(e.opts.realFeeds)))
	defer srv.Close()
	client, stop, err := e.workers(ctx, e.index, 16)
	if err != nil {
		return err
	}
	defer stop()
	service := jobs.NewService(e.store, client)
	files, _ := filepath.Glob(filepath.Join(e.opts.realFeeds, "*.xml"))
	var ids []string
	for _, f := range files {
		p, _, err := service.SubmitFeed(ctx, srv.URL+"/"+filepath.Base(f))
		if err != nil {
			return err
		}
		ids = append(ids, p.ID)
	}
	if err := e.waitJobs(ctx, "crawl_feed", "index_podcast"); err != nil {
		return err
	}
	set, err := e.buildEvalSet(ctx, ids)
	if err != nil {
		return err
	}
	e.evalSet = set
	return e.scoreEvalSet(ctx, set)
}

func (e *env) buildEvalSet(ctx context.Context, podcastIDs []string) ([]evalQuery, error) {
	rnd := rand.New(rand.NewPCG(7, 7))
	var set []evalQuery
	titles := map[string]int{}
	type item struct {
		ep  hark.Episode
		pod hark.Podcast
	}
	var items []item
	names := map[string][]string{} // person name -> episode IDs
	for _, id := range podcastIDs {
		p, err := e.store.FindPodcastByID(ctx, id)
		if errors.Is(err, hark.ErrNotFound) {
			continue // merged into another fixture that declares the same podcast:guid
		}
		if err != nil {
			return nil, err
		}
		if p.Title != "" {
			set = append(set, evalQuery{kind: "podcast", q: p.Title, typ: hark.SearchTypePodcast, wantID: p.ID})
		}
		eps, err := e.store.FindEpisodes(ctx, db.EpisodeFilter{PodcastID: id, Limit: 100000})
		if err != nil {
			return nil, err
		}
		for _, ep := range eps {
			titles[strings.ToLower(ep.Title)]++
			items = append(items, item{ep, p})
			for _, n := range personNames(ep.Description) {
				if l := names[n]; len(l) == 0 || l[len(l)-1] != ep.ID {
					names[n] = append(l, ep.ID)
				}
			}
		}
	}
	rnd.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	perPodcast := map[string]int{}
	for _, it := range items {
		t := strings.TrimSpace(it.ep.Title)
		if titles[strings.ToLower(t)] != 1 || len(strings.Fields(t)) < 2 || perPodcast[it.pod.ID] >= 5 {
			continue
		}
		perPodcast[it.pod.ID]++
		set = append(set, evalQuery{kind: "title", q: t, typ: hark.SearchTypeEpisode, wantID: it.ep.ID})
		if typo, ok := oneTypo(t, rnd); ok {
			set = append(set, evalQuery{kind: "title-typo", q: typo, typ: hark.SearchTypeEpisode, wantID: it.ep.ID})
		}
	}
	var people []string
	for n, eps := range names {
		if len(eps) == 1 {
			people = append(people, n)
		}
	}
	sort.Strings(people)
	rnd.Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })
	for _, n := range people[:min(len(people), 80)] {
		set = append(set, evalQuery{kind: "person", q: n, typ: hark.SearchTypeEpisode, wantID: names[n][0]})
	}
	return set, nil
}

var nameRE = regexp.MustCompile(`\b([A-Z][a-z]{2,} [A-Z][a-z]{2,})\b`)

var notNames = map[string]bool{"The": true, "This": true, "In": true, "And": true, "With": true, "For": true,
	"Episode": true, "Podcast": true, "Show": true, "Our": true, "What": true, "How": true, "Why": true,
	"New": true, "Part": true, "Today": true, "Season": true, "Listen": true, "Support": true, "Find": true,
	"Follow": true, "Join": true, "Check": true, "Subscribe": true, "Learn": true, "More": true, "Visit": true}

// personNames picks capitalised two-word names out of a description's plain text.
func personNames(html string) []string {
	text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(html, " ")
	var out []string
	for _, m := range nameRE.FindAllString(text, -1) {
		first, last, _ := strings.Cut(m, " ")
		if !notNames[first] && !notNames[last] {
			out = append(out, m)
		}
	}
	return out
}

// oneTypo changes one letter inside the longest word of s (length >= 5).
func oneTypo(s string, rnd *rand.Rand) (string, bool) {
	words := strings.Fields(s)
	best := -1
	for i, w := range words {
		if len([]rune(w)) >= 5 && isWord(w) && (best < 0 || len(w) > len(words[best])) {
			best = i
		}
	}
	if best < 0 {
		return "", false
	}
	r := []rune(words[best])
	pos := 1 + rnd.IntN(len(r)-2)
	repl := rune('a' + rnd.IntN(26))
	for repl == unicode.ToLower(r[pos]) {
		repl = rune('a' + rnd.IntN(26))
	}
	r[pos] = repl
	words[best] = string(r)
	return strings.Join(words, " "), true
}

func isWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// scoreEvalSet runs every query through the index and prints recall@3, recall@10 and MRR by kind.
func (e *env) scoreEvalSet(ctx context.Context, set []evalQuery) error {
	if err := e.countCommonTerms(ctx); err != nil {
		return err
	}
	type score struct {
		n, at3, at10 int
		rr           float64
	}
	byKind := map[string]*score{}
	all := &score{}
	for _, q := range set {
		res, err := e.index.Search(ctx, hark.SearchQuery{Q: q.q, Type: q.typ, PageSize: 10})
		if err != nil {
			return fmt.Errorf("query %q: %w", q.q, err)
		}
		rank := 0
		for i, h := range res.Hits {
			id := h.Podcast.ID
			if h.Episode != nil {
				id = h.Episode.ID
			}
			if id == q.wantID {
				rank = i + 1
				break
			}
		}
		if e.opts.misses && (rank == 0 || rank > 3) {
			e.printf("relevance: miss %-10s rank %2d %q\n", q.kind, rank, q.q)
		}
		if byKind[q.kind] == nil {
			byKind[q.kind] = &score{}
		}
		for _, s := range []*score{byKind[q.kind], all} {
			s.n++
			if rank > 0 && rank <= 3 {
				s.at3++
			}
			if rank > 0 {
				s.at10++
				s.rr += 1 / float64(rank)
			}
		}
	}
	kinds := []string{"title", "title-typo", "podcast", "person"}
	for _, k := range kinds {
		if s := byKind[k]; s != nil {
			e.result("relevance: %-10s %3d queries: recall@3 %.1f%%, recall@10 %.1f%%, MRR %.3f",
				k, s.n, 100*float64(s.at3)/float64(s.n), 100*float64(s.at10)/float64(s.n), s.rr/float64(s.n))
		}
	}
	e.result("relevance: all        %3d queries: recall@3 %.1f%%, recall@10 %.1f%%, MRR %.3f (target: title-typo recall@3 >= 90%%)",
		all.n, 100*float64(all.at3)/float64(all.n), 100*float64(all.at10)/float64(all.n), all.rr/float64(all.n))
	return nil
}
