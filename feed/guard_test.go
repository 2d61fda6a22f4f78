package feed

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
)

func TestCheckAddr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr, kind    string // kind "" means allowed
		allowLoopback bool
	}{
		{addr: "93.184.215.14"},
		{addr: "2606:2800:21f:cb07:6820:80da:af6b:8b2c"},
		{addr: "127.0.0.1", kind: "loopback"},
		{addr: "127.8.9.10", kind: "loopback"},
		{addr: "::1", kind: "loopback"},
		{addr: "10.0.0.1", kind: "private"},
		{addr: "172.16.5.4", kind: "private"},
		{addr: "172.32.0.1"},
		{addr: "192.168.1.1", kind: "private"},
		{addr: "fd12:3456::1", kind: "private"},
		{addr: "169.254.1.1", kind: "link-local"},
		{addr: "fe80::1", kind: "link-local"},
		{addr: "169.254.169.254", kind: "a cloud metadata address"},
		{addr: "fd00:ec2::254", kind: "a cloud metadata address"},
		{addr: "100.64.0.1", kind: "carrier-grade NAT (shared, 100.64.0.0/10)"},
		{addr: "224.0.0.1", kind: "multicast"},
		{addr: "ff02::1", kind: "multicast"},
		{addr: "0.0.0.0", kind: "unspecified (this network)"},
		{addr: "0.1.2.3", kind: "unspecified (this network)"},
		{addr: "::", kind: "unspecified (this network)"},
		{addr: "255.255.255.255", kind: "special-purpose (IANA registry: 240.0.0.0/4)"},
		{addr: "::ffff:127.0.0.1", kind: "loopback"},
		{addr: "::ffff:10.1.2.3", kind: "private"},
		{addr: "::ffff:93.184.215.14"},
		{addr: "64:ff9b::a9fe:a9fe", kind: "the NAT64 form of 169.254.169.254, which is a cloud metadata address"}, // NAT64 of 169.254.169.254
		{addr: "64:ff9b::7f00:1", kind: "the NAT64 form of 127.0.0.1, which is loopback"},
		{addr: "64:ff9b::5db8:d70e"}, // NAT64 of a public address
		{addr: "2002:a00:1::1", kind: "a 6to4 address (2002::/16) embedding 10.0.0.1"}, // 6to4 of 10.0.0.1
		{addr: "127.0.0.1", allowLoopback: true},
		{addr: "::1", allowLoopback: true},
		{addr: "::ffff:127.0.0.1", allowLoopback: true},
		{addr: "10.0.0.1", kind: "private", allowLoopback: true},
		{addr: "169.254.169.254", kind: "a cloud metadata address", allowLoopback: true},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			t.Parallel()
			err := checkAddr(netip.MustParseAddr(tt.addr), tt.allowLoopback)
			switch {
			case tt.kind == "" && err != nil:
				t.Errorf("checkAddr(%s) = %v; want allowed", tt.addr, err)
			case tt.kind != "" && err == nil:
				t.Errorf("checkAddr(%s) allowed it; want it refused as %s", tt.addr, tt.kind)
			case tt.kind != "":
				want(t, "message", err.Error(), "address "+tt.addr+" is "+tt.kind+", and Hark does not connect to it")
			}
		})
	}
}

// TestFetchRefusesInternalAddresses fetches internal addresses with AllowLoopback off. Literal
// IPs, localhost and a port the configuration does not list are refused before any lookup.
// The loopback cases point at a live server, so a guard that let them through would fail the
// test with a 200 rather than hang.
func TestFetchRefusesInternalAddresses(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(testFeedBody))
	})
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	tests := []struct{ url, reason string }{
		{"http://127.0.0.1" + port + "/feed", "address 127.0.0.1 is loopback, and Hark does not connect to it"},
		{"http://10.0.0.1/feed", "address 10.0.0.1 is private, and Hark does not connect to it"},
		{"http://169.254.169.254/latest/meta-data/", "address 169.254.169.254 is a cloud metadata address, and Hark does not connect to it"},
		{"http://[::1]" + port + "/feed", "address ::1 is loopback, and Hark does not connect to it"},
		{"http://[::ffff:127.0.0.1]" + port + "/feed", "address ::ffff:127.0.0.1 is loopback, and Hark does not connect to it"},
		{"http://127.0.0.1.nip.io" + port + "/feed", "port " + port[1:] + " is not one Hark connects to (OUTBOUND_PORTS is 80,443)"},
		{"http://localhost" + port + "/feed", "the host localhost is a loopback name, and Hark does not connect to it"},
	}
	f := NewFetcher(FetcherConfig{})
	for _, tt := range tests {
		fe := fetchError(t, f, tt.url)
		wantContains(t, tt.url+" reason", fe.Reason, tt.reason)
		want(t, tt.url+" temporary", fe.Temporary, false)
		want(t, tt.url+" status", fe.StatusCode, 0)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server got %d requests; the guard must refuse before connecting", n)
	}
}

