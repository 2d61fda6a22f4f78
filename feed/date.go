package feed

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// isoDate matches ISO 8601 and ISO-like dates: "2020-01-02", "2020-01-02T15:04:05.123+01:00",
// "2012-09-13 19:24:00 -0500", "2020/01/02 15:04 EST".
var isoDate = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})` +
	`(?:(?:T|\s+|T\s*)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9})\d*)?)?)?` +
	`\s*(Z|[A-Za-z]{1,5}|[+-]\d{1,2}(?::?\d{2})?)?$`)

// ParseDate parses the dates feeds put in pubDate and friends: RFC 822/1123/2822 and their common
// deviations (no weekday, no seconds, no zone, "&#43;0000", named zones such as EST or CEST,
// two-digit years, "1500" for 15:00), RFC 3339 and ISO-like forms ("2020-01-02 15:04:05"), unix
// timestamps in seconds or milliseconds, and day and month names in other languages (German,
// French, Spanish, Portuguese, Italian, Dutch, Scandinavian, Greek, Russian, Turkish, Polish).
// A date without a zone is taken as UTC. The result is in UTC; ok is false when s is not a date.
func ParseDate(s string) (time.Time, bool) {
	s = cleanDateString(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, ok := parseUnixDate(s); ok {
		return t, true
	}
	if m := isoDate.FindStringSubmatch(s); m != nil {
		return parseISODate(m)
	}
	return parseWordDate(s)
}

// cleanDateString decodes entities ("&#43;0000"), drops parentheses around trailing zone names
// and trims.
func cleanDateString(s string) string {
	if strings.Contains(s, "&") {
		s = html.UnescapeString(s)
	}
	s = strings.NewReplacer("(", " ", ")", " ", "\u00a0", " ").Replace(s)
	return strings.TrimSpace(s)
}

// parseUnixDate accepts 9 to 10 digits as seconds and 12 to 13 digits as milliseconds since
// 1970, the two forms that show up in feeds.
func parseUnixDate(s string) (time.Time, bool) {
	if len(s) < 9 || len(s) > 13 || strings.Trim(s, "0123456789") != "" {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	switch {
	case len(s) <= 10:
		return time.Unix(n, 0).UTC(), true
	case len(s) >= 12:
		return time.UnixMilli(n).UTC(), true
	}
	return time.Time{}, false
}

// parseISODate builds a time from the isoDate submatches.
func parseISODate(m []string) (time.Time, bool) {
	var d dateParts
	d.year, _ = strconv.Atoi(m[1])
	d.month, _ = strconv.Atoi(m[2])
	d.day, _ = strconv.Atoi(m[3])
	if m[4] != "" {
		d.hour, _ = strconv.Atoi(m[4])
		d.min, _ = strconv.Atoi(m[5])
		d.sec, _ = strconv.Atoi(m[6]) // "" gives 0
		d.nsec = fractionNanos(m[7])
	}
	if m[8] != "" {
		off, ok := parseZone(m[8])
		if !ok {
			return time.Time{}, false
		}
		d.offset = off
	}
	return d.time()
}

// dateParts are the fields of a date being assembled.
type dateParts struct {
	year, month, day     int
	hour, min, sec, nsec int
	offset               int // seconds east of UTC
}

// time validates the parts and returns the instant in UTC.
func (d dateParts) time() (time.Time, bool) {
	if d.year < 1000 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1 {
		return time.Time{}, false
	}
	if d.day > daysIn(time.Month(d.month), d.year) || d.hour > 23 || d.min > 59 || d.sec > 60 {
		return time.Time{}, false
	}
	if d.sec == 60 { // leap second
		d.sec = 59
	}
	zone := time.FixedZone("", d.offset)
	return time.Date(d.year, time.Month(d.month), d.day, d.hour, d.min, d.sec, d.nsec, zone).UTC(), true
}

// daysIn returns the number of days in month m of year y.
func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// fractionNanos turns the digits after a decimal point into nanoseconds.
func fractionNanos(frac string) int {
	if frac == "" {
		return 0
	}
	frac = (frac + "000000000")[:9]
	n, _ := strconv.Atoi(frac)
	return n
}

// parseZone parses "Z", a named zone ("EST") or a numeric offset ("+0100", "-05:00", "+05").
func parseZone(z string) (int, bool) {
	if off, ok := zoneOffsets[strings.ToUpper(z)]; ok {
		return off, true
	}
	if len(z) < 2 || (z[0] != '+' && z[0] != '-') {
		return 0, false
	}
	digits := strings.ReplaceAll(z[1:], ":", "")
	var h, m int
	var err error
	switch len(digits) {
	case 1, 2:
		h, err = strconv.Atoi(digits)
	case 3, 4:
		h, err = strconv.Atoi(digits[:len(digits)-2])
		if err == nil {
			m, err = strconv.Atoi(digits[len(digits)-2:])
		}
	default:
		return 0, false
	}
	if err != nil || h > 14 || m > 59 {
		return 0, false
	}
	off := h*3600 + m*60
	if z[0] == '-' {
		off = -off
	}
	return off, true
}

// twoDigitYear expands a two-digit year the RFC 2822 way: 00-49 are 2000-2049, 50-99 1950-1999.
func twoDigitYear(y int) int {
	if y < 50 {
		return 2000 + y
	}
	return 1900 + y
}
