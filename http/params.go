package http

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"hark"
)

// params reads query or form values. The first bad value is kept in err, as an ErrInvalid whose
// message names the param, so a handler reads every param and checks err once.
type params struct {
	v   url.Values
	err error
}

func (p *params) fail(name, format string, args ...any) {
	if p.err == nil {
		p.err = hark.Errorf(hark.ErrInvalid, name+": "+format, args...)
	}
}

// str returns the trimmed value of name. A param given twice with different values fails:
// which one was meant cannot be told.
func (p *params) str(name string) string {
	vs := p.v[name]
	for _, v := range vs[min(1, len(vs)):] {
		if strings.TrimSpace(v) != strings.TrimSpace(vs[0]) {
			p.fail(name, "is given more than once, with different values")
		}
	}
	return strings.TrimSpace(p.v.Get(name))
}

// int returns the integer value of name, def when it is absent, and fails outside [min, max].
func (p *params) int(name string, def, min, max int) int {
	s := p.str(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		p.fail(name, "must be an integer from %d to %d, not %q", min, max, s)
		return def
	}
	return n
}

// query returns the required q param of a search, at most maxQueryLength characters; hint says
// what it is in the complaint when it is missing.
func (p *params) query(hint string) string {
	// Control characters are no words, and Typesense echoes them raw into its JSON reply.
	q := strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, p.str("q")))
	switch {
	case q == "":
		p.fail("q", "is required: %s", hint)
	case utf8.RuneCountInString(q) > maxQueryLength:
		p.fail("q", "must be at most %d characters", maxQueryLength)
	}
	return q
}

// maxCount bounds counts and lengths so that arithmetic on them cannot overflow.
const maxCount = 1_000_000_000

// count returns a non-negative integer, 0 when absent.
func (p *params) count(name string) int {
	s := p.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > maxCount {
		p.fail(name, "must be a whole number from 0 to %d, not %q", maxCount, s)
		return 0
	}
	return n
}

// flag returns the value of a 0/1 param.
func (p *params) flag(name string) bool {
	switch s := p.str(name); s {
	case "", "0":
		return false
	case "1":
		return true
	default:
		p.fail(name, "must be 0 or 1, not %q", s)
		return false
	}
}

// maxMillis is the last millisecond of the year 9999.
const maxMillis = 253402300799999

// millis returns a timestamp given in Unix milliseconds, the zero time when absent or 0.
func (p *params) millis(name string) time.Time {
	s := p.str(name)
	if s == "" {
		return time.Time{}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > maxMillis {
		p.fail(name, "must be a time in milliseconds since 1970, like 1580172454000, not %q", s)
		return time.Time{}
	}
	if n == 0 {
		return time.Time{}
	}
	return time.UnixMilli(n).UTC()
}

// list returns the non-empty items of a comma-separated param.
func (p *params) list(name string) []string {
	var items []string
	for item := range strings.SplitSeq(p.str(name), ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}

// ids returns a comma-separated list of up to max Hark IDs.
func (p *params) ids(name, what string, max int) []string {
	ids := p.list(name)
	if len(ids) > max {
		p.fail(name, "at most %d %s ids, not %d", max, what, len(ids))
		return nil
	}
	for _, id := range ids {
		if !hark.ValidID(id) {
			p.fail(name, "%q is not %s id (32 hexadecimal characters)", id, article(what))
			return nil
		}
	}
	return ids
}

func article(what string) string {
	if strings.ContainsRune("aeiou", rune(what[0])) {
		return "an " + what
	}
	return "a " + what
}

// ordered fails unless min <= max, where a zero max means no bound.
func (p *params) ordered(minName string, min int, maxName string, max int) {
	if max > 0 && min > max {
		p.fail(maxName, "must not be less than %s (%d), not %d", minName, min, max)
	}
}
