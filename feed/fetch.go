package feed

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Defaults for FetcherConfig.
const (
	// UserAgentDefault names the crawler and where to read about it.
	UserAgentDefault = "HarkBot/1.0 (+https://github.com/hark/hark; podcast search)"
	// MaxBodyBytesDefault is 25 MiB, counted after decompression.
	MaxBodyBytesDefault int64 = 25 << 20
	// TimeoutDefault bounds one fetch from the first byte sent to the last byte read.
	TimeoutDefault = 30 * time.Second
	// MaxRedirectsDefault is how many redirects a fetch follows.
	MaxRedirectsDefault = 10
	// PerHostLimitDefault is how many fetches may run against one host at once.
	PerHostLimitDefault = 2
)

// acceptHeader prefers feed types but takes anything: many hosts serve feeds as text/html.
const acceptHeader = "application/rss+xml, application/atom+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"

// FetcherConfig configures a Fetcher. Zero values take the defaults.
type FetcherConfig struct {
	UserAgent    string        // User-Agent header; default UserAgentDefault
	MaxBodyBytes int64         // body limit after decompression; default MaxBodyBytesDefault (25 MiB)
	Timeout      time.Duration // total time for one fetch, body included; default TimeoutDefault (30s)
	MaxRedirects int           // redirects followed; default MaxRedirectsDefault (10)
	// AllowLoopback lets the fetcher connect to 127.0.0.0/8 and ::1, for tests and the demo.
	// Private, link-local and other internal ranges stay refused.
	AllowLoopback bool
	// LoopbackOnly refuses every host but localhost and loopback addresses, before any DNS
	// lookup: tests and benchmarks crawl real feeds whose transcript and artwork links name
	// hosts on the internet, which they must never reach.
	LoopbackOnly bool
	PerHostLimit int // concurrent fetches per host; default PerHostLimitDefault (2)
}

// FetchRequest is one conditional GET; ETag and LastModified come from the previous crawl.
type FetchRequest struct {
	URL          string
	ETag         string
	LastModified string
}

// FetchResult is a successful fetch: 200 with a body, or 304 Not Modified.
type FetchResult struct {
	URL          string // requested
	FinalURL     string // after redirects
	PermanentURL string // the URL reached through 301/308 redirects only, to move the podcast to; "" when the first redirect was temporary or there was none
	StatusCode   int
	NotModified  bool   // 304
	Body         []byte // Release hands its memory back when the caller is done with it
	ETag         string
	LastModified string
	BodyHash     string        // hex xxHash64 of Body: tells an unchanged body at a fraction of sha256's cost
	MaxAge       time.Duration // Cache-Control max-age; 0 when absent

	buf *[]byte // Body's recycled buffer
}

// Fetcher fetches feeds over HTTP. It refuses to connect to internal addresses (checked on the
// resolved IP of every hop, so DNS tricks and redirects cannot get around it), ignores proxy
// settings from the environment, caps concurrent fetches per host, decompresses gzip itself so
// that the size limit counts decompressed bytes, and bounds each fetch by one total timeout. A
// Fetcher is safe for concurrent use.
type Fetcher struct {
	cfg       FetcherConfig
	transport *http.Transport
	hosts     *hostLimiter
}

// NewFetcher returns a Fetcher with cfg's zero fields set to their defaults.
func NewFetcher(cfg FetcherConfig) *Fetcher {
	cfg.UserAgent = cmp.Or(cfg.UserAgent, UserAgentDefault)
	cfg.MaxBodyBytes = cmp.Or(max(cfg.MaxBodyBytes, 0), MaxBodyBytesDefault)
	cfg.Timeout = cmp.Or(max(cfg.Timeout, 0), TimeoutDefault)
	cfg.MaxRedirects = cmp.Or(max(cfg.MaxRedirects, 0), MaxRedirectsDefault)
	cfg.PerHostLimit = cmp.Or(max(cfg.PerHostLimit, 0), PerHostLimitDefault)
	dialer := &net.Dialer{
		Timeout:        10 * time.Second,
		KeepAlive:      30 * time.Second,
		ControlContext: dialGuard(cfg.guard()),
	}
	transport := &http.Transport{
		Proxy:                  nil, // never send feed requests through an environment proxy
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    10 * time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    cfg.PerHostLimit,
		IdleConnTimeout:        90 * time.Second,
		DisableCompression:     true, // we ask for gzip and decompress under the size limit
		MaxResponseHeaderBytes: 1 << 20,
	}
	return &Fetcher{cfg: cfg, transport: transport, hosts: newHostLimiter(cfg.PerHostLimit)}
}

// dialGuard checks the address a connection is about to be made to, after DNS resolution.
func dialGuard(g guard) func(context.Context, string, string, syscall.RawConn) error {
	return func(_ context.Context, _, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return fmt.Errorf("dial guard: %w", err)
		}
		addr, err := netip.ParseAddr(host)
		if err != nil {
			return fmt.Errorf("dial guard: %w", err)
		}
		return g.checkDial(addr.WithZone(""))
	}
}

