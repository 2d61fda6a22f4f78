package http_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"

	podhttp "hark/http"
	"hark/jobs"
	"hark/ratelimit"
)

// send serves a request from the client address addr ("ip:port") with the given headers.
func (b *testBundle) send(method, target, addr string, body string, header http.Header) *httptest.ResponseRecorder {
	var rd *strings.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, nil)
	if rd != nil {
		req = httptest.NewRequest(method, target, rd)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.RemoteAddr = addr
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	return rec
}

// wantTooMany checks a 429 with a Retry-After of at least a second.
func wantTooMany(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("%s: status %d, want 429; body %s", what, rec.Code, rec.Body)
	}
	if n, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || n < 1 {
		t.Errorf("%s: Retry-After = %q, want whole seconds", what, rec.Header().Get("Retry-After"))
	}
}

func addrRate(perSecond float64, burst int) func(*podhttp.Config) {
	return func(c *podhttp.Config) { c.AddrRate = ratelimit.Rate{PerSecond: perSecond, Burst: burst} }
}

func TestSuggestLimitedPerAddress(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{config: addrRate(0.5, 3)})
	b.reindex(t)
	for i := range 3 {
		if rec := b.send("GET", "/suggest?q=ja", "192.0.2.10:1000", "", nil); rec.Code != http.StatusOK {
			t.Fatalf("request %d: status %d", i+1, rec.Code)
		}
	}
	rec := b.send("GET", "/suggest?q=ja", "192.0.2.10:1001", "", nil)
	wantTooMany(t, "fourth suggestion", rec)
	if got := rec.Header().Get("Retry-After"); got != "2" {
		t.Errorf("Retry-After = %q at half a request a second, want 2", got)
	}
	if rec := b.send("GET", "/suggest?q=ja", "192.0.2.11:1000", "", nil); rec.Code != http.StatusOK {
		t.Errorf("another address: status %d; it has a bucket of its own", rec.Code)
	}
	// One IPv6 host has a /64: walking it does not buy more requests.
	for i := range 3 {
		b.send("GET", "/suggest?q=ja", fmt.Sprintf("[2001:db8::%d]:1000", i+1), "", nil)
	}
	wantTooMany(t, "same /64", b.send("GET", "/suggest?q=ja", "[2001:db8::99]:1000", "", nil))
}

func TestSubmitFormLimitedPerAddress(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{config: addrRate(0.01, 4)})
	br := b.newBrowser(t, "/submit", "192.0.2.30:1000") // one request of the four
	for i := range 3 {
		if rec := br.post(t, "/submit", url.Values{"rss": {fmt.Sprintf("https://s%d.example/feed.xml", i)}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("post %d: status %d; body %s", i+1, rec.Code, rec.Body)
		}
	}
	rec := br.post(t, "/submit", url.Values{"rss": {"https://s9.example/feed.xml"}})
	wantTooMany(t, "fourth post", rec)
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("a page's 429 is %q, want HTML", ct)
	}
	if crawls := b.takeCrawls(t); len(crawls) != 3 {
		t.Errorf("%d crawls enqueued; the refused post must add nothing", len(crawls))
	}
}

func TestAPIKeyRateLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, setupOpts{requireKey: true, config: func(c *podhttp.Config) {
		c.KeyRate = ratelimit.Rate{PerSecond: 0.1, Burst: 2}
	}})
	get := func(key string) *httptest.ResponseRecorder {
		return b.send("GET", "/api/v2/genres", "192.0.2.40:1000", "", http.Header{"X-Listenapi-Key": {key}})
	}
	for range 2 {
		decodeJSON(t, get(b.key), http.StatusOK)
	}
	rec := get(b.key)
	wantTooMany(t, "third request", rec)
	apiError(t, rec, http.StatusTooManyRequests, "requests a second")
	_, used, err := b.store.FindAPIKey(ctx, b.key)
	if err != nil {
		t.Fatal(err)
	}
	if used != 2 {
		t.Errorf("usage = %d after 2 served and 1 refused; refused requests are not billed", used)
	}

	// A key's own rate (its plan's) wins over the default.
	own, ownKey, err := b.store.CreateAPIKey(ctx, "pro", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.store.SetAPIKeyRateLimit(ctx, ownKey.ID, 4); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if rec := get(own); rec.Code != http.StatusOK {
			t.Fatalf("key with rate 4, request %d: status %d", i+1, rec.Code)
		}
	}
	wantTooMany(t, "fifth request of a rate-4 key", get(own))
}

