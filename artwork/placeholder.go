package artwork

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"html"
	"strings"
	"unicode"
)

// Placeholder is the SVG drawn where a show or episode has no artwork, or its artwork could not
// be fetched or read: the initials of title on a colour chosen by title's hash, so that one show
// always gets the same tile and neighbours in a list rarely share one.
func Placeholder(title string) []byte { return PlaceholderSVG(Initials(title), Hue(title)) }

// PlaceholderSVG draws initials on the colour of hue (0-359).
func PlaceholderSVG(initials string, hue int) []byte {
	return []byte(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 100 100">`+
		`<rect width="100" height="100" fill="hsl(%d,42%%,38%%)"/>`+
		`<text x="50" y="50" dy=".35em" text-anchor="middle" font-family="system-ui,sans-serif" font-size="38" font-weight="600" fill="#fff">%s</text></svg>`,
		Large, Large, hue, html.EscapeString(initials)))
}

// Hue is the colour of title's placeholder, 0-359 on the colour wheel.
func Hue(title string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(strings.ToLower(strings.TrimSpace(title))))
	return int(h.Sum32() % 360)
}

// Initials are the first letters or digits of title's first two words, upper case; "♪" for a
// title without any.
func Initials(title string) string {
	var out []rune
	for _, w := range strings.FieldsFunc(title, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		out = append(out, unicode.ToUpper([]rune(w)[0]))
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		return "♪"
	}
	return string(out)
}

// ValidInitials reports whether s is something Initials returns: one or two upper-case letters
// or digits, or "♪".
func ValidInitials(s string) bool {
	if s == "♪" {
		return true
	}
	rs := []rune(s)
	if len(rs) == 0 || len(rs) > 2 {
		return false
	}
	for _, r := range rs {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r)) || unicode.ToUpper(r) != r {
			return false
		}
	}
	return true
}

// Digest is a short hash of b, for ETags.
func Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
