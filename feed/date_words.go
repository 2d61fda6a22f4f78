package feed

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// dateToken is one piece of a date string.
type dateToken struct {
	kind  byte // 'w' word, 'n' number, 't' clock time, 'd' numeric date, 'z' numeric zone
	text  string
	comma bool // a comma followed the token
}

// maxUnknownWords is how many words a date may carry that are neither month, zone nor am/pm
// ("de" in "24 de setembro de 2018", weekdays, "at").
const maxUnknownWords = 4

// parseWordDate parses RFC 822-like dates by classifying tokens, in any order: a month name,
// up to two small numbers (day, then a two-digit year), a four-digit year, a clock time, a zone.
func parseWordDate(s string) (time.Time, bool) {
	toks := tokenizeDate(s)
	var d dateParts
	st := wordDateState{}
	for i, tok := range toks {
		if !st.add(&d, toks, i, tok) {
			return time.Time{}, false
		}
	}
	if !st.finish(&d) {
		return time.Time{}, false
	}
	return d.time()
}

// wordDateState tracks which parts of a date have been seen.
type wordDateState struct {
	hasDay, hasYear, hasTime, hasZone bool
	monthFirm, monthWeak              int // from a plain month word, and from one that may be a weekday
	pm, am                            bool
	unknown                           int
	twoDigitYear                      bool
}

// add folds one token into d; it reports false when the token makes the string not a date.
func (st *wordDateState) add(d *dateParts, toks []dateToken, i int, tok dateToken) bool {
	switch tok.kind {
	case 'w':
		return st.addWord(d, toks, i, tok)
	case 'n':
		return st.addNumber(d, tok.text)
	case 't':
		if st.hasTime {
			return false
		}
		st.hasTime = true
		return parseClockTime(d, tok.text)
	case 'd':
		if st.hasDay || st.hasYear {
			return false
		}
		st.hasDay, st.hasYear = true, true
		return parseNumericDate(d, tok.text)
	case 'z':
		if off, ok := parseZone(tok.text); ok && !st.hasZone {
			d.offset, st.hasZone = off, true
		}
	}
	return true
}

// addWord handles month names, zone names, am/pm and ignorable words.
func (st *wordDateState) addWord(d *dateParts, toks []dateToken, i int, tok dateToken) bool {
	w := foldWord(tok.text)
	switch w {
	case "am", "a.m":
		st.am = true
		return true
	case "pm", "p.m":
		st.pm = true
		return true
	}
	if off, ok := zoneOffsets[strings.ToUpper(w)]; ok {
		if !st.hasZone {
			d.offset, st.hasZone = off, true
		}
		// "GMT+0200": a numeric offset right after GMT/UTC wins.
		if off == 0 && i+1 < len(toks) && toks[i+1].kind == 'z' {
			st.hasZone = false
		}
		return true
	}
	if m := monthFromWord(w); m > 0 {
		// A weekday abbreviation that is also a month prefix ("mar" is Tuesday in French,
		// Spanish and Italian) counts only when no other month word is present.
		if weekdayLike[w] || (i == 0 && tok.comma) {
			if st.monthWeak == 0 {
				st.monthWeak = m
			}
		} else if st.monthFirm == 0 {
			st.monthFirm = m
		}
		return true
	}
	st.unknown++
	return st.unknown <= maxUnknownWords
}

// addNumber handles day, year and "1500"-style times.
func (st *wordDateState) addNumber(d *dateParts, s string) bool {
	n, err := strconv.Atoi(s)
	if err != nil {
		return false
	}
	switch {
	case len(s) == 4 && !st.hasYear:
		d.year, st.hasYear = n, true
	case len(s) == 4 && !st.hasTime: // "03 Apr 02 1500 GMT"
		d.hour, d.min, st.hasTime = n/100, n%100, true
	case len(s) <= 2 && !st.hasDay:
		d.day, st.hasDay = n, true
	case len(s) <= 2 && !st.hasYear:
		d.year, st.hasYear, st.twoDigitYear = n, true, true
	case len(s) <= 2 && !st.hasTime && (st.am || st.pm):
		d.hour, st.hasTime = n, true
	default:
		return false
	}
	return true
}

// finish applies the month, two-digit year and am/pm, and checks that a date was found.
func (st *wordDateState) finish(d *dateParts) bool {
	if d.month == 0 {
		d.month = st.monthFirm
		if d.month == 0 {
			d.month = st.monthWeak
		}
	}
	if d.month == 0 || !st.hasYear {
		return false
	}
	if !st.hasDay {
		d.day = 1
	}
	if st.twoDigitYear {
		d.year = twoDigitYear(d.year)
	}
	if st.pm && d.hour < 12 {
		d.hour += 12
	} else if st.am && d.hour == 12 {
		d.hour = 0
	}
	return true
}

