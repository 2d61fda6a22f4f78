package demo

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// vars fills the {placeholders} of the sentence templates in words_*.go.
type vars struct {
	host    string    // all hosts' names: "Maria Okafor and James Chen"
	lead    string    // lead host's first name
	guest   [2]string // first and last name, joined by a space when expanded
	subject string    // prose, with its article: "the kitchen garden"
	other   string    // a second subject
	topic   string    // prose: "open source"
	name    string    // topic as a title word: "Open Source"
	role    string    // English show titles: "Engineer"
	adj     string    // English show titles: "Quiet"
	gerund  string
	guestAs string // guest's role, HTML: "author of <em>Small Fires</em>"
	show    string
	link    string
	site    string
	cadence string // "every week"
	number  int
	season  int
	episode int
	id      int // episode index in the feed, 1 for the oldest; used in links
}

// expand appends tmpl to dst with each {key} replaced by its value from v. An unknown key
// panics: templates are constants of this package, and the tests expand every one of them.
func expand(dst []byte, tmpl string, v *vars) []byte {
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			return append(dst, tmpl...)
		}
		dst = append(dst, tmpl[:i]...)
		j := strings.IndexByte(tmpl[i:], '}')
		dst = v.append(dst, tmpl[i+1:i+j])
		tmpl = tmpl[i+j+1:]
	}
}

func (v *vars) append(dst []byte, key string) []byte {
	switch key {
	case "h":
		return append(dst, v.host...)
	case "lead":
		return append(dst, v.lead...)
	case "g":
		return append(append(append(dst, v.guest[0]...), ' '), v.guest[1]...)
	case "s":
		return append(dst, v.subject...)
	case "S":
		return capitalize(append(dst, v.subject...), len(dst))
	case "s2":
		return append(dst, v.other...)
	case "t":
		return append(dst, v.topic...)
	case "T":
		return append(dst, v.name...)
	case "R":
		return append(dst, v.role...)
	case "A":
		return append(dst, v.adj...)
	case "G":
		return append(dst, v.gerund...)
	case "as":
		return append(dst, v.guestAs...)
	case "show":
		return append(dst, v.show...)
	case "link":
		return append(dst, v.link...)
	case "site":
		return append(dst, v.site...)
	case "cad":
		return append(dst, v.cadence...)
	case "n":
		return strconv.AppendInt(dst, int64(v.number), 10)
	case "sn":
		return strconv.AppendInt(dst, int64(v.season), 10)
	case "en":
		return strconv.AppendInt(dst, int64(v.episode), 10)
	case "id":
		return strconv.AppendInt(dst, int64(v.id), 10)
	}
	panic("demo: unknown template key {" + key + "}")
}

// capitalize upper-cases the letter at b[at], in place when the upper-case form has the same
// UTF-8 length (true of every letter our word lists start with).
func capitalize(b []byte, at int) []byte {
	if at >= len(b) {
		return b
	}
	if c := b[at]; c < utf8.RuneSelf {
		if 'a' <= c && c <= 'z' {
			b[at] = c - 'a' + 'A'
		}
		return b
	}
	r, size := utf8.DecodeRune(b[at:])
	if u := unicode.ToUpper(r); utf8.RuneLen(u) == size {
		utf8.EncodeRune(b[at:], u)
	}
	return b
}

// minorWords stay lower case inside an English title.
var minorWords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "of": true, "in": true,
	"on": true, "at": true, "to": true, "for": true, "with": true, "by": true, "from": true,
	"as": true, "vs": true, "nor": true, "but": true,
}

// titleCase capitalizes the words of b[from:] in English title style: every word but minor
// ones, and always the first word and the first after a colon. Hyphenated parts are
// capitalized too, as Chicago style does.
func titleCase(b []byte, from int) []byte {
	first := true
	for i := from; i < len(b); {
		for i < len(b) && b[i] == ' ' {
			i++
		}
		j := i
		for j < len(b) && b[j] != ' ' {
			j++
		}
		if j == i {
			break
		}
		word := b[i:j]
		if first || !minorWords[string(word)] { // string(word) in a map index does not allocate
			capitalize(b, i)
			for k := i + 1; k < j-1; k++ { // "Self-Improvement", "Late-Night"
				if b[k] == '-' {
					capitalize(b, k+1)
				}
			}
		}
		first = word[len(word)-1] == ':'
		i = j
	}
	return b
}

// titleCaseString is titleCase for the few strings built once per show.
func titleCaseString(s string) string { return string(titleCase([]byte(s), 0)) }

// stripTags appends the text of an HTML fragment without its tags, a space standing for each
// paragraph break. Our fragments never contain '<' or '>' outside tags, so no parser is needed.
func stripTags(dst, html []byte) []byte {
	start := len(dst)
	for len(html) > 0 {
		i := bytes.IndexByte(html, '<')
		if i < 0 {
			dst = append(dst, html...)
			break
		}
		dst = append(dst, html[:i]...)
		j := bytes.IndexByte(html[i:], '>')
		if j < 0 {
			break
		}
		if string(html[i:i+j+1]) == "</p>" && len(dst) > start {
			dst = append(dst, ' ')
		}
		html = html[i+j+1:]
	}
	return bytes.TrimRight(dst, " ")
}

// foldAccents maps the accented letters of our word lists to ASCII for URL slugs.
var foldAccents = strings.NewReplacer(
	"ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "ae", "Ö", "oe", "Ü", "ue",
	"à", "a", "á", "a", "â", "a", "ã", "a", "ç", "c", "è", "e", "é", "e", "ê", "e",
	"ë", "e", "í", "i", "î", "i", "ï", "i", "ñ", "n", "ó", "o", "ô", "o", "õ", "o",
	"ú", "u", "û", "u", "É", "e", "Á", "a", "Í", "i", "Ó", "o", "Ú", "u", "ø", "o", "Ø", "o",
)

// slugify turns a title into a URL path segment: "Café & Cie." becomes "cafe-cie".
func slugify(s string) string {
	s = foldAccents.Replace(s)
	b := make([]byte, 0, len(s))
	dash := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c == '\'':
			continue
		default:
			dash = len(b) > 0
			continue
		}
		if dash {
			b = append(b, '-')
			dash = false
		}
		b = append(b, c)
	}
	if len(b) == 0 {
		return "show"
	}
	return string(b)
}
