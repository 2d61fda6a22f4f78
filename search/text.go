package search

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxDescription is how much of a description the index keeps, in bytes of plain text. Most
// descriptions are short, but show notes list guests, chapters and links, and the names people
// search for come anywhere in them: a lower cap lost the second half of long show notes.
const maxDescription = 32 << 10

// Typesense returns snippets with the document's text as is, so markup in a description would come
// back raw. We ask it to mark matches with two private-use runes, which plainText and cleanLine
// remove from everything we index, then escape the whole snippet and turn the marks into tags.
const (
	markStart = "\ue000"
	markEnd   = "\ue001"

	highlightStart = `<span class="ln-search-highlight">`
	highlightEnd   = `</span>`
)

// highlightHTML escapes a snippet that Typesense marked with markStart/markEnd, as
// html.EscapeString does, and wraps the matches in highlight spans, in one pass.
func highlightHTML(marked string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(marked); {
		var with string
		n := 1
		switch c := marked[i]; c {
		case '<':
			with = "&lt;"
		case '>':
			with = "&gt;"
		case '&':
			with = "&amp;"
		case '\'':
			with = "&#39;"
		case '"':
			with = "&#34;"
		case markStart[0]: // both marks start with this byte
			switch {
			case strings.HasPrefix(marked[i:], markStart):
				with, n = highlightStart, len(markStart)
			case strings.HasPrefix(marked[i:], markEnd):
				with, n = highlightEnd, len(markEnd)
			}
		}
		if with == "" {
			i++
			continue
		}
		if b.Cap() == 0 {
			b.Grow(len(marked) + 64)
		}
		b.WriteString(marked[last:i])
		b.WriteString(with)
		i += n
		last = i
	}
	if last == 0 {
		return marked // nothing to escape or mark
	}
	b.WriteString(marked[last:])
	return b.String()
}

// unmark removes the match marks from a snippet.
func unmark(marked string) string {
	if !strings.Contains(marked, markStart[:1]) {
		return marked
	}
	var b strings.Builder
	b.Grow(len(marked))
	for len(marked) > 0 {
		i := strings.Index(marked, markStart[:1])
		if i < 0 {
			b.WriteString(marked)
			break
		}
		b.WriteString(marked[:i])
		marked = marked[i:]
		if strings.HasPrefix(marked, markStart) || strings.HasPrefix(marked, markEnd) {
			marked = marked[len(markStart):]
		} else {
			b.WriteString(marked[:1])
			marked = marked[1:]
		}
	}
	return b.String()
}

// blockTags are elements that separate words; the others (b, i, a, span...) join their text to
// what surrounds it.
var blockTags = map[string]bool{
	"br": true, "p": true, "div": true, "li": true, "ul": true, "ol": true, "tr": true, "td": true,
	"th": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"blockquote": true, "pre": true, "hr": true, "table": true, "section": true, "article": true,
}

// plainText turns feed HTML into one line of plain text of at most max bytes, cut at a word: tags
// go (with the contents of script and style), entities are decoded and whitespace collapsed.
func plainText(s string, max int) string {
	var b strings.Builder
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		name, rest, ok := cutTag(s)
		if !ok { // a lone '<', as in "a < b"
			b.WriteByte('<')
			s = s[1:]
			continue
		}
		s = rest
		switch {
		case name == "script" || name == "style":
			s = skipPast(s, "</"+name)
		case blockTags[name]:
			b.WriteByte(' ')
		}
	}
	return truncateWords(cleanLine(html.UnescapeString(b.String())), max)
}

// cutTag reads the tag or comment at the start of s ("<...>") and returns its lower-case element
// name (without '/'), and what follows it. ok is false when s does not start a tag.
func cutTag(s string) (name, rest string, ok bool) {
	if strings.HasPrefix(s, "<!--") {
		return "!--", skipPast(s[4:], "-->"), true
	}
	if len(s) < 2 {
		return "", "", false
	}
	c := s[1]
	if !(c == '/' || c == '!' || c == '?' || isASCIILetter(c)) {
		return "", "", false
	}
	end := strings.IndexByte(s, '>')
	if end < 0 {
		return "", "", false
	}
	tag := strings.TrimLeft(s[1:end], "/!?")
	n := 0
	for n < len(tag) && (isASCIILetter(tag[n]) || tag[n] >= '0' && tag[n] <= '9') {
		n++
	}
	return strings.ToLower(tag[:n]), s[end+1:], true
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// skipPast returns what follows the first end in s (ASCII case-insensitive), or "".
func skipPast(s, end string) string {
	i := strings.Index(strings.ToLower(s), end)
	if i < 0 {
		return ""
	}
	s = s[i+len(end):]
	if j := strings.IndexByte(s, '>'); j >= 0 && strings.HasPrefix(end, "</") {
		return s[j+1:]
	}
	return s
}

// cleanLine collapses whitespace and control characters to single spaces, trims, and drops the
// runes we use as match marks, so indexed text cannot forge a highlight.
func cleanLine(s string) string {
	if isCleanASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError || r == '\ue000' || r == '\ue001':
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isCleanASCII reports whether s is printable ASCII with single spaces between words, which
// cleanLine would return unchanged. Most titles are.
func isCleanASCII(s string) bool {
	space := true // a leading space is not clean
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x7f:
			return false
		case c == ' ':
			if space {
				return false
			}
			space = true
		default:
			space = false
		}
	}
	return !space || s == ""
}

func cleanLines(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = cleanLine(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// truncateWords cuts s to at most max bytes, at a space when there is one in the last fifth, and
// never inside a rune.
func truncateWords(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if sp := strings.LastIndexByte(s[:cut], ' '); sp > max*4/5 {
		cut = sp
	}
	return s[:cut]
}

// firstWords returns the first n words of s, with "…" when it had more.
func firstWords(s string, n int) string {
	words, start := 0, -1
	for i, r := range s {
		if unicode.IsSpace(r) {
			start = -1
			continue
		}
		if start < 0 {
			if words == n {
				return strings.Join(strings.Fields(s[:i]), " ") + "…"
			}
			start = i
			words++
		}
	}
	return s
}
