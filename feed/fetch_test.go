package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cespare/xxhash/v2"
)

const testFeedBody = `<rss><channel><title>T</title></channel></rss>`

// newTestServer starts an httptest server that the test closes.
func newTestServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// loopbackFetcher returns a Fetcher allowed to reach the loopback httptest servers.
func loopbackFetcher(cfg FetcherConfig) *Fetcher {
	cfg.AllowLoopback = true
	return NewFetcher(cfg)
}

// fetchError fetches rawURL and returns the *FetchError it must fail with.
func fetchError(t *testing.T, f *Fetcher, rawURL string) *FetchError {
	t.Helper()
	res, err := f.Fetch(context.Background(), FetchRequest{URL: rawURL})
	var fe *FetchError
	if !errors.As(err, &fe) {
		t.Fatalf("Fetch(%s) = %+v, %v; want a *FetchError", rawURL, res, err)
	}
	return fe
}

func TestFetchConditionalGet(t *testing.T) {
	t.Parallel()
	const etag, lastMod = `"v1"`, "Tue, 02 Jan 2024 10:00:00 GMT"
	var userAgent, acceptEncoding atomic.Value
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		userAgent.Store(r.UserAgent())
		acceptEncoding.Store(r.Header.Get("Accept-Encoding"))
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write([]byte(testFeedBody))
	})
	f := loopbackFetcher(FetcherConfig{})

	res, err := f.Fetch(context.Background(), FetchRequest{URL: srv.URL + "/feed"})
	if err != nil {
		t.Fatalf("first Fetch: %v", err)
	}
	want(t, "status", res.StatusCode, 200)
	want(t, "body", string(res.Body), testFeedBody)
	want(t, "hash", res.BodyHash, strconv.FormatUint(xxhash.Sum64String(testFeedBody), 16))
	want(t, "etag", res.ETag, etag)
	want(t, "last modified", res.LastModified, lastMod)
	want(t, "max age", res.MaxAge, 5*time.Minute)
	want(t, "final URL", res.FinalURL, srv.URL+"/feed")
	want(t, "user agent", userAgent.Load().(string), UserAgentDefault)
	want(t, "accept encoding", acceptEncoding.Load().(string), "gzip")

	res, err = f.Fetch(context.Background(), FetchRequest{URL: srv.URL + "/feed", ETag: res.ETag, LastModified: res.LastModified})
	if err != nil {
		t.Fatalf("conditional Fetch: %v", err)
	}
	want(t, "not modified", res.NotModified, true)
	want(t, "status", res.StatusCode, 304)
	want(t, "etag kept", res.ETag, etag)
	want(t, "last modified kept", res.LastModified, lastMod)
	want(t, "no body", len(res.Body), 0)
}

// redirectServer serves /feed and redirects /rN to the path after it with status N.
func redirectServer(t *testing.T) *httptest.Server {
	t.Helper()
	return newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed" {
			_, _ = w.Write([]byte(testFeedBody))
			return
		}
		// "/r301/r302/feed": redirect with 301 to "/r302/feed".
		first, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/r"), "/")
		code := map[string]int{"301": 301, "302": 302, "307": 307, "308": 308}[first]
		http.Redirect(w, r, "/"+rest, code)
	})
}

func TestFetchRedirects(t *testing.T) {
	t.Parallel()
	srv := redirectServer(t)
	tests := []struct {
		name, path, wantPermanent string
	}{
		{name: "301 chain", path: "/r301/r308/r301/feed", wantPermanent: "/feed"},
		{name: "302 is temporary", path: "/r302/feed", wantPermanent: ""},
		{name: "301 then 302", path: "/r301/r302/feed", wantPermanent: "/r302/feed"},
		{name: "307 then 301", path: "/r307/r301/feed", wantPermanent: ""},
		{name: "no redirect", path: "/feed", wantPermanent: ""},
	}
	f := loopbackFetcher(FetcherConfig{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := f.Fetch(context.Background(), FetchRequest{URL: srv.URL + tt.path})
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			want(t, "final URL", res.FinalURL, srv.URL+"/feed")
			wantPermanent := ""
			if tt.wantPermanent != "" {
				wantPermanent = srv.URL + tt.wantPermanent
			}
			want(t, "permanent URL", res.PermanentURL, wantPermanent)
		})
	}
}

func TestFetchRedirectLimit(t *testing.T) {
	t.Parallel()
	srv := redirectServer(t)
	f := loopbackFetcher(FetcherConfig{ClientConfig: ClientConfig{MaxRedirects: 3}})
	fe := fetchError(t, f, srv.URL+"/r302/r302/r302/r302/feed")
	want(t, "reason", fe.Reason, "more than 3 redirects")
	want(t, "temporary", fe.Temporary, false)
	if _, err := f.Fetch(context.Background(), FetchRequest{URL: srv.URL + "/r302/r302/r302/feed"}); err != nil {
		t.Errorf("three redirects: %v", err)
	}
}