func TestSubmissionCapsAnswer429(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true, limits: jobs.SubmitLimits{PerKeyDaily: 2, PerAddrDaily: 1}})
	for i := range 2 {
		rec := b.do(t, http.MethodPost, "/api/v2/podcasts/submit", url.Values{"rss": {fmt.Sprintf("https://k%d.example/feed.xml", i)}})
		decodeJSON(t, rec, http.StatusOK)
	}
	rec := b.do(t, http.MethodPost, "/api/v2/podcasts/submit", url.Values{"rss": {"https://k9.example/feed.xml"}})
	wantTooMany(t, "third API submission", rec)
	apiError(t, rec, http.StatusTooManyRequests, "This API key has added its 2 new feeds for today")

	br := b.newBrowser(t, "/submit", "192.0.2.50:1000")
	if rec := br.post(t, "/submit", url.Values{"rss": {"https://f1.example/feed.xml"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("first form submission: %d", rec.Code)
	}
	rec = br.post(t, "/submit", url.Values{"rss": {"https://f2.example/feed.xml"}})
	wantTooMany(t, "second form submission", rec)
	doc := parsePage(t, rec, http.StatusTooManyRequests)
	if msg := doc.Find(".notice.error").Text(); !strings.Contains(msg, "This address has added its 1 new feeds") {
		t.Errorf("form says %q", msg)
	}
}

func TestForwardedForTrustedOnlyFromProxies(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{config: func(c *podhttp.Config) {
		c.AddrRate = ratelimit.Rate{PerSecond: 0.001, Burst: 1}
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	}})
	xff := func(v string) http.Header { return http.Header{"X-Forwarded-For": {v}} }
	page := func(peer, forwarded string) int { return b.send("GET", "/docs/api", peer, "", xff(forwarded)).Code }

	// From a peer that is no proxy of ours, X-Forwarded-For is the client's word: ignored.
	if code := page("192.0.2.60:1", "203.0.113.1"); code != http.StatusOK {
		t.Fatalf("first request: %d", code)
	}
	if code := page("192.0.2.60:2", "203.0.113.2"); code != http.StatusTooManyRequests {
		t.Errorf("a spoofed X-Forwarded-For bought a fresh bucket: %d", code)
	}
	// From a trusted proxy, the address it adds is the client.
	if code := page("10.0.0.5:1", "203.0.113.3"); code != http.StatusOK {
		t.Fatalf("client behind the proxy: %d", code)
	}
	if code := page("10.0.0.6:1", "203.0.113.4"); code != http.StatusOK {
		t.Errorf("another client behind the proxies shares the first one's bucket: %d", code)
	}
	if code := page("10.0.0.6:2", "203.0.113.3"); code != http.StatusTooManyRequests {
		t.Errorf("the same client through another proxy: %d, want 429", code)
	}
	// Entries left of the proxy's own are the client's to choose: ignored.
	if code := page("10.0.0.5:2", "198.51.100.1, 203.0.113.3"); code != http.StatusTooManyRequests {
		t.Errorf("a client prefixing X-Forwarded-For escaped its limit: %d", code)
	}
}

func TestOversizedPostIs413(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true, config: func(c *podhttp.Config) { c.MaxBodyBytes = 1024 }})
	big := "ids=" + strings.Repeat("a", 2000)
	key := http.Header{"X-Listenapi-Key": {b.key}}
	apiError(t, b.send("POST", "/api/v2/podcasts", "192.0.2.70:1", big, key), http.StatusRequestEntityTooLarge, "larger than the 1024 bytes")

	// Without a Content-Length the limit bites while the body is read.
	req := httptest.NewRequest("POST", "/api/v2/podcasts", strings.NewReader(big))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-ListenAPI-Key", b.key)
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	apiError(t, rec, http.StatusRequestEntityTooLarge, "larger than the 1024 bytes")

	if rec := b.send("POST", "/submit", "192.0.2.70:2", "rss="+strings.Repeat("a", 2000), nil); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized form post: %d, want 413", rec.Code)
	}
}
