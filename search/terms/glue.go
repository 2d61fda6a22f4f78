package terms

import (
	"slices"
	"strings"
)

// Dropping stop words from a query loses what a query made of a title's first words says: "We
// Are All" becomes "All", which thousands of titles match, and "The Next" becomes "Next"; a
// phrase typed in a title's order ("knowledge of the") becomes a word any title may hold. Yet
// sending the stop words costs a pass over half the index (see DropStopWords). So a run of stop
// words is glued into one rare word with the word after it ("weareall", "thenext") and with the
// word before it ("knowledgeofthe"): in title keys at every run, and in a query at its start and
// its end, where they mark a title typed from its first words or a phrase cut short. Not in the
// middle of a query: glued words there would have to match exactly, and the other fields
// (descriptions, names) hold no glued words.

// GlueTitle returns a folded title (see Fold) with the glued forms of each run of stop words put
// beside the words they join: "knowledge of the word" gives "knowledge knowledgeofthe of the
// ofthword word". TitleKey then drops the stop words.
func GlueTitle(folded string) string {
	words := strings.Fields(folded)
	out := make([]string, 0, 2*len(words))
	for i := 0; i < len(words); {
		j := i
		for j < len(words) && stopWords[words[j]] {
			j++
		}
		if j == i { // a word that is no stop word
			out = append(out, words[i])
			i++
			continue
		}
		run := strings.Join(words[i:j], "")
		if i > 0 {
			out = append(out, words[i-1]+run)
		}
		out = append(out, words[i:j]...)
		if j < len(words) {
			out = append(out, run+words[j])
		}
		i = j
	}
	return strings.Join(out, " ")
}

// GlueQuery returns a folded query (see FoldQuery) with its leading stop words glued to the word
// after them and its trailing ones to the word before them: "the book of" gives "thebook bookof". A
// query made only of stop words, or with a phrase, is returned as it is.
func GlueQuery(q string) string {
	words := strings.Fields(q)
	if strings.Contains(q, `"`) {
		return q
	}
	lead := 0
	for lead < len(words) && stopWords[words[lead]] {
		lead++
	}
	trail := len(words)
	for trail > lead && stopWords[words[trail-1]] {
		trail--
	}
	if lead == len(words) || lead == 0 && trail == len(words) {
		return q
	}
	out := slices.Clone(words[lead:trail])
	if trail < len(words) {
		out[len(out)-1] = strings.Join(words[trail-1:], "")
		if lead > 0 && lead == trail-1 { // one word between the runs: it is in both glued words
			out = append([]string{words[lead]}, out...)
		}
	}
	if lead > 0 {
		out[0] = strings.Join(words[:lead+1], "")
	}
	return strings.Join(out, " ")
}

// When a query has no match with all its words, Typesense 0.24.1 drops words from its end until
// something matches, and numbers end most titles ("…, Part 2", "Chapter 4"): a query with a typo
// ("Subjextion to God …, Part 2") lost its number and ranked Parts 1 and 3 with Part 2. So
// NumbersFirst puts a query's numbers before its other words, which makes them the last to go.

// NumbersFirst returns a folded query with its words made only of digits moved to its start, in
// their order. A query with a phrase, or made only of numbers, is returned as it is.
func NumbersFirst(q string) string {
	words := strings.Fields(q)
	var nums, rest []string
	for _, w := range words {
		if strings.Contains(w, `"`) {
			return q
		}
		if isNumber(w) {
			nums = append(nums, w)
		} else {
			rest = append(rest, w)
		}
	}
	if len(nums) == 0 || len(rest) == 0 || isNumber(words[0]) && len(nums) == 1 {
		return q
	}
	return strings.Join(append(nums, rest...), " ")
}

func isNumber(w string) bool {
	return w != "" && strings.IndexFunc(w, func(r rune) bool { return r < '0' || r > '9' }) < 0
}
