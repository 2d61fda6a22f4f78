package feed

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// legacyEncoding is a candidate for a body that declares no encoding and is not UTF-8.
type legacyEncoding struct {
	name string
	enc  encoding.Encoding
}

var (
	encWindows1252 = legacyEncoding{"windows-1252", charmap.Windows1252}
	encWindows1250 = legacyEncoding{"windows-1250", charmap.Windows1250}
	encWindows1251 = legacyEncoding{"windows-1251", charmap.Windows1251}
	encKOI8R       = legacyEncoding{"KOI8-R", charmap.KOI8R}
	encWindows1253 = legacyEncoding{"windows-1253", charmap.Windows1253}
	encWindows1254 = legacyEncoding{"windows-1254", charmap.Windows1254}
	encWindows1255 = legacyEncoding{"windows-1255", charmap.Windows1255}
	encWindows1256 = legacyEncoding{"windows-1256", charmap.Windows1256}
	encWindows874  = legacyEncoding{"windows-874", charmap.Windows874}
	encShiftJIS    = legacyEncoding{"Shift_JIS", japanese.ShiftJIS}
	encEUCJP       = legacyEncoding{"EUC-JP", japanese.EUCJP}
	encGBK         = legacyEncoding{"GBK", simplifiedchinese.GBK}
	encBig5        = legacyEncoding{"Big5", traditionalchinese.Big5}
	encEUCKR       = legacyEncoding{"EUC-KR", korean.EUCKR}
)

// guessCandidates are tried, in this order of preference on ties, when nothing else is known.
var guessCandidates = []legacyEncoding{
	encWindows1252, encWindows1251, encKOI8R, encWindows1253, encWindows1255,
	encGBK, encShiftJIS, encEUCJP, encBig5, encEUCKR,
}

// languageCandidates narrows the guess by the feed's <language>.
var languageCandidates = map[string][]legacyEncoding{
	"ru": {encWindows1251, encKOI8R}, "uk": {encWindows1251, encKOI8R}, "bg": {encWindows1251},
	"be": {encWindows1251}, "sr": {encWindows1251, encWindows1250}, "mk": {encWindows1251},
	"el": {encWindows1253}, "he": {encWindows1255}, "iw": {encWindows1255},
	"ar": {encWindows1256}, "fa": {encWindows1256}, "tr": {encWindows1254}, "th": {encWindows874},
	"ja": {encShiftJIS, encEUCJP}, "zh": {encGBK, encBig5}, "ko": {encEUCKR},
	"pl": {encWindows1250}, "cs": {encWindows1250}, "sk": {encWindows1250}, "hu": {encWindows1250},
	"hr": {encWindows1250}, "sl": {encWindows1250}, "ro": {encWindows1250, encWindows1252},
}

// languagePattern finds the feed's language in the raw bytes.
var languagePattern = regexp.MustCompile(`(?i)<(?:dc:)?language>\s*(?:<!\[CDATA\[)?\s*([a-z]{2,3})(?:[-_]([a-z]{2,4}))?|xml:lang\s*=\s*["']([a-z]{2,3})`)

// guessSampleBytes bounds how much of a body the guess decodes per candidate.
const guessSampleBytes = 256 << 10

// guessEncoding picks the legacy encoding under which body reads most like real text.
func guessEncoding(body []byte) (encoding.Encoding, string) {
	sample := body[:min(len(body), guessSampleBytes)]
	cands := guessCandidates
	if lang, region := feedLanguage(sample); languageCandidates[lang] != nil {
		cands = languageCandidates[lang]
		if lang == "zh" && (region == "tw" || region == "hk" || region == "hant") {
			cands = []legacyEncoding{encBig5, encGBK}
		}
	} else if lang != "" {
		cands = []legacyEncoding{encWindows1252}
	}
	best, bestScore := cands[0], -1e18
	for _, c := range cands {
		text, err := c.enc.NewDecoder().String(string(sample))
		if err != nil {
			continue
		}
		if s := textScore(text); s > bestScore {
			best, bestScore = c, s
		}
	}
	return best.enc, best.name
}

