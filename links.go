package hark

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A page's canonical path names its show or episode by a slug of the title and the ID. The web
// pages, the API's links and the sitemaps build them here, so they never disagree.

// maxSlugLength bounds a slug, in bytes, so a long title does not make a long URL; the cut falls
// between words.
const maxSlugLength = 60

// foldLetters are the letters that Unicode does not decompose into an ASCII letter and a mark.
var foldLetters = strings.NewReplacer("ß", "ss", "æ", "ae", "Æ", "ae", "ø", "o", "Ø", "o", "œ", "oe", "Œ", "oe",
	"ł", "l", "Ł", "l", "đ", "d", "Đ", "d", "ð", "d", "þ", "th", "Þ", "th", "ı", "i")

// Slug is title folded to lower-case ASCII words joined by hyphens ("Café Ölçü" is
// "cafe-olcu"), at most maxSlugLength bytes; "" when no letter or digit is left.
func Slug(title string) string {
	if !isASCII(title) { // a sitemap slugs 50,000 titles: most are ASCII and skip the folding
		title = norm.NFKD.String(foldLetters.Replace(title))
	}
	b := make([]byte, 0, min(len(title), maxSlugLength+16))
	hyphen := false
	for _, r := range title {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9', 'A' <= r && r <= 'Z':
			if hyphen && len(b) > 0 {
				b = append(b, '-')
			}
			hyphen = false
			b = append(b, byte(unicode.ToLower(r)))
		case unicode.Is(unicode.Mn, r): // accents, once decomposed
		default:
			hyphen = true
		}
		if len(b) > maxSlugLength {
			break
		}
	}
	s := string(b)
	if len(s) > maxSlugLength {
		s = s[:maxSlugLength]
		if i := strings.LastIndexByte(s, '-'); i > 0 {
			s = s[:i]
		}
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// refPath is /{kind}/{slug}-{id}, or /{kind}/{id} for a title without letters.
func refPath(kind, id, title string) string {
	if s := Slug(title); s != "" {
		return "/" + kind + "/" + s + "-" + id
	}
	return "/" + kind + "/" + id
}

// PodcastPath is the canonical path of a podcast's page.
func PodcastPath(id, title string) string { return refPath("podcasts", id, title) }

// EpisodePath is the canonical path of an episode's page.
func EpisodePath(id, title string) string { return refPath("episodes", id, title) }
