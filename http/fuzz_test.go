package http

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"hark"
)

// FuzzSearchParams: any query string either parses into a query within the API's bounds or
// fails with ErrInvalid and a message naming a param; nothing panics.
func FuzzSearchParams(f *testing.F) {
	for _, seed := range []string{
		"q=jazz", "q=jazz&type=podcast&offset=10&page_size=5",
		"q=a&len_min=10&len_max=5", "q=a&genre_ids=1,2,x", "q=a&published_before=99999999999999999999",
		"q=a&published_after=1580172454000&published_before=1", "q=a&ocid=" + strings.Repeat("f", 32) + ",zz",
		"q=%ff%fe&language=xx&region=zz", "q=a&only_in=title,audio,nope", "q=a&sort_by_date=2",
		"q=a&offset=-1", "q=a&page_size=0", "q=a&episode_count_min=9999999999999999999", "type=curated",
		"q=" + strings.Repeat("é", 201), "q=a;b=c&&&=",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return // net/http answers such a query before any handler sees it
		}
		q, err := parseSearchQuery(v)
		if err != nil {
			if !errors.Is(err, hark.ErrInvalid) || !strings.Contains(hark.ErrorMessage(err), ":") {
				t.Fatalf("parseSearchQuery(%q) = %v; want ErrInvalid naming a param", raw, err)
			}
			return
		}
		if q.Q == "" || q.Offset < 0 || q.Offset > maxOffset || q.PageSize < 1 || q.PageSize > maxPageSize ||
			len(q.OnlyPodcastIDs) > maxPodcastIDs || len(q.NeverPodcastIDs) > maxPodcastIDs {
			t.Fatalf("parseSearchQuery(%q) accepted %+v", raw, q)
		}
		for _, id := range append(q.OnlyPodcastIDs, q.NeverPodcastIDs...) {
			if !hark.ValidID(id) {
				t.Fatalf("parseSearchQuery(%q) accepted id %q", raw, id)
			}
		}
	})
}

// FuzzFormBody: any POST body, of any declared type, ends in a form, ErrInvalid or the 413
// error; ids lists are bounded and valid.
func FuzzFormBody(f *testing.F) {
	f.Add("application/x-www-form-urlencoded", "ids=a,b,c&show_latest_episodes=1")
	f.Add("application/x-www-form-urlencoded", "rss=https%3A%2F%2Fx.example%2Ffeed.xml&csrf_token=abc")
	f.Add("application/x-www-form-urlencoded", "%zz=1")
	f.Add("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"ids\"\r\n\r\nabc\r\n--x--\r\n")
	f.Add("multipart/form-data", "--x")
	f.Add("text/plain", strings.Repeat("a", maxFormBytes+1))
	f.Fuzz(func(t *testing.T, contentType, body string) {
		req := httptest.NewRequest(http.MethodPost, "/api/v2/podcasts", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		p, err := parseForm(httptest.NewRecorder(), req)
		if err != nil {
			if !errors.Is(err, hark.ErrInvalid) && !errors.Is(err, errTooLarge) {
				t.Fatalf("parseForm = %v; want ErrInvalid or errTooLarge", err)
			}
			return
		}
		ids := p.ids("ids", "podcast", maxBatch)
		p.flag("show_latest_episodes")
		p.millis("next_episode_pub_date")
		if p.err != nil {
			if !errors.Is(p.err, hark.ErrInvalid) {
				t.Fatalf("params error %v is not ErrInvalid", p.err)
			}
			return
		}
		if len(ids) > maxBatch {
			t.Fatalf("%d ids accepted", len(ids))
		}
		for _, id := range ids {
			if !hark.ValidID(id) {
				t.Fatalf("id %q accepted", id)
			}
		}
	})
}

// FuzzForwardedFor: whatever a client puts in X-Forwarded-For, from an untrusted peer the
// client is the peer; from a trusted one it is an address the header or the peer named.
func FuzzForwardedFor(f *testing.F) {
	for _, seed := range []string{"203.0.113.1", "198.51.100.1, 10.0.0.9", "garbage, 203.0.113.1", "", ",,,",
		"::ffff:10.0.0.1", "[2001:db8::1]", "2001:db8::1%eth0", "10.0.0.1, 10.0.0.2"} {
		f.Add(seed, "https")
	}
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	f.Fuzz(func(t *testing.T, xff, proto string) {
		for _, peer := range []string{"192.0.2.1:1", "10.0.0.1:1"} {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.RemoteAddr = peer
			req.Header.Set("X-Forwarded-For", xff)
			req.Header.Set("X-Forwarded-Proto", proto)
			c := resolveClient(req, trusted)
			if !c.addr.IsValid() {
				t.Fatalf("peer %s, XFF %q: no client address", peer, xff)
			}
			if peer == "192.0.2.1:1" && (c.addr.String() != "192.0.2.1" || c.tls) {
				t.Fatalf("untrusted peer, XFF %q: client %v tls %v; want the peer, plain", xff, c.addr, c.tls)
			}
			if peer == "10.0.0.1:1" && c.addr.String() != "10.0.0.1" && !named(xff, c.addr) {
				t.Fatalf("trusted peer, XFF %q: client %v was named by nobody", xff, c.addr)
			}
		}
	})
}

// named reports whether a is one of the addresses in the X-Forwarded-For value xff.
func named(xff string, a netip.Addr) bool {
	for item := range strings.SplitSeq(xff, ",") {
		if b, err := netip.ParseAddr(strings.TrimSpace(item)); err == nil && b.Unmap() == a {
			return true
		}
	}
	return false
}
