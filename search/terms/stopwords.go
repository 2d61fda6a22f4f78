// Package terms is Hark's query linguistics, as pure functions over words and counts: the stop
// words episode queries drop and the title keys that keep known-item search precise, the
// cutoff above which a word is too common to search on (CommonWords), and the typeahead
// dictionary of title phrases (Dictionary). It knows nothing of Typesense; package search
// applies it to the queries it sends.
package terms

import (
	"strings"
	"unicode"
)

// Typesense 0.24.1 has no stop words (0.26 added them), and it pays for a query word by the
// length of its posting list, once per spelling it tries: "the" is in half the titles of a
// million episodes, so "The Etbryo" costs far more than "Etbryo" and finds the same. So an
// episode query loses its commonest function words whenever another word remains to match on;
// a query made only of them ("It Is") is sent as typed. Quoted phrases and -exclusions are
// always kept as they are.
//
// Dropping them from the query alone would cost the known-item search its precision: "The
// Debate" would become "Debate", matching thousands of titles equally. So episodes are indexed
// with title_key, their title without those words (see TitleKey), where "The Debate" reads
// "Debate": Typesense ranks a field that the query matches whole above one it matches in part,
// and the episode the user means comes first again.
//
// Podcast searches are untouched: show names are short and often made of such words, and the
// podcasts collection is small.

// stopWords are the commonest function words of the languages most podcasts are in.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, list := range []string{
		// English: articles, prepositions, conjunctions, pronouns and auxiliaries; not the
		// words that carry meaning in a title ("After", "Why", "Not", "Under").
		"a an the and or but nor of to in on at for with by from as about into onto than that this these those " +
			"is are was were be been being am do does did has have had it its i you he she we they me him " +
			"my your his her our their them us",
		// Spanish
		"el la los las un una unos unas y o de del al en con por para que se su sus es lo le les como pero",
		// Portuguese
		"o a os as um uma uns umas e ou de do da dos das no na nos nas em com por para que se seu sua seus suas é ao aos à às mas",
		// French
		"le la les un une des et ou de du au aux en dans avec pour par que qui se sur est ce cette ces son sa ses",
		// German
		"der die das den dem des ein eine einer eines einem einen und oder in im mit von zu zum zur für auf ist sich auch es",
		// Italian
		"il lo gli i una uno e di del della dei delle al alla con per che si è",
	} {
		for _, w := range strings.Fields(list) {
			m[w], m[Fold(w)] = true, true // queries and title keys are folded: "é" is "e"
		}
	}
	return m
}()

// DropStopWords returns q without its stop words and the words in common (as WordKey spells
// them; see CommonWords) when another word remains; otherwise q unchanged. Common words stay
// when only numbers would remain: "Episode 1" sent as "1" matched every title with a 1 in it.
func DropStopWords(q string, common map[string]bool) string {
	// Split as Typesense does: at spaces, a word that starts with '"' opens a phrase and the
	// first word that ends with one closes it; quotes inside a word ("Israel"'s) are
	// characters. A phrase never closed runs to the end.
	words := strings.Fields(q)
	parts := make([]string, 0, len(words)) // words and phrases, in order
	stop := make([]bool, 0, len(words))
	isCommon := make([]bool, 0, len(words))
	var kept, dropped, keptWords int // keptWords: kept words that are not numbers
	for i := 0; i < len(words); i++ {
		w := words[i]
		if w[0] == '"' {
			closes := func(k int) bool { return strings.HasSuffix(words[k], `"`) && (k > i || len(w) > 1) }
			j := i
			for !closes(j) && j+1 < len(words) {
				j++
			}
			parts, stop = append(parts, strings.Join(words[i:j+1], " ")), append(stop, false)
			isCommon = append(isCommon, false)
			kept++
			keptWords++
			i = j
			continue
		}
		isStop, inCommon := false, false
		k := WordKey(w)
		if w[0] != '-' {
			inCommon = common[k] && !stopWords[k]
			isStop = stopWords[k] || inCommon
		}
		parts, stop, isCommon = append(parts, w), append(stop, isStop), append(isCommon, inCommon)
		switch {
		case isStop:
			dropped++
		case w[0] != '-':
			kept++
			if !isNumber(k) {
				keptWords++
			}
		}
	}
	if kept == 0 || dropped == 0 {
		return q
	}
	keepCommon := keptWords == 0
	out := parts[:0]
	for i, p := range parts {
		if !stop[i] || keepCommon && isCommon[i] {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

// OnlyStopWords reports whether every word of q is a stop word (as DropStopWords leaves such a
// query).
func OnlyStopWords(q string) bool {
	for _, w := range strings.Fields(q) {
		if !IsStopWord(w) {
			return false
		}
	}
	return true
}

// IsStopWord reports whether w, in any case and with any punctuation around it, is a stop word.
func IsStopWord(w string) bool { return stopWords[WordKey(w)] }

// WordKey is a word as the stop list spells it: lower case, without surrounding punctuation.
func WordKey(w string) string {
	return strings.ToLower(strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
}

// TitleKey returns title without its stop words, split as DropStopWords splits a query, for the
// title_key field; the whole title when it is made only of them, as such a query is sent whole.
func TitleKey(title string) string {
	words := strings.Fields(title)
	kept := make([]string, 0, len(words))
	for _, w := range words {
		if !IsStopWord(w) {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		return title
	}
	return strings.Join(kept, " ")
}
