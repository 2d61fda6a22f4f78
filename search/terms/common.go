package terms

import (
	"slices"
	"strings"
)

// Stop words are not the only words that make a query slow: a word in a large share of the
// episodes costs Typesense as much, whatever it means: "show" is in most of the bench's generated
// descriptions, and a query with it took many times as long as the same query without it, which
// found the same episode. Which words those are depends on the catalogue, so Hark
// measures them in a sample of episodes, and episode queries treat the words above a share as
// they treat stop words. Search engines call this a cutoff frequency.

// CommonWords returns the words (as WordKey spells them) that appear in at least share of texts,
// each text being one episode's searchable text in plain words; stop words, which queries drop
// anyway, are left out. A word counts once per text. It returns nil for no texts.
func CommonWords(texts []string, share float64) []string {
	if len(texts) == 0 {
		return nil
	}
	counts := map[string]int{}
	seen := map[string]bool{}
	for _, t := range texts {
		clear(seen)
		for _, w := range strings.Fields(t) {
			if k := WordKey(w); k != "" && !seen[k] {
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
