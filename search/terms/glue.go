package terms

import "strings"

// Dropping stop words from a query loses what a query made of a title's first words says: "We
// Are All" becomes "All", which thousands of titles match, and "The Next" becomes "Next". Yet
// sending the stop words costs a pass over half the index (see DropStopWords). So a run of stop
// words is glued to the word after it into one rare word ("weareall", "thenext"), in the title
// keys at every run and in a query at its start, where it marks a title typed from its first
// words. Only the start of a query: glued words in the middle would have to match exactly, and
// the other fields (descriptions, names) hold no glued words.

// GlueTitle returns a folded title (see Fold) with the glued form of each run of stop words and
// the word after it put before that word: "we are all in this together" gives "we are weareall
// all in this inthistogether together". TitleKey then drops the stop words.
func GlueTitle(folded string) string {
	words := strings.Fields(folded)
	out := make([]string, 0, len(words)+2)
	run := 0 // stop words just before words[i]
	for i, w := range words {
		if stopWords[w] {
			run++
			out = append(out, w)
			continue
		}
		if run > 0 {
			out = append(out, strings.Join(words[i-run:i+1], ""))
		}
		out = append(out, w)
		run = 0
	}
	return strings.Join(out, " ")
}

// GlueLeading returns a folded query (see FoldQuery) with its leading stop words glued to the
// word after them: "the next" gives "thenext". A query that is only stop words, or whose first
// word after them opens a phrase, is returned as it is.
func GlueLeading(q string) string {
	words := strings.Fields(q)
	run := 0
	for run < len(words) && stopWords[words[run]] {
		run++
	}
	if run == 0 || run == len(words) || strings.HasPrefix(words[run], `"`) {
		return q
	}
	glued := strings.Join(words[:run+1], "")
	return strings.Join(append([]string{glued}, words[run+1:]...), " ")
}
