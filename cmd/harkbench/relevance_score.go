package main

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"hark"
	"hark/search/terms"
)

// score is the tally of one style, or of all.
type score struct {
	n, at3, at10 int
	rr           float64
	ambiguous    int // answered only because every result above the wanted one shares its words
}

func (s *score) add(rank int, ambiguous bool) {
	s.n++
	if ambiguous {
		s.ambiguous++
	}
	if rank > 0 && rank <= 3 {
		s.at3++
	}
	if rank > 0 {
		s.at10++
		s.rr += 1 / float64(rank)
	}
}

func (s *score) line() string {
	return fmt.Sprintf("%4d queries: recall@3 %.1f%%, recall@10 %.1f%%, MRR %.3f, %d ambiguous by nature",
		s.n, 100*float64(s.at3)/float64(s.n), 100*float64(s.at10)/float64(s.n), s.rr/float64(s.n), s.ambiguous)
}

// legacyStyles are the styles of the set before it had the others: their total is comparable
// with figures from before.
var legacyStyles = []string{styleTitle, styleTypo, stylePodcast, stylePerson}

// scoreEvalSet runs every query through the index and prints recall@3, recall@10 and MRR by
// style and overall.
func (e *env) scoreEvalSet(ctx context.Context, set []evalQuery) error {
	if err := e.countCommonTerms(ctx); err != nil {
		return err
	}
	byKind := map[string]*score{}
	all, legacy := &score{}, &score{}
	for _, q := range set {
		rank, ambiguous, err := e.rankOf(ctx, q)
		if err != nil {
			return err
		}
		if byKind[q.kind] == nil {
			byKind[q.kind] = &score{}
		}
		byKind[q.kind].add(rank, ambiguous)
		all.add(rank, ambiguous)
		if slices.Contains(legacyStyles, q.kind) {
			legacy.add(rank, ambiguous)
		}
	}
	for _, k := range evalStyles {
		if s := byKind[k]; s != nil {
			e.result("relevance: %-12s %s", k, s.line())
		}
	}
	e.result("relevance: %-12s %s (target on every style: recall@3 >= 95%%, recall@10 >= 98%%)", "all", all.line())
	e.result("relevance: %-12s %s (the styles of the set before it had the others)", "all-legacy", legacy.line())
	return nil
}

// ambiguousDepth is how many results rankOf reads to decide that a query is ambiguous by nature.
const ambiguousDepth = 250

// rankOf runs q and returns the rank of the item it wants in the first ten results, 0 when it
// is not there. A query ambiguous by nature (the first half of a title that many episodes of a
// series share) counts as answered at rank 1 when every result above the wanted one, in the
// first ambiguousDepth, shares the typed words; ambiguous says it was.
func (e *env) rankOf(ctx context.Context, q evalQuery) (rank int, ambiguous bool, err error) {
	rank, shared, err := e.searchRank(ctx, q, 10)
	if err == nil && (rank == 0 || rank > 3) && shared {
		var deep bool
		if _, deep, err = e.searchRank(ctx, q, ambiguousDepth); deep {
			rank, ambiguous = 1, true
		}
	}
	if err != nil {
		return 0, false, err
	}
	if e.opts.misses && (rank == 0 || rank > 3) {
		e.printf("relevance: miss %-12s rank %2d %q\n", q.kind, rank, q.q)
	}
	return rank, ambiguous, nil
}

// searchRank runs q for depth results and returns the wanted item's rank (0: not there) and
// whether every result above it (all, when it is not there) shares the query's words.
func (e *env) searchRank(ctx context.Context, q evalQuery, depth int) (rank int, shared bool, err error) {
	res, err := e.index.Search(ctx, hark.SearchQuery{Q: q.q, Type: q.typ, PageSize: depth})
	if errors.Is(err, hark.ErrUnavailable) && ctx.Err() == nil {
		e.printf("relevance: timed out (counted as a miss): %q\n", q.q)
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("query %q: %w", q.q, err)
	}
	shared = true
	for i, h := range res.Hits {
		id, title := h.Podcast.ID, h.Podcast.Title
		if h.Episode != nil {
			id, title = h.Episode.ID, h.Episode.Title
		}
		if id == q.wantID {
			return i + 1, shared, nil
		}
		shared = shared && terms.HoldsWords(title, q.q)
	}
	return 0, shared && len(res.Hits) > 0, nil
}
