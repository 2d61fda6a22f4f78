package search

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Typeahead terms cannot come from searching episode titles as the user types: Typesense pays
// for a prefix by the titles it completes to, about 1 ms per thousand ("th" took 130-170 ms over
// a million titles in `make bench`, "mai" 35, "star" 9). So each web process keeps a dictionary
// of the short phrases in a sample of episode titles, with how many of the titles use each, and
// completes a prefix from it in microseconds. Typesense is still asked when the dictionary
// knows fewer phrases than a suggestion shows and the word being typed starts words in few
// titles (which it answers in a few milliseconds): for rare words, typos and titles stored
// since the last count.

const (
	// TermSample is how many episode titles the dictionary is counted from.
	TermSample = 30000
	// TermsEvery is how often a web process counts its dictionary again; TermsEverySmall when
	// the last count read every title (a new catalogue, still filling).
	TermsEvery      = 15 * time.Minute
	TermsEverySmall = time.Minute
	// maxTerms bounds the dictionary's size: the phrases most titles use.
	maxTerms = 200000
	// termTopLen is the longest prefix, in characters, whose best phrases are kept ready; a
	// longer one looks through the phrases it starts, which are few.
	termTopLen = 3
	// termTopCount is how many phrases a prefix's list keeps: a suggestion's five, and as many
	// again for those a podcast's title also gave.
	termTopCount = 2 * suggestTerms
	// CommonPrefixShare is the share of sampled titles with a word that starts with a prefix
	// above which the prefix is common (see Terms.Common): 2,000 titles of a million, which
	// Typesense completes in about 2 ms.
	CommonPrefixShare = 0.002
	// maxPrefixRunes bounds the prefixes Common counts; a longer one is as common as its start.
	maxPrefixRunes = 12
)

// Terms is a typeahead dictionary (see BuildTerms). The zero value, and nil, know no phrases.
type Terms struct {
	phrases []string           // sorted
	counts  []int32            // titles using phrases[i]
	top     map[string][]int32 // the best phrases for each prefix up to termTopLen characters
	common  map[string]bool    // the common word prefixes (see Common)
}

// BuildTerms counts the phrases of one to three words (suggestTermWords) in titles: every run
// of words that no punctuation interrupts, started at each word, in lower case, once per title.
// A phrase that ends in a stop word ("news of the") or in a word without letters ("episode
// 12") is left out. When titles is a sample of a larger catalogue (sampled), phrases found in
// one title only are dropped too. It also counts, for Common, how many titles have a word that
// starts with each prefix.
func BuildTerms(titles []string, sampled bool) *Terms {
	counts := map[string]int32{}
	prefixes := map[string]int32{}
	seen, seenPrefixes := map[string]bool{}, map[string]bool{}
	var words []string
	for _, title := range titles {
		clear(seen)
		clear(seenPrefixes)
		words = words[:0]
		for _, w := range strings.Fields(title) {
			word, ok, ends := titleWord(w)
			if ok {
				words = append(words, word)
				countPrefixes(word, prefixes, seenPrefixes)
			}
			if ends {
				countPhrases(words, counts, seen)
				words = words[:0]
			}
		}
		countPhrases(words, counts, seen)
	}
	t := &Terms{top: map[string][]int32{}, common: map[string]bool{}}
	for p, n := range prefixes {
		if float64(n) >= CommonPrefixShare*float64(len(titles)) {
			t.common[p] = true
		}
	}
	for p, n := range counts {
		if n > 1 || !sampled {
			t.phrases = append(t.phrases, p)
		}
	}
	if len(t.phrases) > maxTerms {
		slices.SortFunc(t.phrases, func(a, b string) int { return cmp.Compare(counts[b], counts[a]) })
		t.phrases = t.phrases[:maxTerms]
	}
	slices.Sort(t.phrases)
	t.counts = make([]int32, len(t.phrases))
	for i, p := range t.phrases {
		t.counts[i] = counts[p]
	}
	for i, p := range t.phrases {
		for prefix := range runePrefixes(p, termTopLen) {
			t.top[prefix] = t.better(t.top[prefix], int32(i))
		}
	}
	return t
}

