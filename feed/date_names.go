package feed

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// zoneOffsets maps the zone abbreviations feeds use to seconds east of UTC. Ambiguous names take
// their most common meaning in podcast feeds (IST is India, BST is British Summer Time).
var zoneOffsets = map[string]int{
	"Z": 0, "UT": 0, "UTC": 0, "GMT": 0, "WET": 0,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
	"AKST": -9 * 3600, "AKDT": -8 * 3600, "HST": -10 * 3600, "AST": -4 * 3600, "ADT": -3 * 3600,
	"NST": -(3*3600 + 1800), "NDT": -(2*3600 + 1800),
	"BST": 3600, "IST": 5*3600 + 1800, "CET": 3600, "CEST": 2 * 3600, "MET": 3600, "MEST": 2 * 3600,
	"WEST": 3600, "EET": 2 * 3600, "EEST": 3 * 3600, "MSK": 3 * 3600, "SAST": 2 * 3600,
	"WAT": 3600, "EAT": 3 * 3600, "JST": 9 * 3600, "KST": 9 * 3600, "HKT": 8 * 3600,
	"SGT": 8 * 3600, "PHT": 8 * 3600, "AWST": 8 * 3600, "ACST": 9*3600 + 1800,
	"AEST": 10 * 3600, "AEDT": 11 * 3600, "NZST": 12 * 3600, "NZDT": 13 * 3600,
	"BRT": -3 * 3600, "ART": -3 * 3600, "CLT": -4 * 3600, "ICT": 7 * 3600, "WIB": 7 * 3600,
}

// monthNames lists full month names, January first, in the languages feeds are written in.
// Words are compared lower-cased with accents removed; a word of three letters or more that is a
// prefix of exactly one month's names ("sept", "janv", "okt", "ιουν") names that month.
var monthNames = [12][]string{
	{"january", "januar", "janvier", "enero", "janeiro", "gennaio", "januari", "jaenner", "janner", "ιανουαριος", "ιανουαριου", "январь", "января", "ocak", "styczen", "stycznia"},
	{"february", "februar", "fevrier", "febrero", "fevereiro", "febbraio", "februari", "φεβρουαριος", "φεβρουαριου", "февраль", "февраля", "subat", "luty", "lutego"},
	{"march", "marz", "maerz", "mars", "marzo", "marco", "maart", "marts", "mrz", "mrt", "μαρτιος", "μαρτιου", "март", "марта", "mart", "marzec", "marca"},
	{"april", "avril", "abril", "aprile", "απριλιος", "απριλιου", "апрель", "апреля", "nisan", "kwiecien", "kwietnia"},
	{"may", "mai", "mayo", "maio", "maggio", "mei", "maj", "μαιος", "μαιου", "май", "мая", "mayis", "maja"},
	{"june", "juni", "juin", "junio", "junho", "giugno", "ιουνιος", "ιουνιου", "июнь", "июня", "haziran", "czerwiec", "czerwca"},
	{"july", "juli", "juillet", "julio", "julho", "luglio", "ιουλιος", "ιουλιου", "июль", "июля", "temmuz", "lipiec", "lipca"},
	{"august", "aout", "agosto", "augustus", "augusti", "αυγουστος", "αυγουστου", "август", "августа", "agustos", "sierpien", "sierpnia"},
	{"september", "septembre", "septiembre", "setiembre", "setembro", "settembre", "σεπτεμβριος", "σεπτεμβριου", "сентябрь", "сентября", "eylul", "wrzesien", "wrzesnia"},
	{"october", "oktober", "octobre", "octubre", "outubro", "ottobre", "οκτωβριος", "οκτωβριου", "октябрь", "октября", "ekim", "pazdziernik", "pazdziernika"},
	{"november", "novembre", "noviembre", "novembro", "νοεμβριος", "νοεμβριου", "ноябрь", "ноября", "kasim", "kasım", "listopad", "listopada"},
	{"december", "dezember", "decembre", "diciembre", "dezembro", "dicembre", "δεκεμβριος", "δεκεμβριου", "декабрь", "декабря", "aralik", "aralık", "grudzien", "grudnia"},
}

// weekdayLike are weekday abbreviations that are also month prefixes: "mar" is Tuesday in
// French, Spanish and Italian ("mar., 02 oct. 2018").
var weekdayLike = map[string]bool{"mar": true}

// monthWords maps every full name and every unambiguous prefix of three letters or more to its
// month number; ambiguous prefixes map to -1.
var monthWords = buildMonthWords()

func buildMonthWords() map[string]int {
	words := map[string]int{}
	full := map[string]bool{}
	for i, names := range monthNames {
		for _, name := range names {
			name = foldWord(name)
			words[name] = i + 1
			full[name] = true
		}
	}
	for i, names := range monthNames {
		for _, name := range names {
			rs := []rune(foldWord(name))
			for n := 3; n < len(rs); n++ {
				p := string(rs[:n])
				if full[p] {
					continue
				}
				if m, ok := words[p]; ok && m != i+1 {
					words[p] = -1
				} else {
					words[p] = i + 1
				}
			}
		}
	}
	return words
}

// monthFromWord returns the month (1-12) a folded word names, or 0.
func monthFromWord(w string) int {
	if m := monthWords[w]; m > 0 {
		return m
	}
	return 0
}

// foldWord lower-cases w, removes accents and a trailing dot, and writes Greek final sigma as
// sigma.
func foldWord(w string) string {
	w = strings.ToLower(strings.TrimSuffix(w, "."))
	if isASCII(w) {
		return w
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		switch {
		case r == 'ς':
			b.WriteRune('σ')
		case !unicode.Is(unicode.Mn, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isASCII reports whether s has only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
