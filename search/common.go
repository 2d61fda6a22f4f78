package search

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// Stop words are not the only words that make a query slow: a word in a large share of the
// episodes costs Typesense as much, whatever it means. In `make bench`, "show" is in 83% of the
// generated descriptions, and "#381 Show Me That Pegsasusly" took 170 ms where "#381
// Pegsasusly" took 2 ms and found the same episode. Which words those are depends on the
// catalogue, so Hark measures them: each web process samples the stored episodes, counts in what
// share of them each word appears (in the text the index searches) and, from then on, episode
// queries treat the words above CommonTermShare as they treat stop words. Search engines call
// this a cutoff frequency.

const (
	// CommonTermShare is the share of episodes a word must appear in to count as common.
	CommonTermShare = 0.25
	// CommonTermSample is how many episodes the count reads.
	CommonTermSample = 5000
	// CommonTermsEvery is how often a web process counts again.
	CommonTermsEvery = 6 * time.Hour
)

// CommonTerms returns the words (as wordKey spells them) that appear in at least share of
// texts, each text being one episode's searchable text, in HTML or plain; stop words, which
// queries drop anyway, are left out. It returns nil for an empty sample.
func CommonTerms(texts []string, share float64) []string {
	if len(texts) == 0 {
		return nil
	}
	counts := map[string]int{}
	seen := map[string]bool{}
	for _, t := range texts {
		clear(seen)
		for _, w := range strings.Fields(plainText(t, len(t))) {
			if k := wordKey(w); k != "" && !seen[k] {
				seen[k] = true
				counts[k]++
			}
		}
	}
	var out []string
	for w, n := range counts {
		if float64(n) >= share*float64(len(texts)) && !stopWords[w] {
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return out
}

// SetCommonTerms sets the words episode queries drop like stop words (see CommonTerms).
func (ix *Index) SetCommonTerms(words []string) {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	ix.common.Store(&m)
}

// commonTerms returns the words set by SetCommonTerms, or nil.
func (ix *Index) commonTerms() map[string]bool {
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
	words := CommonTerms(texts, CommonTermShare)
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
