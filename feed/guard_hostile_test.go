package feed

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// hostileDNS answers for the names of the hostile tests without DNS; any other name is not
// found, so no test sends a query out.
var hostileDNS = map[string][]string{
	"evil.example":    {"10.0.0.1"},
	"rebind.example":  {"93.184.215.14", "127.0.0.1"}, // a public answer next to a loopback one
	"meta.example":    {"169.254.169.254"},
	"v6.example":      {"fd00::1"},
	"mapped.example":  {"::ffff:192.168.0.1"},
	"nat64.example":   {"64:ff9b::a9fe:a9fe"},
	"teredo.example":  {"2001:0:4136:e378:8000:63bf:3fff:fdd2"},
	"public.example":  {"93.184.215.14"},
	"public6.example": {"2606:2800:21f:cb07:6820:80da:af6b:8b2c"},
}

func hostileLookup(_ context.Context, host string) ([]netip.Addr, error) {
	var addrs []netip.Addr
	for _, a := range hostileDNS[strings.ToLower(host)] {
		addrs = append(addrs, netip.MustParseAddr(a))
	}
	if addrs == nil {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return addrs, nil
}

// errFence is what the tests' dial hook answers: no test connection leaves loopback, even if
// the guard were wrong.
var errFence = errors.New("test fence: no connection leaves loopback")

// fencedFetcher is a Fetcher on hostileLookup whose dialer counts, and refuses, every
// connection to an address other than loopback that gets past the guard.
func fencedFetcher(cfg FetcherConfig, outside *atomic.Int32) *Fetcher {
	cfg.LookupFunc = hostileLookup
	cfg.DialControlFunc = func(ap netip.AddrPort) error {
		if ap.Addr().Unmap().IsLoopback() {
			return nil
		}
		outside.Add(1)
		return errFence
	}
	return NewFetcher(cfg)
}

// hostileURLs are URLs an attacker submits as feeds, each with the words its refusal must hold.
var hostileURLs = []struct{ url, reason string }{
	// IPv4 written as inet_aton and browsers read it.
	{"http://2130706433/", "the host 2130706433 is the IPv4 address 127.0.0.1 written in a non-standard form (loopback)"},
	{"http://0177.0.0.1/", "the host 0177.0.0.1 is the IPv4 address 127.0.0.1 written in a non-standard form (loopback)"},
	{"http://0x7f.1/", "IPv4 address 127.0.0.1 written in a non-standard form (loopback)"},
	{"http://0x7f000001/", "IPv4 address 127.0.0.1 written in a non-standard form"},
	{"http://017700000001/", "IPv4 address 127.0.0.1 written in a non-standard form"},
	{"http://127.1/", "IPv4 address 127.0.0.1 written in a non-standard form"},
	{"http://0x7f.0x0.0x0.0x1/", "IPv4 address 127.0.0.1 written in a non-standard form"},
	{"http://127.0.0.1./", "IPv4 address 127.0.0.1 written in a non-standard form"},
	{"http://10.1/", "IPv4 address 10.0.0.1 written in a non-standard form (private)"},
	{"http://0xa9fea9fe/", "IPv4 address 169.254.169.254 written in a non-standard form (a cloud metadata address)"},
	{"http://0251.0376.0251.0376/", "IPv4 address 169.254.169.254 written in a non-standard form"},
	{"http://3232235521/", "IPv4 address 192.168.0.1 written in a non-standard form (private)"},
	{"http://0/", "IPv4 address 0.0.0.0 written in a non-standard form (unspecified (this network))"},
	{"http://134744072/", "IPv4 address 8.8.8.8 written in a non-standard form (which Hark takes in dotted decimal only)"},
	{"http://1.2.3.256/", "the host 1.2.3.256 ends in a number but is not a valid IPv4 address"},
	// IPv4 special-purpose addresses.
	{"http://127.0.0.1/", "address 127.0.0.1 is loopback"},
	{"http://10.0.0.1/", "address 10.0.0.1 is private"},
	{"http://172.16.0.1/", "address 172.16.0.1 is private"},
	{"http://192.168.1.1:80/", "address 192.168.1.1 is private"},
	{"http://169.254.169.254/latest/meta-data/", "address 169.254.169.254 is a cloud metadata address"},
	{"http://100.100.100.200/", "address 100.100.100.200 is a cloud metadata address"},
	{"http://100.64.0.1/", "address 100.64.0.1 is carrier-grade NAT (shared, 100.64.0.0/10)"},
	{"http://0.0.0.0/", "address 0.0.0.0 is unspecified (this network)"},
	{"http://192.0.0.8/", "address 192.0.0.8 is special-purpose (IANA registry: 192.0.0.0/24)"},
	{"http://192.0.2.1/", "address 192.0.2.1 is special-purpose (IANA registry: 192.0.2.0/24)"},
	{"http://192.88.99.1/", "address 192.88.99.1 is special-purpose (IANA registry: 192.88.99.0/24)"},
	{"http://198.18.0.1/", "address 198.18.0.1 is special-purpose (IANA registry: 198.18.0.0/15)"},
	{"http://198.51.100.7/", "address 198.51.100.7 is special-purpose (IANA registry: 198.51.100.0/24)"},
	{"http://203.0.113.9/", "address 203.0.113.9 is special-purpose (IANA registry: 203.0.113.0/24)"},
	{"http://192.31.196.1/", "address 192.31.196.1 is special-purpose (IANA registry: 192.31.196.0/24)"},
	{"http://192.52.193.1/", "address 192.52.193.1 is special-purpose (IANA registry: 192.52.193.0/24)"},
	{"http://192.175.48.1/", "address 192.175.48.1 is special-purpose (IANA registry: 192.175.48.0/24)"},
	{"http://224.0.0.1/", "address 224.0.0.1 is multicast"},
	{"http://240.0.0.1/", "address 240.0.0.1 is special-purpose (IANA registry: 240.0.0.0/4)"},
	{"http://255.255.255.255/", "address 255.255.255.255 is special-purpose (IANA registry: 240.0.0.0/4)"},
	{"http://user:pass@10.0.0.1/", "address 10.0.0.1 is private"},
	{"http://example.com@10.0.0.1/", "address 10.0.0.1 is private"},
	// IPv6, and the IPv6 forms that embed an IPv4 address.
	{"http://[::1]/", "address ::1 is loopback"},
	{"http://[::]/", "address :: is unspecified (this network)"},
	{"http://[::127.0.0.1]/", "address ::7f00:1 is the IPv4-compatible form (deprecated) of 127.0.0.1"},
	{"http://[::10.0.0.1]/", "address ::a00:1 is the IPv4-compatible form (deprecated) of 10.0.0.1"},
	{"http://[::8.8.8.8]/", "address ::808:808 is the IPv4-compatible form (deprecated) of 8.8.8.8"},
	{"http://[::ffff:10.0.0.1]/", "address ::ffff:10.0.0.1 is private"},
	{"http://[::ffff:169.254.169.254]/", "address ::ffff:169.254.169.254 is a cloud metadata address"},
	{"http://[::ffff:7f00:1]/", "address ::ffff:127.0.0.1 is loopback"},
	{"http://[64:ff9b::a00:1]/", "address 64:ff9b::a00:1 is the NAT64 form of 10.0.0.1, which is private"},
	{"http://[64:ff9b::127.0.0.1]/", "address 64:ff9b::7f00:1 is the NAT64 form of 127.0.0.1, which is loopback"},
	{"http://[64:ff9b:1::1]/", "address 64:ff9b:1::1 is a local-use NAT64 address (64:ff9b:1::/48)"},
	{"http://[2002:a00:1::]/", "address 2002:a00:1:: is a 6to4 address (2002::/16) embedding 10.0.0.1"},
	{"http://[2002:7f00:1::1]/", "address 2002:7f00:1::1 is a 6to4 address (2002::/16) embedding 127.0.0.1"},
	{"http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "is a Teredo address (2001::/32) embedding 192.0.2.45"},
	{"http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/", "is a Teredo address (2001::/32) embedding 10.0.0.1"},
	{"http://[2001:10::1]/", "address 2001:10::1 is special-purpose (IANA registry: 2001::/23)"},
	{"http://[2001:2::1]/", "address 2001:2::1 is special-purpose (IANA registry: 2001::/23)"},
	{"http://[2001:db8::1]/", "address 2001:db8::1 is special-purpose (IANA registry: 2001:db8::/32)"},
	{"http://[3fff::1]/", "address 3fff::1 is special-purpose (IANA registry: 3fff::/20)"},
	{"http://[fc00::1]/", "address fc00::1 is private"},
	{"http://[fd00:ec2::254]/", "address fd00:ec2::254 is a cloud metadata address"},
	{"http://[fe80::1]/", "address fe80::1 is link-local"},
	{"http://[fe80::1%25eth0]/", "address fe80::1 is link-local"},
	{"http://[fec0::1]/", "address fec0::1 is outside IPv6 global unicast (2000::/3)"},
	{"http://[ff02::1]/", "address ff02::1 is multicast"},
	{"http://[100::1]/", "address 100::1 is outside IPv6 global unicast (2000::/3)"},
	// Names that are local by definition, and names whose DNS answers are internal.
	{"http://localhost/", "the host localhost is a loopback name"},
	{"http://feeds.localhost/", "the host feeds.localhost is a loopback name"},
	{"http://LOCALHOST./", "the host LOCALHOST. is a loopback name"},
	{"http://metadata/", "the host metadata is a local name"},
	{"http://metadata.google.internal/computeMetadata/v1/", "the host metadata.google.internal is a local name"},
	{"http://printer.local/", "the host printer.local is a local name"},
	{"http://router.home.arpa/", "the host router.home.arpa is a local name"},
	{"http://evil.example/", "host evil.example resolves to 10.0.0.1: address 10.0.0.1 is private"},
	{"http://rebind.example/", "host rebind.example resolves to 127.0.0.1: address 127.0.0.1 is loopback"},
	{"http://meta.example/", "host meta.example resolves to 169.254.169.254: address 169.254.169.254 is a cloud metadata address"},
	{"http://v6.example/", "host v6.example resolves to fd00::1: address fd00::1 is private"},
	{"http://mapped.example/", "host mapped.example resolves to ::ffff:192.168.0.1: address ::ffff:192.168.0.1 is private"},
	{"http://nat64.example/", "is the NAT64 form of 169.254.169.254, which is a cloud metadata address"},
	{"https://teredo.example/", "is a Teredo address (2001::/32) embedding 192.0.2.45"},
	// Schemes and ports.
	{"ftp://example.com/feed.xml", `the scheme "ftp" is not allowed`},
	{"gopher://example.com:70/", `the scheme "gopher" is not allowed`},
	{"dict://example.com:11211/stats", `the scheme "dict" is not allowed`},
	{"file:///etc/passwd", "the URL is not valid"},
	{"http://public.example:22/", "port 22 is not one Hark connects to (OUTBOUND_PORTS is 80,443)"},
	{"https://public.example:6379/", "port 6379 is not one Hark connects to"},
	{"http://93.184.215.14:8080/", "port 8080 is not one Hark connects to"},
	{"http://public.example:99999/", "the host public.example:99999 has a port that is not a number from 0 to 65535"},
}

// TestFetchRefusesHostileURLs fetches every hostile URL through a real Fetcher configured as
// production is (no loopback): each is refused, permanently, with its readable reason, and the
// dialer never saw a connection to any address but loopback.
func TestFetchRefusesHostileURLs(t *testing.T) {
	t.Parallel()
	var outside atomic.Int32
	f := fencedFetcher(FetcherConfig{}, &outside)
	for _, tt := range hostileURLs {
		fe := fetchError(t, f, tt.url)
		wantContains(t, tt.url+" reason", fe.Reason, tt.reason)
		want(t, tt.url+" temporary", fe.Temporary, false)
		if !errors.Is(fe, ErrRefused) && !strings.Contains(fe.Reason, "not valid") {
			t.Errorf("%s: %v does not match ErrRefused", tt.url, fe)
		}
	}
	if n := outside.Load(); n != 0 {
		t.Errorf("the dialer saw %d connections to addresses outside loopback; want 0", n)
	}

	// The fence works: a public address gets past the guard, to the dial hook, and no further.
	for _, u := range []string{"http://public.example/feed", "https://public6.example/feed", "http://93.184.215.14/feed"} {
		if fe := fetchError(t, f, u); !errors.Is(fe, errFence) {
			t.Errorf("%s: %v; want the test fence's refusal", u, fe)
		}
	}
	if n := outside.Load(); n != 3 {
		t.Errorf("the dialer saw %d connections to public addresses; want the 3 fenced ones", n)
	}
}

// TestFetchRefusesHostileRedirects follows redirect chains from a loopback server (which
// AllowLoopback lets the Fetcher reach) into internal space: every hop is checked, by URL and
// by the addresses its host resolves to, before any connection.
func TestFetchRefusesHostileRedirects(t *testing.T) {
	t.Parallel()
	var outside atomic.Int32
	f := fencedFetcher(FetcherConfig{ClientConfig: ClientConfig{AllowLoopback: true}}, &outside)
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if hops, _ := strconv.Atoi(r.URL.Query().Get("hops")); hops > 0 {
			next := *r.URL
			q := next.Query()
			q.Set("hops", strconv.Itoa(hops-1))
			next.RawQuery = q.Encode()
			http.Redirect(w, r, next.String(), http.StatusFound)
			return
		}
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusTemporaryRedirect)
	})
	for _, tt := range hostileURLs {
		if skipAsRedirect(tt.url, tt.reason) {
			continue
		}
		fe := fetchError(t, f, srv.URL+"/?hops=3&to="+escapeQuery(tt.url))
		wantContains(t, tt.url+" reason", fe.Reason, redirectReason(tt.reason))
		want(t, tt.url+" temporary", fe.Temporary, false)
	}
	if n := outside.Load(); n != 0 {
		t.Errorf("the dialer saw %d connections to addresses outside loopback; want 0", n)
	}
}

// skipAsRedirect reports the hostile URLs that are no hostile redirect target when loopback is
// allowed (loopback itself, and a name with a public address next to it), or that a Location
// header cannot carry.
func skipAsRedirect(u, reason string) bool {
	lower := strings.ToLower(u)
	for _, s := range []string{"localhost", "http://127.0.0.1/", "http://[::1]/", "[::ffff:7f00:1]", "rebind.", "99999"} {
		if strings.Contains(lower, s) {
			return true
		}
	}
	return strings.Contains(reason, "not valid")
}

// redirectReason is the reason a refused redirect gives: a scheme refusal is worded for it.
func redirectReason(reason string) string {
	if strings.HasPrefix(reason, "the scheme") {
		return "redirected to a URL that is not http or https"
	}
	return reason
}

func escapeQuery(s string) string {
	return strings.NewReplacer("%", "%25", "&", "%26", "#", "%23", "+", "%2B", "?", "%3F").Replace(s)
}