func TestFetchStatusErrors(t *testing.T) {
	t.Parallel()
	httpDate := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		name       string
		status     int
		retryAfter string
		reason     string
		gone, temp bool
		wantRetry  time.Duration // 0: none; -1: about one hour
	}{
		{name: "404", status: 404, reason: "HTTP 404 Not Found"},
		{name: "410", status: 410, reason: "HTTP 410 Gone", gone: true},
		{name: "429 seconds", status: 429, retryAfter: "120", reason: "HTTP 429 Too Many Requests", temp: true, wantRetry: 2 * time.Minute},
		{name: "429 date", status: 429, retryAfter: httpDate, reason: "HTTP 429 Too Many Requests", temp: true, wantRetry: -1},
		{name: "429 short clamped", status: 429, retryAfter: "5", reason: "HTTP 429 Too Many Requests", temp: true, wantRetry: time.Minute},
		{name: "503 long clamped", status: 503, retryAfter: "172800", reason: "HTTP 503 Service Unavailable", temp: true, wantRetry: 24 * time.Hour},
		{name: "503 without header", status: 503, reason: "HTTP 503 Service Unavailable", temp: true},
		{name: "500", status: 500, reason: "HTTP 500 Internal Server Error", temp: true},
		{name: "403", status: 403, reason: "HTTP 403 Forbidden"},
	}
	f := loopbackFetcher(FetcherConfig{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.status)
			})
			fe := fetchError(t, f, srv.URL)
			want(t, "status", fe.StatusCode, tt.status)
			want(t, "reason", fe.Reason, tt.reason)
			want(t, "gone", fe.Gone, tt.gone)
			want(t, "temporary", fe.Temporary, tt.temp)
			if tt.wantRetry == -1 {
				if fe.RetryAfter < 59*time.Minute || fe.RetryAfter > time.Hour {
					t.Errorf("retry after = %v; want about 1h", fe.RetryAfter)
				}
			} else {
				want(t, "retry after", fe.RetryAfter, tt.wantRetry)
			}
			wantContains(t, "error text", fe.Error(), srv.URL, tt.reason)
		})
	}
}

// TestFetchPerHostLimit holds every request in the handler until the test lets it go, and lets
// one go only while two are held: with the limit working, the peak is exactly 2 and the test
// never waits on a clock.
func TestFetchPerHostLimit(t *testing.T) {
	t.Parallel()
	const fetches = 8
	var inFlight, peak atomic.Int32
	arrived := make(chan chan struct{})
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		release := make(chan struct{})
		arrived <- release
		<-release
		_, _ = w.Write([]byte(testFeedBody))
	})
	f := loopbackFetcher(FetcherConfig{ClientConfig: ClientConfig{PerHostLimit: 2}})
	var wg sync.WaitGroup
	for range fetches {
		wg.Go(func() {
			if _, err := f.Fetch(context.Background(), FetchRequest{URL: srv.URL}); err != nil {
				t.Errorf("Fetch: %v", err)
			}
		})
	}
	var held []chan struct{}
	for range fetches {
		held = append(held, <-arrived)
		if len(held) == 2 {
			close(held[0])
			held = held[1:]
		}
	}
	for _, release := range held {
		close(release)
	}
	wg.Wait()
	if p := peak.Load(); p != 2 {
		t.Errorf("peak concurrent requests = %d; want 2, the limit", p)
	}
	if n := len(f.client.hosts.hosts); n != 0 {
		t.Errorf("%d host slots left after all fetches ended; want 0", n)
	}
}

func TestFetchRefusesOtherSchemesAndIgnoresProxies(t *testing.T) {
	t.Parallel()
	f := NewFetcher(FetcherConfig{})
	fe := fetchError(t, f, "ftp://example.com/feed.xml")
	want(t, "reason", fe.Reason, `the scheme "ftp" is not allowed`)
	if f.client.transport.Proxy != nil {
		t.Error("the transport uses a proxy; feeds must not go through HTTP_PROXY")
	}
}

// TestFetchReleasedBodiesAreReused: bodies read after an earlier one was released come back
// whole and with their own hash, whatever their size and whether the length was announced.
func TestFetchReleasedBodiesAreReused(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		body := bytes.Repeat([]byte{byte('a' + n%26)}, n)
		if r.URL.Query().Get("chunked") == "" {
			w.Header().Set("Content-Length", strconv.Itoa(n))
		}
		_, _ = w.Write(body)
	})
	f := loopbackFetcher(FetcherConfig{})
	for i, n := range []int{300 << 10, 10, 70 << 10, 1 << 20, 0, 5} {
		url := fmt.Sprintf("%s/feed?n=%d", srv.URL, n)
		if i%2 == 1 {
			url += "&chunked=1"
		}
		res, err := f.Fetch(context.Background(), FetchRequest{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		wantBody := bytes.Repeat([]byte{byte('a' + n%26)}, n)
		if !bytes.Equal(res.Body, wantBody) || res.BodyHash != strconv.FormatUint(xxhash.Sum64(wantBody), 16) {
			t.Fatalf("fetch %d (%d bytes): got %d bytes, hash %s; want the server's body", i, n, len(res.Body), res.BodyHash)
		}
		res.Release()
		res.Release() // a second call does nothing
		if res.Body != nil {
			t.Fatal("Body still set after Release")
		}
	}
}