// countPhrases counts once each phrase of up to suggestTermWords words that starts at a word of
// run, in counts; seen holds the phrases the title already counted.
func countPhrases(run []string, counts map[string]int32, seen map[string]bool) {
	for i := range run {
		for j := i + 1; j <= min(len(run), i+suggestTermWords); j++ {
			last := run[j-1]
			if stopWords[wordKey(last)] || !strings.ContainsFunc(last, unicode.IsLetter) {
				continue
			}
			p := strings.Join(run[i:j], " ")
			if !seen[p] {
				seen[p] = true
				counts[p]++
			}
		}
	}
}

// countPrefixes counts once each prefix of word, up to maxPrefixRunes, in counts; seen holds
// those the title already counted.
func countPrefixes(word string, counts map[string]int32, seen map[string]bool) {
	for prefix := range runePrefixes(word, maxPrefixRunes) {
		if !seen[prefix] {
			seen[prefix] = true
			counts[prefix]++
		}
	}
}

// runePrefixes yields the prefixes of s of one to n characters, shortest first.
func runePrefixes(s string, n int) iter.Seq[string] {
	return func(yield func(string) bool) {
		end := 0
		for range n {
			if end == len(s) {
				return
			}
			_, size := utf8.DecodeRuneInString(s[end:])
			end += size
			if !yield(s[:end]) {
				return
			}
		}
	}
}

// better adds phrase i to list, kept in the order of rank and no longer than termTopCount.
func (t *Terms) better(list []int32, i int32) []int32 {
	at, _ := slices.BinarySearchFunc(list, i, t.rank)
	if at == termTopCount {
		return list
	}
	list = slices.Insert(list, at, i)
	return list[:min(len(list), termTopCount)]
}

// rank orders phrases a and b: the one more titles use first, then alphabetically.
func (t *Terms) rank(a, b int32) int {
	return cmp.Or(cmp.Compare(t.counts[b], t.counts[a]), cmp.Compare(t.phrases[a], t.phrases[b]))
}

// Len returns how many phrases the dictionary holds.
func (t *Terms) Len() int {
	if t == nil {
		return 0
	}
	return len(t.phrases)
}

// Complete returns up to n of the phrases that start with prefix (compared in lower case, words
// separated by single spaces), those most titles use first.
func (t *Terms) Complete(prefix string, n int) []string {
	if t == nil || n <= 0 {
		return nil
	}
	p := strings.ToLower(strings.Join(strings.Fields(prefix), " "))
	if p == "" {
		return nil
	}
	list, ready := t.top[p]
	if !ready && utf8.RuneCountInString(p) > termTopLen {
		from, _ := slices.BinarySearch(t.phrases, p)
		for i := from; i < len(t.phrases) && strings.HasPrefix(t.phrases[i], p); i++ {
			list = t.better(list, int32(i))
		}
	}
	out := make([]string, 0, min(n, len(list)))
	for _, i := range list[:min(n, len(list))] {
		out = append(out, t.phrases[i])
	}
	return out
}

// Common reports whether many titles (CommonPrefixShare of those counted or more) have a word
// that starts with word, compared in lower case; a word over maxPrefixRunes is as common as its
// start.
func (t *Terms) Common(word string) bool {
	if t == nil {
		return false
	}
	var longest string
	for prefix := range runePrefixes(strings.ToLower(word), maxPrefixRunes) {
		longest = prefix
	}
	return t.common[longest]
}

// SetTerms sets the dictionary Suggest completes terms from.
func (ix *Index) SetTerms(t *Terms) { ix.terms.Store(t) }

// TitleSampler returns the titles of up to n stored episodes picked at random.
type TitleSampler func(ctx context.Context, n int) ([]string, error)

// RefreshTerms counts a dictionary from a sample of titles and sets it. It reports whether the
// sample held fewer titles than asked for: all the catalogue has.
func (ix *Index) RefreshTerms(ctx context.Context, sample TitleSampler) (t *Terms, whole bool, err error) {
	titles, err := sample(ctx, TermSample)
	if err != nil {
		return nil, false, fmt.Errorf("sample episode titles for typeahead: %w", err)
	}
	whole = len(titles) < TermSample
	t = BuildTerms(titles, !whole)
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
