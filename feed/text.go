package feed

import (
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// refPattern matches one well-formed character or entity reference.
var refPattern = regexp.MustCompile(`&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

// cleanLine returns a one-line text field (title, author) repaired and trimmed: mojibake and C1
// controls fixed, references left over from double escaping ("&amp;amp;") decoded once, and
// runs of white space collapsed to one space.
func cleanLine(s string) string {
	s = fixText(s)
	if strings.Contains(s, "&") {
		s = refPattern.ReplaceAllStringFunc(s, html.UnescapeString)
	}
	return strings.Join(strings.Fields(s), " ")
}

// cleanHTML returns an HTML field (description) with mojibake and C1 controls fixed, trimmed.
func cleanHTML(s string) string {
	return strings.TrimSpace(fixText(s))
}

// fixText repairs text that went through the wrong encoding once: UTF-8 read as Latin-1 or
// windows-1252 ("donâ€™t", "Ã©") is decoded back, and C1 control characters, which real text
// never holds, are read as the windows-1252 characters they were meant to be. Only sequences
// led by Â, Ã or â are repaired: they cover accented Latin letters and typographic punctuation,
// and real text almost never has them followed by the symbols that make up the rest.
func fixText(s string) string {
	if isASCII(s) || !strings.ContainsFunc(s, func(r rune) bool { return r >= 0x80 && r <= 0x9f || r == 'Â' || r == 'Ã' || r == 'â' }) {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(rs); i++ {
		if r, n := decodeMojibake(rs[i:]); n > 0 {
			b.WriteRune(r)
			i += n - 1
			continue
		}
		r := rs[i]
		if r >= 0x80 && r <= 0x9f {
			r = charmap.Windows1252.DecodeByte(byte(r))
		}
		b.WriteRune(r)
	}
	return b.String()
}

// decodeMojibake reads rs as the bytes of one UTF-8 sequence that was decoded as Latin-1 or
// windows-1252, and returns the character meant and the number of runes used, or 0.
func decodeMojibake(rs []rune) (rune, int) {
	var n int
	switch rs[0] {
	case 'Â', 'Ã':
		n = 2
	case 'â':
		n = 3
	default:
		return 0, 0
	}
	lead := byte(rs[0])
	if len(rs) < n {
		return 0, 0
	}
	buf := []byte{lead}
	for _, r := range rs[1:n] {
		c, ok := cp1252Byte(r)
		if !ok || c < 0x80 || c > 0xbf {
			return 0, 0
		}
		buf = append(buf, c)
	}
	r, size := utf8.DecodeRune(buf)
	if r == utf8.RuneError || size != n {
		return 0, 0
	}
	return r, n
}

// cp1252Reverse maps the windows-1252 characters outside Latin-1 back to their bytes.
var cp1252Reverse = func() map[rune]byte {
	m := map[rune]byte{}
	for c := 0x80; c <= 0x9f; c++ {
		if r := charmap.Windows1252.DecodeByte(byte(c)); r != utf8.RuneError && r > 0xff {
			m[r] = byte(c)
		}
	}
	return m
}()

// cp1252Byte returns the byte that stands for r in Latin-1 or windows-1252.
func cp1252Byte(r rune) (byte, bool) {
	if r < 0x100 {
		return byte(r), true
	}
	c, ok := cp1252Reverse[r]
	return c, ok
}

// visibleLen is the length of s without HTML tags, to tell the richer of two descriptions.
func visibleLen(s string) int {
	n, inTag := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '<':
			inTag = true
		case c == '>':
			inTag = false
		case !inTag && c != ' ' && c != '\n' && c != '\t' && c != '\r':
			n++
		}
	}
	return n
}

// richest returns the candidate with the most visible text; on a tie the earlier one.
func richest(candidates ...string) string {
	best, bestLen := "", -1
	for _, c := range candidates {
		if l := visibleLen(c); l > bestLen {
			best, bestLen = c, l
		}
	}
	return best
}

// firstNonEmpty returns the first argument that is not empty after trimming space.
func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
