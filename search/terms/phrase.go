package terms

import (
	"strings"
	"unicode"
)

// PhraseWords is the most words a typeahead phrase has: the word typed and up to two after it.
const PhraseWords = 3

// LeadingPhrase returns the phrase that starts s, a title or the end of one: its first words, up
// to PhraseWords and up to punctuation, in lower case. "StarTalk Radio: Cosmic Queries" gives
// "startalk radio".
func LeadingPhrase(s string) string {
	var words []string
	for _, w := range strings.Fields(s) {
		word, ok, ends := TitleWord(w)
		if ok {
			words = append(words, word)
		}
		if ends || len(words) == PhraseWords {
			break
		}
	}
	return strings.Join(words, " ")
}

// TitleWord reads w, a word of a title as strings.Fields splits it, for a phrase: the word in
// lower case without the punctuation after it, and whether it ends a run of words that make a
// phrase. A word without letters or digits ("-", "|"), or that punctuation starts ("(Live)"), is
// no word (ok false) and ends the run; "Radio:" is one and ends it.
func TitleWord(w string) (word string, ok, ends bool) {
	word = strings.TrimRightFunc(w, isBreak)
	if word != "&" && !strings.ContainsFunc(word, isWordRune) || strings.IndexFunc(word, isBreak) == 0 {
		return "", false, true
	}
	return strings.ToLower(word), true, word != w
}

// isBreak reports whether r ends a phrase in a title. Apostrophes, hyphens and ampersands inside
// words do not.
func isBreak(r rune) bool {
	return (unicode.IsPunct(r) || unicode.IsSymbol(r)) && r != '\'' && r != '’' && r != '-' && r != '&'
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
