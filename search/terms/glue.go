package terms

import "strings"

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
// oftheword word". TitleKey then drops the stop words.
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

// ArrangeQuery returns a folded episode query (see FoldQuery) as Hark sends it: its leading stop
// words glued to the word after them in front ("the next chapter 4" gives "thenext 4 next
// chapter"), its trailing ones glued to the word before them at the end ("knowledge of the"
// gives "knowledge knowledgeofthe"), and its numbers before its other words. When no episode
// holds every word, Typesense 0.24.1 drops words from the end, then from the start, until
// something matches: so a glued word that no title holds (the title was typed with a word
// missing) goes first and the words as typed remain, and numbers, which end most titles ("…,
// Part 2") but tell the episodes of a series apart, go last. A query made only of stop words, or
// with a phrase, is returned as it is.
func ArrangeQuery(q string) string {
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
	if lead == len(words) {
		return q
	}
	out := make([]string, 0, len(words)+2)
	if lead > 0 {
		out = append(out, strings.Join(words[:lead+1], ""))
	}
	var rest []string
	for _, w := range words[lead:trail] {
		if isNumber(w) {
			out = append(out, w)
		} else {
			rest = append(rest, w)
		}
	}
	out = append(out, rest...)
	if trail < len(words) {
		out = append(out, strings.Join(words[trail-1:], ""))
	}
	return strings.Join(out, " ")
}

func isNumber(w string) bool {
	return w != "" && strings.IndexFunc(w, func(r rune) bool { return r < '0' || r > '9' }) < 0
}
