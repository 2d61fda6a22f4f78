package http

import (
	"html"
	"html/template"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
)

// Feed HTML is hostile: podcasts' descriptions and show notes come from whoever wrote the feed.
// Everything from a feed goes through one of these policies before it reaches a page or a
// client. bluemonday policies are safe for concurrent use once built.
var (
	// ugcPolicy keeps the formatting and links of show notes and drops scripts, event handlers,
	// styles and iframes.
	ugcPolicy = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.AddTargetBlankToFullyQualifiedLinks(true)
		p.RequireNoReferrerOnLinks(true)
		return p
	}()

	// notesPolicy is ugcPolicy for pages, which also keep the loading="lazy" that
	// localizeNotesImages gives Hark's copies of notes images.
	notesPolicy = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.AddTargetBlankToFullyQualifiedLinks(true)
		p.RequireNoReferrerOnLinks(true)
		p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
		return p
	}()

	// highlightPolicy keeps only the search index's highlight marks.
	highlightPolicy = func() *bluemonday.Policy {
		p := bluemonday.NewPolicy()
		p.AllowAttrs("class").Matching(regexp.MustCompile(`^ln-search-highlight$`)).OnElements("span")
		return p
	}()

	// textPolicy strips every tag, leaving escaped text.
	textPolicy = func() *bluemonday.Policy {
		p := bluemonday.StrictPolicy()
		p.AddSpaceWhenStrippingTag(true)
		return p
	}()
)

// sanitizeHTML returns feed HTML safe to show or hand to API clients.
func sanitizeHTML(s string) string { return ugcPolicy.Sanitize(s) }

// showNotes returns feed HTML safe to put in a page. Plain-text notes keep their line breaks.
// Of its images, only Hark's copies are kept (keepLocalImages).
func showNotes(s string) template.HTML {
	if !strings.Contains(s, "<") {
		paras := strings.Split(strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n"), "\n\n")
		var b strings.Builder
		for _, p := range paras {
			if p = strings.TrimSpace(p); p == "" {
				continue
			}
			b.WriteString("<p>")
			b.WriteString(strings.ReplaceAll(html.EscapeString(p), "\n", "<br>"))
			b.WriteString("</p>")
		}
		s = b.String()
	}
	return template.HTML(keepLocalImages(notesPolicy.Sanitize(s))) // #nosec: sanitized right here
}

// highlighted returns a search highlight, which the index has already escaped, as HTML that
// keeps only its <span class="ln-search-highlight"> marks.
func highlighted(s string) template.HTML {
	return template.HTML(safeHighlight(s)) // #nosec: sanitized right here
}

const (
	highlightOpen  = `<span class="ln-search-highlight">`
	highlightClose = `</span>`
)

// safeHighlight returns s when it is escaped text with only highlight marks in it, which is what
// the search index returns, and s through the highlight policy otherwise. The check costs a
// fraction of the sanitizer, which would otherwise dominate a search response's CPU time.
func safeHighlight(s string) string {
	if onlyHighlightMarkup(s) {
		return s
	}
	return highlightPolicy.Sanitize(s)
}

// onlyHighlightMarkup reports whether s has no '<', '>' or '"' outside highlight marks.
func onlyHighlightMarkup(s string) bool {
	for {
		i := strings.IndexAny(s, `<>"`)
		switch {
		case i < 0:
			return true
		case strings.HasPrefix(s[i:], highlightOpen):
			s = s[i+len(highlightOpen):]
		case strings.HasPrefix(s[i:], highlightClose):
			s = s[i+len(highlightClose):]
		default:
			return false
		}
	}
}

// plainText turns feed HTML into one line of text. Text with no tag (what the search index
// stores, "Q&A" and all) skips the HTML sanitizer, which otherwise took a fifth of a search
// response's CPU time: with no '<' there is nothing to strip, only entities to decode.
func plainText(s string) string {
	switch {
	case strings.IndexByte(s, '<') >= 0:
		s = html.UnescapeString(textPolicy.Sanitize(s))
	case strings.IndexByte(s, '&') >= 0:
		s = html.UnescapeString(s)
	}
	if isOneLine(s) {
		return s // as the index stores descriptions: nothing (more) to do
	}
	return strings.Join(strings.Fields(s), " ")
}

// isOneLine reports whether strings.Join(strings.Fields(s), " ") is s: no space at either end,
// no run of spaces, no other space character.
func isOneLine(s string) bool {
	prevSpace := true // a space at the start is not one line
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // ASCII, most of any description: no rune decoding
			switch c {
			case ' ':
				if prevSpace {
					return false
				}
				prevSpace = true
			case '\t', '\n', '\v', '\f', '\r':
				return false
			default:
				prevSpace = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return false
		}
		prevSpace = false
		i += size
	}
	return !prevSpace || s == ""
}

// truncate shortens s to at most n runes, cutting at a space when it can.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

// highlightTerms escapes text and marks where words of q occur in it, the way the search index
// marks its hits, for answers that come without highlights (typeahead).
func highlightTerms(text, q string) string {
	lower := strings.ToLower(text)
	if len(lower) != len(text) { // case mapping changed byte lengths; do not risk bad offsets
		return html.EscapeString(text)
	}
	marks := make([]bool, len(text))
	for _, term := range strings.Fields(strings.ToLower(q)) {
		for i := 0; ; {
			j := strings.Index(lower[i:], term)
			if j < 0 {
				break
			}
			for k := i + j; k < i+j+len(term); k++ {
				marks[k] = true
			}
			i += j + len(term)
		}
	}
	var b strings.Builder
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && marks[j] == marks[i] {
			j++
		}
		if marks[i] {
			b.WriteString(`<span class="ln-search-highlight">` + html.EscapeString(text[i:j]) + `</span>`)
		} else {
			b.WriteString(html.EscapeString(text[i:j]))
		}
		i = j
	}
	return b.String()
}
