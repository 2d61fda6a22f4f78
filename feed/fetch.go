package feed

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
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

// FetcherConfig configures a Fetcher: the guarded Client it fetches through, and the body limit.
// Zero values take the defaults.
type FetcherConfig struct {
	ClientConfig
	MaxBodyBytes int64 // body limit after decompression; default MaxBodyBytesDefault (25 MiB)
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

// Fetcher fetches feeds over HTTP through a guarded Client (see Client for what it refuses and
// limits). It decompresses gzip itself so that the size limit counts decompressed bytes. A
// Fetcher is safe for concurrent use.
type Fetcher struct {
	cfg    FetcherConfig
	client *Client
}

// NewFetcher returns a Fetcher with cfg's zero fields set to their defaults.
func NewFetcher(cfg FetcherConfig) *Fetcher {
	c := NewClient(cfg.ClientConfig)
	cfg.ClientConfig = c.cfg
	cfg.MaxBodyBytes = cmp.Or(max(cfg.MaxBodyBytes, 0), MaxBodyBytesDefault)
	return &Fetcher{cfg: cfg, client: c}
}

// Client returns the guarded Client the Fetcher sends its requests through, for other outbound
// requests (webhooks) under the same guard, connections and per-host limit.
func (f *Fetcher) Client() *Client { return f.client }

// Fetch makes a conditional GET of req.URL. It returns a *FetchResult for 200 (and 203) and for
// 304, and a *FetchError for everything else: other statuses, refused addresses, network
// errors, timeouts and oversized bodies.
func (f *Fetcher) Fetch(ctx context.Context, req FetchRequest) (*FetchResult, error) {
	ctx, done, err := f.client.begin(ctx, req.URL)
	if err != nil {
		return nil, err
	}
	defer done()
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSpace(req.URL), nil)
	if err != nil {
		return nil, &FetchError{URL: req.URL, Reason: "the URL is not valid", Err: err}
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
	resp, tracker, err := f.client.send(httpReq, req.URL)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return f.result(ctx, req, resp, tracker)
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
	if err := t.guard.checkURL(req.URL); err != nil {
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
