package feed

import (
	"net/netip"
	"strconv"
	"strings"
)

// endsInNumber reports whether host's last label is a number, which makes the whole host an
// IPv4 address to browsers and to inet_aton (the WHATWG URL standard's rule), however written.
func endsInNumber(host string) bool {
	labels := strings.Split(strings.TrimSuffix(host, "."), ".")
	last := labels[len(labels)-1]
	if h, ok := strings.CutPrefix(strings.ToLower(last), "0x"); ok {
		return strings.Trim(h, "0123456789abcdef") == ""
	}
	return last != "" && strings.Trim(last, "0123456789") == ""
}

// legacyIPv4 parses the IPv4 forms that inet_aton and browsers accept beyond dotted decimal:
// one to four parts, each decimal, octal (a leading 0) or hex (0x), the last part filling the
// bytes left, as in 2130706433, 0177.0.0.1 and 0x7f.1. ok is false when host is not one.
func legacyIPv4(host string) (addr netip.Addr, ok bool) {
	parts := strings.Split(strings.TrimSuffix(host, "."), ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	var v uint64
	for i, p := range parts {
		n, ok := ipv4Part(p)
		last := i == len(parts)-1
		if !ok || !last && n > 255 || last && n >= 1<<(8*(5-len(parts))) {
			return netip.Addr{}, false
		}
		if last {
			v |= n
		} else {
			v |= n << (8 * (3 - i))
		}
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true
}

// ipv4Part parses one part of a legacy IPv4 address.
func ipv4Part(p string) (uint64, bool) {
	base := 10
	switch lower := strings.ToLower(p); {
	case strings.HasPrefix(lower, "0x"):
		p, base = p[2:], 16
		if p == "" {
			return 0, true
		}
	case len(p) > 1 && p[0] == '0':
		p, base = p[1:], 8
	}
	if p == "" || p[0] == '+' || p[0] == '-' {
		return 0, false
	}
	n, err := strconv.ParseUint(p, base, 64)
	return n, err == nil
}
