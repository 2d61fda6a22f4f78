package terms

import (
	"cmp"
	"iter"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Typeahead terms cannot come from searching episode titles as the user types: Typesense pays
// for a prefix by the titles it completes to, so a short prefix ("th") that starts words in most
// of a million titles is slow to complete. So each web process keeps a dictionary
// of the short phrases in a sample of episode titles, with how many of the titles use each, and
// completes a prefix from it in microseconds. Typesense is still asked when the dictionary
// knows fewer phrases than a suggestion shows and the word being typed starts words in few
// titles (which it answers in a few milliseconds): for rare words, typos and titles stored
// since the last count.

const (
	// maxTerms bounds the dictionary's size: the phrases most titles use.
	maxTerms = 200000
	// termTopLen is the longest prefix, in characters, whose best phrases are kept ready; a
	// longer one looks through the phrases it starts, which are few.
	termTopLen = 3
	// TopCount is how many phrases Complete finds for a short prefix without looking through
	// them all: a suggestion's five, and as many again for those a podcast's title also gave.
	TopCount = 10
	// CommonPrefixShare is the share of sampled titles with a word that starts with a prefix
	// above which the prefix is common (see Dictionary.Common): 2,000 titles of a million, few
	// enough for Typesense to complete quickly.
	CommonPrefixShare = 0.002
	// maxPrefixRunes bounds the prefixes Common counts; a longer one is as common as its start.
	maxPrefixRunes = 12
)

// Dictionary is a typeahead dictionary (see Build). The zero value, and nil, know no phrases.
type Dictionary struct {
	phrases []string           // sorted
	counts  []int32            // titles using phrases[i]
	top     map[string][]int32 // the best phrases for each prefix up to termTopLen characters
	common  map[string]bool    // the common word prefixes (see Common)
}

// Build counts the phrases of one to three words (PhraseWords) in titles: every run
// of words that no punctuation interrupts, started at each word, in lower case, once per title.
// A phrase that ends in a stop word ("news of the") or in a word without letters ("episode
// 12") is left out. When titles is a sample of a larger catalogue (sampled), phrases found in
// one title only are dropped too. It also counts, for Common, how many titles have a word that
// starts with each prefix.
func Build(titles []string, sampled bool) *Dictionary {
	counts := map[string]int32{}
	prefixes := map[string]int32{}
	seen, seenPrefixes := map[string]bool{}, map[string]bool{}
	var words []string
	for _, title := range titles {
		clear(seen)
		clear(seenPrefixes)
		words = words[:0]
		for _, w := range strings.Fields(title) {
			word, ok, ends := TitleWord(w)
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
	t := &Dictionary{top: map[string][]int32{}, common: map[string]bool{}}
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

// countPhrases counts once each phrase of up to PhraseWords words that starts at a word of
// run, in counts; seen holds the phrases the title already counted.
func countPhrases(run []string, counts map[string]int32, seen map[string]bool) {
	for i := range run {
		for j := i + 1; j <= min(len(run), i+PhraseWords); j++ {
			last := run[j-1]
			if IsStopWord(last) || !strings.ContainsFunc(last, unicode.IsLetter) {
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

// better adds phrase i to list, kept in the order of rank and no longer than TopCount.
func (t *Dictionary) better(list []int32, i int32) []int32 {
	at, _ := slices.BinarySearchFunc(list, i, t.rank)
	if at == TopCount {
		return list
	}
	list = slices.Insert(list, at, i)
	return list[:min(len(list), TopCount)]
}

// rank orders phrases a and b: the one more titles use first, then alphabetically.
func (t *Dictionary) rank(a, b int32) int {
	return cmp.Or(cmp.Compare(t.counts[b], t.counts[a]), cmp.Compare(t.phrases[a], t.phrases[b]))
}

// Len returns how many phrases the dictionary holds.
func (t *Dictionary) Len() int {
	if t == nil {
		return 0
	}
	return len(t.phrases)
}

// Complete returns up to n of the phrases that start with prefix (compared in lower case, words
// separated by single spaces), those most titles use first.
func (t *Dictionary) Complete(prefix string, n int) []string {
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
func (t *Dictionary) Common(word string) bool {
	if t == nil {
		return false
	}
	var longest string
	for prefix := range runePrefixes(strings.ToLower(word), maxPrefixRunes) {
		longest = prefix
	}
	return t.common[longest]
}