// feedLanguage returns the lower-cased language and region codes found in the body.
func feedLanguage(b []byte) (lang, region string) {
	m := languagePattern.FindSubmatch(b)
	if m == nil {
		return "", ""
	}
	lang = string(m[1]) + string(m[3])
	return strings.ToLower(lang), strings.ToLower(string(m[2]))
}

// textScore rates how plausible decoded text is: letters of one script in words of that script
// score, replacement characters, C1 controls and scripts mixed inside a word cost.
func textScore(text string) float64 {
	rs := []rune(text)
	var score float64
	for i, r := range rs {
		if r < 0x80 {
			continue
		}
		var prev, next rune = ' ', ' '
		if i > 0 {
			prev = rs[i-1]
		}
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		score += runeScore(r, prev, next)
	}
	return score
}

// runeScore rates one non-ASCII rune given its neighbours.
func runeScore(r, prev, next rune) float64 {
	asciiNeighbour := isASCIILetter(prev) || isASCIILetter(next)
	switch {
	case r == unicode.ReplacementChar || r >= 0x80 && r <= 0x9f || unicode.Is(unicode.Co, r):
		return -4
	case r >= 0xc0 && r <= 0x24f:
		if asciiNeighbour {
			return 1
		}
		return 0.1
	case r >= 0xa0 && r <= 0xbf || r >= 0x2010 && r <= 0x206f || r == '€':
		return 0.5
	case unicode.In(r, unicode.Cyrillic, unicode.Greek, unicode.Hebrew, unicode.Arabic, unicode.Thai):
		if asciiNeighbour {
			return -1
		}
		return alphabetScore(r, prev, next)
	case unicode.In(r, unicode.Hiragana, unicode.Katakana) && !(r >= 0xff61 && r <= 0xff9f):
		return 3
	case r >= 0xff61 && r <= 0xff9f: // half-width katakana: rare in real text
		return -1
	case unicode.Is(unicode.Hangul, r):
		return 2.6
	case unicode.Is(unicode.Han, r):
		if commonHan(r) {
			return 2.5
		}
		return 0.3
	case r >= 0x3000 && r <= 0x303f || r >= 0xff01 && r <= 0xff5e:
		return 1.5
	}
	return 0
}

// commonLetters are the most frequent letters of Russian, Greek and Hebrew; rareLetters are
// letters seldom seen in Russian, frequent when Hebrew is misread as windows-1251.
const (
	commonLetters = "оеаинтсрвлαοειτνσυρπκςיוהלארמתבנ"
	rareLetters   = "ъщэфёц"
)

// alphabetScore rates a letter of an alphabetic script: lower case is the norm, capitals count
// at the start of a word only (KOI8-R misread as windows-1251 swaps the cases), and a lone
// letter counts little unless it is a common one-letter word.
func alphabetScore(r, prev, next rune) float64 {
	lone := !unicode.IsLetter(prev) && !unicode.IsLetter(next)
	switch {
	case lone && unicode.IsLower(r) && strings.ContainsRune(commonLetters, r):
		return 1
	case lone:
		return 0.1
	case strings.ContainsRune(commonLetters, r):
		return 2
	case strings.ContainsRune(rareLetters, r):
		return -0.5
	case unicode.IsUpper(r) && unicode.IsLetter(prev):
		return -1
	case unicode.IsLetter(r):
		return 1
	}
	return 0.2
}

// commonHan reports whether r is among the frequent ideographs: level 1 of GB 2312, of Big5 or
// of JIS X 0208. Text misread in the wrong CJK encoding lands mostly on rare ones.
func commonHan(r rune) bool {
	s := string(r)
	if b, err := simplifiedchinese.GBK.NewEncoder().String(s); err == nil && len(b) == 2 &&
		b[0] >= 0xb0 && b[0] <= 0xd7 && b[1] >= 0xa1 {
		return true
	}
	if b, err := traditionalchinese.Big5.NewEncoder().String(s); err == nil && len(b) == 2 &&
		b[0] >= 0xa4 && b[0] <= 0xc6 {
		return true
	}
	b, err := japanese.ShiftJIS.NewEncoder().String(s)
	return err == nil && len(b) == 2 && b[0] >= 0x88 && b[0] <= 0x98
}

// isASCIILetter reports whether r is an ASCII letter.
func isASCIILetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}
