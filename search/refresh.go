package search

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"hark/search/terms"
)

// Each web process measures its catalogue for the query linguistics of package terms: the words
// too common to search on (RunCommonTerms) and the typeahead dictionary (RunTerms), each counted
// from a sample of the stored episodes and counted again now and then.

const (
	// CommonTermShare is the share of episodes a word must appear in to count as common.
	CommonTermShare = 0.25
	// CommonTermSample is how many episodes the count reads.
	CommonTermSample = 5000
	// CommonTermsEvery is how often a web process counts again.
	CommonTermsEvery = 6 * time.Hour

	// TermSample is how many episode titles the dictionary is counted from.
	TermSample = 30000
	// TermsEvery is how often a web process counts its dictionary again; TermsEverySmall when
	// the last count read every title (a new catalogue, still filling).
	TermsEvery      = 15 * time.Minute
	TermsEverySmall = time.Minute
)

// commonTerms returns the words (as terms.WordKey spells them) that appear in at least share of
// texts, each one episode's searchable text in HTML or plain (see terms.CommonWords).
func commonTerms(texts []string, share float64) []string {
	plain := make([]string, len(texts))
	for i, t := range texts {
		plain[i] = plainText(t, len(t))
	}
	return terms.CommonWords(plain, share)
}

// SetCommonTerms sets the words episode queries drop like stop words (see terms.CommonWords).
func (ix *Index) SetCommonTerms(words []string) {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	ix.common.Store(&m)
}

// commonWords returns the words set by SetCommonTerms, or nil.
func (ix *Index) commonWords() map[string]bool {
	if m := ix.common.Load(); m != nil {
		return *m
	}
	return nil
}

// Sampler returns the searchable text (title, description, show name) of up to n stored
// episodes picked at random, one string each.
type Sampler func(ctx context.Context, n int) ([]string, error)

// RefreshCommonTerms counts the common words of a sample and sets them.
func (ix *Index) RefreshCommonTerms(ctx context.Context, sample Sampler) ([]string, error) {
	texts, err := sample(ctx, CommonTermSample)
	if err != nil {
		return nil, fmt.Errorf("sample episodes for common terms: %w", err)
	}
	words := commonTerms(texts, CommonTermShare)
	ix.SetCommonTerms(words)
	return words, nil
}

// RunCommonTerms refreshes the common words now and every CommonTermsEvery until ctx is done.
// A failed count keeps the words of the last one and is logged.
func (ix *Index) RunCommonTerms(ctx context.Context, sample Sampler) {
	ix.recount(ctx, "common search terms", func() (time.Duration, []slog.Attr, error) {
		words, err := ix.RefreshCommonTerms(ctx, sample)
		return CommonTermsEvery, []slog.Attr{slog.Int("count", len(words)), slog.String("words", strings.Join(words, " "))}, err
	})
}

// recount runs count now and again after the interval it returns, until ctx is done, and logs
// each count ("Counted <what>", with count's attributes and the time it took) or its failure.
// A failed count is tried again after its interval.
func (ix *Index) recount(ctx context.Context, what string, count func() (every time.Duration, attrs []slog.Attr, err error)) {
	for {
		start := time.Now()
		every, attrs, err := count()
		if err != nil && ctx.Err() == nil {
			ix.logger.WarnContext(ctx, "Counting "+what+" failed", slog.Any("error", err))
		} else if err == nil {
			ix.logger.LogAttrs(ctx, slog.LevelInfo, "Counted "+what, append(attrs, slog.Duration("duration", time.Since(start)))...)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// SetTerms sets the dictionary Suggest completes terms from.
func (ix *Index) SetTerms(t *terms.Dictionary) { ix.dict.Store(t) }

// TitleSampler returns the titles of up to n stored episodes picked at random.
type TitleSampler func(ctx context.Context, n int) ([]string, error)

// RefreshTerms counts a dictionary from a sample of titles and sets it. It reports whether the
// sample held fewer titles than asked for: all the catalogue has.
func (ix *Index) RefreshTerms(ctx context.Context, sample TitleSampler) (t *terms.Dictionary, whole bool, err error) {
	titles, err := sample(ctx, TermSample)
	if err != nil {
		return nil, false, fmt.Errorf("sample episode titles for typeahead: %w", err)
	}
	whole = len(titles) < TermSample
	t = terms.Build(titles, !whole)
	ix.SetTerms(t)
	return t, whole, nil
}

// RunTerms refreshes the typeahead dictionary now and every TermsEvery (TermsEverySmall while
// the catalogue is smaller than a sample) until ctx is done. A failed count keeps the last
// dictionary and is logged.
func (ix *Index) RunTerms(ctx context.Context, sample TitleSampler) {
	ix.recount(ctx, "typeahead terms", func() (time.Duration, []slog.Attr, error) {
		t, whole, err := ix.RefreshTerms(ctx, sample)
		if err != nil {
			return TermsEvery, nil, err
		}
		if whole {
			return TermsEverySmall, []slog.Attr{slog.Int("phrases", t.Len())}, nil
		}
		return TermsEvery, []slog.Attr{slog.Int("phrases", t.Len())}, nil
	})
}
