package search

import (
	"strings"
	"unicode"

	"hark"
	"hark/search/terms"
)

// Spellcheck returns the words of text that the typeahead dictionary's titles (see SetTerms) do
// not use, each with the nearest word they do use; words with digits and stop words are left
// alone. Until the dictionary is counted it finds nothing.
func (ix *Index) Spellcheck(text string) []hark.Correction {
	dict := ix.dict.Load()
	var out []hark.Correction
	for off, word := range words(text) {
		if terms.IsStopWord(word) || strings.IndexFunc(word, unicode.IsDigit) >= 0 {
			continue
		}
		if s, ok := dict.Correct(word); ok {
			out = append(out, hark.Correction{Offset: off, Token: word, Suggestion: s})
		}
	}
	return out
}

// words yields the runs of letters and digits of text with their byte offsets.
func words(text string) func(yield func(int, string) bool) {
	return func(yield func(int, string) bool) {
		start := -1
		for i, r := range text + " " {
			inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\''
			switch {
			case inWord && start < 0:
				start = i
			case !inWord && start >= 0:
				if !yield(start, text[start:i]) {
					return
				}
				start = -1
			}
		}
	}
}
