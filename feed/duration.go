package feed

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

// maxDurationSec bounds what ParseDuration accepts: longer values are almost always milliseconds
// or garbage, and a wrong length is worse than none.
const maxDurationSec = 7 * 24 * 3600

// ParseDuration parses an itunes:duration value into whole seconds. It accepts plain seconds
// ("3723", "3723.5"), clock forms with minutes or hours allowed to overflow ("62:03", "1:02:03",
// "0:67:16", "1:02:03.4"), unit forms ("1h2m3s", "1 hr 2 min", "45 minutes") and ISO 8601
// ("PT1H2M3S"). It reports false for empty, negative, unparseable or implausibly long (over a
// week) values.
func ParseDuration(s string) (sec int, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || strings.HasPrefix(s, "-") {
		return 0, false
	}
	var f float64
	switch {
	case strings.Contains(s, ":"):
		f, ok = parseClock(s)
	case strings.HasPrefix(s, "pt"):
		f, ok = parseUnits(s[2:])
	case strings.IndexFunc(s, unicode.IsLetter) >= 0:
		f, ok = parseUnits(s)
	default:
		f, ok = parseNumber(s)
	}
	if !ok || f < 0 || f > maxDurationSec {
		return 0, false
	}
	return int(math.Round(f)), true
}

// parseClock parses "[[d:]h:]m:s" where every part but the first is a plain number.
func parseClock(s string) (float64, bool) {
	parts := strings.Split(s, ":")
	if len(parts) > 4 {
		return 0, false
	}
	units := []float64{1, 60, 3600, 86400}
	var total float64
	for i, p := range parts {
		v, ok := parseNumber(strings.TrimSpace(p))
		if !ok {
			return 0, false
		}
		if i < len(parts)-1 && v != math.Trunc(v) { // only the seconds may have a fraction
			return 0, false
		}
		total += v * units[len(parts)-1-i]
	}
	return total, true
}

// parseUnits parses "1h2m3s", "1 hr 2 min", "45 minutes", "2h30".
func parseUnits(s string) (float64, bool) {
	var total float64
	seen := false
	for s != "" {
		s = strings.TrimLeft(s, " ,")
		i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) && r != '.' })
		if i == 0 {
			return 0, false
		}
		if i < 0 {
			i = len(s)
		}
		v, ok := parseNumber(s[:i])
		if !ok {
			return 0, false
		}
		s = strings.TrimLeft(s[i:], " ")
		j := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
		if j < 0 {
			j = len(s)
		}
		unit, ok := durationUnit(s[:j], seen)
		if !ok {
			return 0, false
		}
		total += v * unit
		seen = true
		s = s[j:]
	}
	return total, seen
}

// durationUnit returns the seconds in one unit word; a bare trailing number counts as minutes
// after hours ("2h30") and as seconds otherwise.
func durationUnit(word string, afterOther bool) (float64, bool) {
	switch word {
	case "h", "hr", "hrs", "hour", "hours", "std", "stunden":
		return 3600, true
	case "m", "min", "mins", "minute", "minutes", "minuten":
		return 60, true
	case "s", "sec", "secs", "second", "seconds", "sek":
		return 1, true
	case "":
		if afterOther {
			return 60, true
		}
		return 1, true
	}
	return 0, false
}

// parseNumber parses a non-negative decimal number; a comma is accepted as decimal separator.
func parseNumber(s string) (float64, bool) {
	if s == "" || strings.ContainsAny(s, "+-eEinfINFxX_") {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}
