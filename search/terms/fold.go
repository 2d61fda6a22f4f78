package terms

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Typesense 0.24.1 folds case and accents for Latin script only: "ΚΑΛΗΜΕΡΑ" does not find
// "Καλημέρα", nor "ПРИВЕТ" "привет". And it joins the parts of a word that punctuation splits
// ("Post-Punk" is one token, "postpunk"), so "post punk" and "punk" miss it. Hark folds what it
// indexes for matching (title_key) and every query the same way, in Go, so that Typesense
// compares plain lower-case words without marks.

// Fold returns s as Hark matches it: lower case, without the accents of Latin, Greek and
// Cyrillic letters, ß as ss, Turkish dotted and dotless i as i, final sigma as sigma,
// apostrophes dropped ("It's" is "its") and every other rune that is not a letter, a digit or a
// mark of another script turned into a space between words. "Καλημέρα, Post-Punk!" gives
// "καλημερα post punk".
func Fold(s string) string { return fold(s, false) }

// FoldQuery is Fold for a query: it keeps a '"' that opens or closes a word, as Typesense reads
// phrases from them, when they pair up (a pasted title with `"Israel"'s` in it opens a phrase
// it never closes). A '-' before a word is never kept: a pasted title ("Episode 12 -Leaving")
// means the word, not its exclusion.
func FoldQuery(q string) string {
	f := fold(q, true)
	if strings.Count(f, `"`)%2 == 1 {
		return strings.Join(strings.Fields(strings.ReplaceAll(f, `"`, " ")), " ")
	}
	return f
}

func fold(s string, quotes bool) string {
	if isFoldedASCII(s, quotes) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is due before the next word rune
	var base rune  // the last letter written, whose script decides whether marks go
	kept := false  // a mark was kept: the text must be composed again
	src := norm.NFD.String(s)
	for i, r := range src {
		switch {
		case unicode.Is(unicode.Mn, r):
			if !foldsMarks(base) {
				b.WriteRune(r) // a vowel sign of Devanagari, a dakuten: part of the letter
				kept = true
			}
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
		case quotes && r == '"' && quoteAtEdge(src, i):
		case r == '\'' || r == '’' || r == 'ʼ':
			continue // "It's" is one word, "its", as people type it
		default:
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		base = r
		writeFolded(&b, r)
	}
	if kept {
		return norm.NFC.String(b.String())
	}
	return b.String()
}

// writeFolded writes r in lower case, spelled as Fold spells it.
func writeFolded(b *strings.Builder, r rune) {
	switch r {
	case 'ß', 'ẞ':
		b.WriteString("ss")
	case 'ı':
		b.WriteByte('i')
	case 'ς':
		b.WriteRune('σ')
	case 'ø', 'Ø':
		b.WriteByte('o')
	case 'æ', 'Æ':
		b.WriteString("ae")
	case 'œ', 'Œ':
		b.WriteString("oe")
	case 'đ', 'Đ':
		b.WriteByte('d')
	case 'ł', 'Ł':
		b.WriteByte('l')
	default:
		b.WriteRune(unicode.ToLower(r))
	}
}

// foldsMarks reports whether the marks after base are accents Fold drops: those of Latin, Greek
// and Cyrillic letters (and of digits, which have none that matter).
func foldsMarks(base rune) bool {
	return base < utf8.RuneSelf || unicode.In(base, unicode.Latin, unicode.Greek, unicode.Cyrillic)
}

// quoteAtEdge reports whether the '"' at i in s starts or ends a word.
func quoteAtEdge(s string, i int) bool {
	return i == 0 || s[i-1] == ' ' || i == len(s)-1 || s[i+1] == ' '
}

// isFoldedASCII reports whether s is already as Fold returns it: lower-case ASCII letters and
// digits in words that single spaces separate. Most queries typed in English are.
func isFoldedASCII(s string, quotes bool) bool {
	space := true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			space = false
		case c == ' ':
			if space {
				return false
			}
			space = true
		case c == '"' && quotes:
			return false // whether it stays depends on where it is: the slow path decides
		default:
			return false
		}
	}
	return !space || s == ""
}

// HoldsWords reports whether text holds every word of q, both folded (see Fold): a result that
// does answers q as well as any other, which is how the bench and the tests tell a query
// ambiguous by nature.
func HoldsWords(text, q string) bool {
	have := strings.Fields(Fold(text))
	for _, w := range strings.Fields(Fold(q)) {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}
