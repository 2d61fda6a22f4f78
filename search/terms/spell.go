package terms

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Correct returns the word the dictionary's titles use that is nearest to word, when word is not
// one of their words: the one most titles use among those at the smallest edit distance (one
// edit for words of up to four letters, two for longer ones), starting with the same letter.
// ok is false when word is known, or nothing near enough is.
func (t *Dictionary) Correct(word string) (suggestion string, ok bool) {
	if t == nil || word == "" {
		return "", false
	}
	w := strings.ToLower(word)
	if i, found := slices.BinarySearch(t.phrases, w); found && t.counts[i] > 0 {
		return "", false
	}
	maxDist := 1
	if utf8.RuneCountInString(w) > 4 {
		maxDist = 2
	}
	first, _ := utf8.DecodeRuneInString(w)
	prefix := string(first)
	best, bestDist, bestCount := "", maxDist+1, int32(0)
	from, _ := slices.BinarySearch(t.phrases, prefix)
	for i := from; i < len(t.phrases) && strings.HasPrefix(t.phrases[i], prefix); i++ {
		p := t.phrases[i]
		if strings.ContainsRune(p, ' ') || abs(utf8.RuneCountInString(p)-utf8.RuneCountInString(w)) > maxDist {
			continue
		}
		d := editDistance(w, p, maxDist)
		if d > maxDist {
			continue
		}
		if d < bestDist || (d == bestDist && t.counts[i] > bestCount) {
			best, bestDist, bestCount = p, d, t.counts[i]
		}
	}
	return best, best != ""
}

// editDistance returns the Damerau-Levenshtein distance (with adjacent transpositions) of a and
// b, or limit+1 once it is sure to exceed limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
