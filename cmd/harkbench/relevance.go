package main

import (
	"context"
	"errors"
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
	"hark/search/terms"
)

// evalQuery is one query of the evaluation set and the item a user means by it.
type evalQuery struct {
	kind   string // one of evalStyles
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
	more := rand.New(rand.NewPCG(7, 8)) // for the styles added later, so the others stay as they were
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
			set = append(set, podcastQueries(p.Title, p.ID, more)...)
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
		set = append(set, titleQueries(t, it.ep.ID, rnd, more)...)
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
		set = append(set, evalQuery{kind: stylePerson, q: n, typ: hark.SearchTypeEpisode, wantID: names[n][0]})
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
		if !notNames[first] && !notNames[last] && !terms.IsStopWord(first) && !terms.IsStopWord(last) {
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