// TestFetchRefusesRedirectToInternal follows a redirect from an allowed (loopback) server to
// internal addresses: the guard refuses the hop before connecting, so no traffic leaves.
func TestFetchRefusesRedirectToInternal(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	})
	f := loopbackFetcher(FetcherConfig{})
	tests := []struct{ to, reason string }{
		{"http://10.0.0.1/", "address 10.0.0.1 is private, and Hark does not connect to it"},
		{"http://169.254.169.254/latest/meta-data/", "address 169.254.169.254 is a cloud metadata address, and Hark does not connect to it"},
		{"http://[fd00:ec2::254]/", "address fd00:ec2::254 is a cloud metadata address, and Hark does not connect to it"},
		{"ftp://example.com/feed", "redirected to a URL that is not http or https"},
	}
	for _, tt := range tests {
		fe := fetchError(t, f, srv.URL+"/?to="+tt.to)
		want(t, tt.to+" reason", fe.Reason, tt.reason)
		want(t, tt.to+" temporary", fe.Temporary, false)
	}
}

// TestDialGuard checks the connect-time hook directly, as the transport calls it after DNS.
func TestDialGuard(t *testing.T) {
	t.Parallel()
	check := dialGuard(guard{ports: PortsDefault}, nil)
	for _, addr := range []string{"127.0.0.1:80", "[::1]:443", "10.1.1.1:80", "[fe80::1%eth0]:80", "192.168.0.10:8080"} {
		if err := check(context.Background(), "tcp", addr, nil); err == nil {
			t.Errorf("dial guard let %s through", addr)
		}
	}
	if err := check(context.Background(), "tcp", "93.184.215.14:443", nil); err != nil {
		t.Errorf("dial guard refused a public address: %v", err)
	}
	if err := dialGuard(guard{allowLoopback: true}, nil)(context.Background(), "tcp", "127.0.0.1:80", nil); err != nil {
		t.Errorf("dial guard with AllowLoopback refused loopback: %v", err)
	}
	loopbackOnly := dialGuard(guard{loopbackOnly: true}, nil)
	if err := loopbackOnly(context.Background(), "tcp", "[::1]:80", nil); err != nil {
		t.Errorf("loopback-only dial guard refused loopback: %v", err)
	}
	for _, addr := range []string{"93.184.215.14:443", "10.1.1.1:80", "[2606:4700::1111]:443"} {
		if err := loopbackOnly(context.Background(), "tcp", addr, nil); err == nil {
			t.Errorf("loopback-only dial guard let %s through", addr)
		}
	}
}

// TestLoopbackOnly shows a loopback-only Fetcher (tests, the bench) fetching from loopback and
// refusing every other host before it resolves it, on the first request and on a redirect.
func TestLoopbackOnly(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if to := r.URL.Query().Get("to"); to != "" {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		_, _ = io.WriteString(w, "<rss/>")
	}))
	t.Cleanup(srv.Close)
	f := NewFetcher(FetcherConfig{ClientConfig: ClientConfig{LoopbackOnly: true}})
	if _, err := f.Fetch(context.Background(), FetchRequest{URL: srv.URL + "/feed"}); err != nil {
		t.Fatalf("loopback-only fetcher refused its loopback server: %v", err)
	}
	for _, u := range []string{
		"https://feeds.example.com/show.xml",
		"http://93.184.215.14/feed",
		srv.URL + "/?to=https://transcripts.example.org/1.vtt",
	} {
		fe := fetchError(t, f, u)
		if !strings.Contains(fe.Reason, "this client reaches loopback hosts only") {
			t.Errorf("%s: reason %q; want a loopback-only refusal", u, fe.Reason)
		}
	}
}