func (c FetcherConfig) guard() guard {
	return guard{allowLoopback: c.AllowLoopback, loopbackOnly: c.LoopbackOnly}
}

// Fetch makes a conditional GET of req.URL. It returns a *FetchResult for 200 (and 203) and for
// 304, and a *FetchError for everything else: other statuses, refused addresses, network
// errors, timeouts and oversized bodies.
func (f *Fetcher) Fetch(ctx context.Context, req FetchRequest) (*FetchResult, error) {
	u, err := f.checkURL(req.URL)
	if err != nil {
		return nil, err
	}
	release, err := f.hosts.acquire(ctx, strings.ToLower(u.Hostname()))
	if err != nil {
		return nil, &FetchError{URL: req.URL, Reason: "canceled while waiting for the host", Temporary: true, Err: err}
	}
	defer release()

	ctx, cancel := context.WithTimeoutCause(ctx, f.cfg.Timeout, errTimedOut)
	defer cancel()
	resp, tracker, err := f.do(ctx, u, req)
	if err != nil {
		return nil, f.requestError(ctx, req.URL, err)
	}
	defer resp.Body.Close()
	return f.result(ctx, req, resp, tracker)
}

// checkURL parses the request URL and refuses schemes other than http(s) and blocked IPs.
func (f *Fetcher) checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return nil, &FetchError{URL: raw, Reason: "the URL is not valid", Err: err}
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return nil, &FetchError{URL: raw, Reason: fmt.Sprintf("the scheme %q is not allowed", u.Scheme)}
	}
	if err := f.cfg.guard().checkHost(u.Hostname()); err != nil {
		return nil, &FetchError{URL: raw, Reason: err.Error(), Err: err}
	}
	return u, nil
}

// do sends the request, following redirects under the guard.
func (f *Fetcher) do(ctx context.Context, u *url.URL, req FetchRequest) (*http.Response, *redirectTracker, error) {
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("new request: %w", err)
	}
	h := httpReq.Header
	h.Set("User-Agent", f.cfg.UserAgent)
	h.Set("Accept", acceptHeader)
	h.Set("Accept-Encoding", "gzip")
	if req.ETag != "" {
		h.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		h.Set("If-Modified-Since", req.LastModified)
	}
	tracker := &redirectTracker{max: f.cfg.MaxRedirects, guard: f.cfg.guard()}
	client := &http.Client{Transport: f.transport, CheckRedirect: tracker.check}
	resp, err := client.Do(httpReq)
	return resp, tracker, err
}

// result turns a response into a FetchResult or a FetchError.
func (f *Fetcher) result(ctx context.Context, req FetchRequest, resp *http.Response, tr *redirectTracker) (*FetchResult, error) {
	res := &FetchResult{
		URL:          req.URL,
		FinalURL:     resp.Request.URL.String(),
		PermanentURL: tr.permanent,
		StatusCode:   resp.StatusCode,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		MaxAge:       maxAge(resp.Header.Get("Cache-Control")),
	}
	switch resp.StatusCode {
	case http.StatusNotModified:
		res.NotModified = true
		res.ETag = cmp.Or(res.ETag, req.ETag)
		res.LastModified = cmp.Or(res.LastModified, req.LastModified)
		return res, nil
	case http.StatusOK, http.StatusNonAuthoritativeInfo:
		body, buf, err := f.readBody(resp)
		if err != nil {
			return nil, f.bodyError(ctx, req.URL, resp.StatusCode, err)
		}
		res.Body, res.BodyHash, res.buf = body, hashHex(body), buf
		return res, nil
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	return nil, statusError(req.URL, resp)
}

// errTimedOut is the cause of a fetch's context when its total timeout ran out.
var errTimedOut = errors.New("fetch timed out")

// redirectTracker follows redirects for one fetch: it enforces the limit and the guard on each
// hop's URL, and remembers the URL reached through permanent redirects only.
type redirectTracker struct {
	max       int
	guard     guard
	permanent string
	temporary bool
}

// errTooManyRedirects reports a redirect chain longer than the limit.
var errTooManyRedirects = errors.New("too many redirects")

func (t *redirectTracker) check(req *http.Request, via []*http.Request) error {
	if len(via) > t.max {
		return errTooManyRedirects
	}
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return fmt.Errorf("redirect to scheme %q: %w", s, errBadScheme)
	}
	if err := t.guard.checkHost(req.URL.Hostname()); err != nil {
		return err
	}
	code := 0
	if req.Response != nil {
		code = req.Response.StatusCode
	}
	if !t.temporary && (code == http.StatusMovedPermanently || code == http.StatusPermanentRedirect) {
		t.permanent = req.URL.String()
	} else {
		t.temporary = true
	}
	return nil
}

// errBadScheme reports a redirect to a scheme other than http(s).
var errBadScheme = errors.New("scheme not allowed")
