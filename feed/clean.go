package feed

import (
	"bytes"
	"html"
	"regexp"
	"unicode/utf8"
)

// rootPattern finds the start tag of a feed's root element: <rss>, Atom's <feed>, RSS 1.0's
// <rdf:RDF> (under any prefix).
var rootPattern = regexp.MustCompile(`(?i)<(?:[a-z_][\w.-]*:)?(?:rss|feed|rdf)[\s>/]`)

// htmlPattern spots an HTML page before any feed root. A bare XHTML doctype does not count:
// some feeds carry one before <rss>.
var htmlPattern = regexp.MustCompile(`(?i)<(?:html|head|body)[\s>]`)

// prologPattern matches what may legitimately precede a root element.
var prologPattern = regexp.MustCompile(`^(?:\s+|<\?[^>]*\?>|<!--(?:[^-]|-[^-])*-->|<!DOCTYPE[^>]*>)*$`)

// trimToRoot cuts everything before the root element: the XML declaration (the body is UTF-8
// now, whatever it declared), comments, a doctype, and junk such as blank lines or PHP warnings.
// It reports false when there is no feed root or when an HTML page comes first.
func trimToRoot(b []byte, w *warnings) ([]byte, bool) {
	loc := rootPattern.FindIndex(b)
	if loc == nil {
		return nil, false
	}
	prefix := b[:loc[0]]
	if htmlPattern.Match(prefix) {
		return nil, false
	}
	if !prologPattern.Match(prefix) {
		w.addf("removed %d bytes of junk before the root element", len(prefix))
	}
	return b[loc[0]:], true
}

// xmlEntities are the five entities XML defines; every other named entity is HTML's.
var xmlEntities = map[string]bool{"amp": true, "lt": true, "gt": true, "quot": true, "apos": true}

// fixMarkup rewrites what makes XML parsers give up, outside CDATA sections and comments: HTML
// named entities become numeric references, unknown entities, bare ampersands and a "<" that
// starts no tag are escaped, and characters XML forbids (NUL and other C0 controls, U+FFFE,
// U+FFFF) are dropped everywhere.
func fixMarkup(b []byte, w *warnings) []byte {
	out := make([]byte, 0, len(b)+len(b)/64)
	var entities, amps, illegal int
	for i := 0; i < len(b); {
		switch {
		case b[i] == '<' && bytes.HasPrefix(b[i:], []byte("<![CDATA[")):
			end := indexFrom(b, i+9, "]]>", 3)
			illegal += appendLegal(&out, b[i:end])
			i = end
		case b[i] == '<' && bytes.HasPrefix(b[i:], []byte("<!--")):
			end := indexFrom(b, i+4, "-->", 3)
			illegal += appendLegal(&out, b[i:end])
			i = end
		case b[i] == '&':
			n, kind := fixEntity(&out, b[i:])
			entities += boolCount(kind == 'e')
			amps += boolCount(kind == 'a')
			i += n
		case b[i] == '<' && !startsTag(b[i+1:]):
			out = append(out, "&lt;"...)
			amps++
			i++
		default:
			end := i + 1 + nextSpecial(b[i+1:])
			illegal += appendLegal(&out, b[i:end])
			i = end
		}
	}
	noteMarkupFixes(w, entities, amps, illegal)
	return out
}

// noteMarkupFixes records the markup repairs that were made.
func noteMarkupFixes(w *warnings, entities, bare, illegal int) {
	if entities > 0 {
		w.addf("replaced %d HTML or unknown entities", entities)
	}
	if bare > 0 {
		w.addf("escaped %d bare & or < characters", bare)
	}
	if illegal > 0 {
		w.addf("removed %d characters that XML does not allow", illegal)
	}
}

// startsTag reports whether the bytes after a "<" begin markup: a name, "/", "!" or "?".
func startsTag(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	c := b[0]
	return c == '/' || c == '!' || c == '?' || c == '_' || c == ':' || c >= 'a' && c <= 'z' ||
		c >= 'A' && c <= 'Z' || c >= 0x80
}

// nextSpecial returns the index of the next '<' or '&' in b, or len(b).
func nextSpecial(b []byte) int {
	i := bytes.IndexAny(b, "<&")
	if i < 0 {
		return len(b)
	}
	return i
}

// indexFrom returns the index just after the first sep in b at or after from, or len(b).
func indexFrom(b []byte, from int, sep string, n int) int {
	if from > len(b) {
		return len(b)
	}
	j := bytes.Index(b[from:], []byte(sep))
	if j < 0 {
		return len(b)
	}
	return from + j + n
}

// entityPattern matches a character or entity reference at the start of the input.
var entityPattern = regexp.MustCompile(`^&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{0,31});`)

// fixEntity handles the '&' at b[0]: it appends the repaired text to out and returns how many
// input bytes it consumed and what it did ('e' entity replaced, 'a' ampersand escaped, 0 kept).
func fixEntity(out *[]byte, b []byte) (int, byte) {
	m := entityPattern.Find(b[:min(len(b), 48)])
	if m == nil {
		*out = append(*out, "&amp;"...)
		return 1, 'a'
	}
	name := string(m[1 : len(m)-1])
	switch {
	case name[0] == '#':
		r := []rune(html.UnescapeString(string(m)))
		if len(r) != 1 || !legalXMLRune(r[0]) || r[0] == utf8.RuneError && name != "#65533" {
			return len(m), 'e' // a reference to a character XML forbids: drop it
		}
		*out = append(*out, m...)
		return len(m), 0
	case xmlEntities[name]:
		*out = append(*out, m...)
		return len(m), 0
	}
	if s := html.UnescapeString(string(m)); s != string(m) {
		for _, r := range s {
			*out = append(*out, "&#"...)
			*out = appendInt(*out, int(r))
			*out = append(*out, ';')
		}
		return len(m), 'e'
	}
	*out = append(*out, "&amp;"...)
	return 1, 'e'
}

// appendLegal appends b to out without the characters XML 1.0 forbids and returns how many it
// dropped.
func appendLegal(out *[]byte, b []byte) int {
	dropped := 0
	for len(b) > 0 {
		c := b[0]
		if c >= 0x20 && c < 0x80 || c == '\t' || c == '\n' || c == '\r' {
			*out = append(*out, c)
			b = b[1:]
			continue
		}
		r, n := utf8.DecodeRune(b)
		if legalXMLRune(r) {
			*out = append(*out, b[:n]...)
		} else {
			dropped++
		}
		b = b[n:]
	}
	return dropped
}

// legalXMLRune reports whether XML 1.0 allows r in a document.
func legalXMLRune(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xd7ff ||
		r >= 0xe000 && r <= 0xfffd || r >= 0x10000 && r <= 0x10ffff
}

func appendInt(b []byte, n int) []byte {
	if n >= 10 {
		b = appendInt(b, n/10)
	}
	return append(b, byte('0'+n%10))
}

func boolCount(b bool) int {
	if b {
		return 1
	}
	return 0
}
