package feed

import (
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzGuardURL checks the guard's URL check on arbitrary URLs: it never panics, and a URL it
// lets through (as production configures it) is http(s) on an allowed port, with a host that is
// a global IP literal or a name that no inet_aton-style parser reads as an IPv4 address.
func FuzzGuardURL(f *testing.F) {
	for _, u := range hostileURLs {
		f.Add(u.url)
	}
	for _, s := range []string{"https://feeds.example.com/show.xml", "http://93.184.215.14/", "http://[2606:4700::1111]:443/", "HTTP://EXAMPLE.COM:80", "http://%31%32%37.0.0.1/", "http://①②⑦.0.0.1/"} {
		f.Add(s)
	}
	g := guard{ports: PortsDefault}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil || g.checkURL(u) != nil {
			return
		}
		if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
			t.Fatalf("%q let through with scheme %q", raw, u.Scheme)
		}
		if p, err := urlPort(u); err != nil || (p != 80 && p != 443) {
			t.Fatalf("%q let through on port %d (%v)", raw, p, err)
		}
		host := u.Hostname()
		if addr, err := netip.ParseAddr(host); err == nil {
			if blockedKind(addr, false) != "" || !globalLike(addr.Unmap()) {
				t.Fatalf("%q let through to %s", raw, addr)
			}
			return
		}
		if _, ok := legacyIPv4(host); ok || endsInNumber(host) {
			t.Fatalf("%q let through with host %q, an IPv4 address in another form", raw, host)
		}
	})
}

// FuzzCheckAddr checks the address tables on arbitrary addresses: what they allow is none of
// the kinds Go's netip knows as internal, and an IPv4 address gets the same answer as its
// IPv4-mapped form and, when refused, its NAT64 form.
func FuzzCheckAddr(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "10.0.0.1", "93.184.215.14", "::1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:a00:1::", "2001::1", "2606:4700::1111", "fe80::1", "100.64.0.1"} {
		a := netip.MustParseAddr(s).As16()
		f.Add(a[:])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) != 16 && len(b) != 4 {
			return
		}
		addr, _ := netip.AddrFromSlice(b)
		allowed := checkAddr(addr, false) == nil
		if allowed && !globalLike(addr.Unmap()) {
			t.Fatalf("%s allowed", addr)
		}
		if !addr.Is4() {
			return
		}
		if mapped := netip.AddrFrom16(addr.As16()); (checkAddr(mapped, false) == nil) != allowed {
			t.Fatalf("%s allowed %v, but its mapped form %s the other way", addr, allowed, mapped)
		}
		v4 := addr.As4()
		nat := netip.AddrFrom16([16]byte{0, 0x64, 0xff, 0x9b, 10: 0, 11: 0, 12: v4[0], 13: v4[1], 14: v4[2], 15: v4[3]})
		if !allowed && checkAddr(nat, false) == nil {
			t.Fatalf("%s refused, but its NAT64 form %s allowed", addr, nat)
		}
	})
}

// globalLike reports whether addr is none of the internal kinds netip knows.
func globalLike(addr netip.Addr) bool {
	return !addr.IsLoopback() && !addr.IsPrivate() && !addr.IsLinkLocalUnicast() && !addr.IsLinkLocalMulticast() &&
		!addr.IsMulticast() && !addr.IsUnspecified() && !addr.IsInterfaceLocalMulticast()
}

// FuzzIdentityKey checks that IdentityKey never panics and gives the same key to a URL and to
// its normal form.
func FuzzIdentityKey(f *testing.F) {
	for _, s := range []string{"https://www.Example.com/feed/", "example.com/feed", "feed://x.org/rss", "http://[::1]:80/", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		key, err := IdentityKey(s)
		if err != nil {
			return
		}
		n, _ := NormalizeURL(s)
		if again, err := IdentityKey(n); err != nil || again != key {
			t.Fatalf("IdentityKey(%q) = %q, but IdentityKey(%q) = %q, %v", s, key, n, again, err)
		}
	})
}

// FuzzTranscriptText checks that TranscriptText never panics on a transcript body of any
// declared type and returns valid UTF-8 within its cap.
func FuzzTranscriptText(f *testing.F) {
	for _, s := range []string{"WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ann>Hi", "1\n00:00:01,000 --> 00:00:02,000\nHello", `{"segments":[{"body":"x"}]}`, "<p>a<br>b</p>", "\xff\xfe"} {
		for _, mt := range []string{"text/vtt", "application/json", "text/html", ""} {
			f.Add([]byte(s), mt)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, mimeType string) {
		text, err := TranscriptText(body, mimeType)
		if err != nil {
			return
		}
		if !utf8.ValidString(text) || len(text) > TranscriptMaxTextBytes {
			t.Fatalf("TranscriptText gave %d bytes, valid UTF-8 %v", len(text), utf8.ValidString(text))
		}
	})
}