// parseClockTime parses "15:04", "15:04:05" and "15:04:05.123".
func parseClockTime(d *dateParts, s string) bool {
	clock, frac, _ := strings.Cut(s, ".")
	parts := strings.Split(clock, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	vals := make([]int, 3)
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || len(p) > 2 {
			return false
		}
		vals[i] = v
	}
	d.hour, d.min, d.sec, d.nsec = vals[0], vals[1], vals[2], fractionNanos(frac)
	return true
}

// parseNumericDate parses "17.10.2018" (day first), "10/17/2018" (month first unless the first
// part cannot be a month) and "2018/10/17".
func parseNumericDate(d *dateParts, s string) bool {
	sep := s[strings.IndexAny(s, "./-")]
	parts := strings.Split(s, string(sep))
	if len(parts) != 3 {
		return false
	}
	var v [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return false
		}
		v[i] = n
	}
	switch {
	case len(parts[0]) == 4:
		d.year, d.month, d.day = v[0], v[1], v[2]
	case sep == '.' || sep == '-' || v[0] > 12:
		d.day, d.month, d.year = v[0], v[1], v[2]
	default:
		d.month, d.day, d.year = v[0], v[1], v[2]
	}
	if len(parts[2]) == 2 && len(parts[0]) != 4 {
		d.year = twoDigitYear(d.year)
	}
	return true
}

// tokenizeDate splits a date string into words, numbers, clock times, numeric dates and
// numeric zones; other characters separate tokens.
func tokenizeDate(s string) []dateToken {
	var toks []dateToken
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsLetter(r):
			j := scan(rs, i, unicode.IsLetter)
			toks = append(toks, dateToken{kind: 'w', text: string(rs[i:j])})
			i = j
		case unicode.IsDigit(r):
			var tok dateToken
			tok, i = scanNumeric(rs, i)
			toks = append(toks, tok)
		case (r == '+' || r == '-') && i+1 < len(rs) && unicode.IsDigit(rs[i+1]) && zoneContext(toks):
			j := scan(rs, i+1, func(r rune) bool { return unicode.IsDigit(r) || r == ':' })
			toks = append(toks, dateToken{kind: 'z', text: string(rs[i:j])})
			i = j
		default:
			if r == ',' && len(toks) > 0 {
				toks[len(toks)-1].comma = true
			}
			i++
		}
	}
	return toks
}

// zoneContext reports whether a sign here starts a zone offset rather than separating parts
// ("02-Jan-2006"): it must follow a clock time, a year or a zone name.
func zoneContext(toks []dateToken) bool {
	if len(toks) == 0 {
		return false
	}
	last := toks[len(toks)-1]
	return last.kind == 't' || last.kind == 'n' && len(last.text) == 4 || last.kind == 'w' && isZoneWord(last.text)
}

// isZoneWord reports whether w names a zone.
func isZoneWord(w string) bool {
	_, ok := zoneOffsets[strings.ToUpper(w)]
	return ok
}

// scanNumeric reads, from rs[i], a clock time ("15:04:05.1"), a numeric date ("17.10.2018"),
// or a number with an optional ordinal suffix ("2nd") or am/pm ("5pm" becomes "5:00" so the
// following word sets the half of the day).
func scanNumeric(rs []rune, i int) (dateToken, int) {
	j := scan(rs, i, unicode.IsDigit)
	num := string(rs[i:j])
	if j+1 < len(rs) && rs[j] == ':' && unicode.IsDigit(rs[j+1]) {
		k := scan(rs, j, func(r rune) bool { return unicode.IsDigit(r) || r == ':' || r == '.' })
		return dateToken{kind: 't', text: strings.TrimRight(string(rs[i:k]), ".:")}, k
	}
	if j+1 < len(rs) && strings.ContainsRune("./-", rs[j]) && unicode.IsDigit(rs[j+1]) {
		sep := rs[j]
		k := scan(rs, j, func(r rune) bool { return unicode.IsDigit(r) || r == sep })
		if text := string(rs[i:k]); strings.Count(text, string(sep)) == 2 {
			return dateToken{kind: 'd', text: text}, k
		}
	}
	k := scan(rs, j, unicode.IsLetter)
	switch strings.ToLower(string(rs[j:k])) {
	case "st", "nd", "rd", "th", "er", "º", "ª":
		return dateToken{kind: 'n', text: num}, k
	case "am", "pm":
		return dateToken{kind: 't', text: num + ":00"}, j
	}
	return dateToken{kind: 'n', text: num}, j
}

// scan returns the index after the run of runes from i that satisfy ok.
func scan(rs []rune, i int, ok func(rune) bool) int {
	for i < len(rs) && ok(rs[i]) {
		i++
	}
	return i
}
