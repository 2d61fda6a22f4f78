package search

import (
	"html"
	"strings"
)

// lineHTML renders a short field: highlighted when it matched, else escaped.
func lineHTML(marked, plain string) string {
	if !strings.Contains(marked, markStart) {
		return html.EscapeString(plain)
	}
	return highlightHTML(marked)
}

// snippetHTML renders a description: the highlighted snippet around the matches, with "…" where
// it cuts the text, else the escaped start of the text.
func snippetHTML(marked, plain string) string {
	if !strings.Contains(marked, markStart) {
		return html.EscapeString(firstWords(plain, 2*snippetTokens+1))
	}
	text := unmark(marked)
	out := highlightHTML(marked)
	if !strings.HasPrefix(plain, text) {
		out = "…" + out
	}
	if !strings.HasSuffix(plain, text) {
		out += "…"
	}
	return out
}
