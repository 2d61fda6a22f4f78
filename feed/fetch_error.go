package feed

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// FetchError is a failed fetch. Reason says why in words fit for an operator or a user; the
// flags tell the crawler what to do next.
type FetchError struct {
	URL        string
	StatusCode int           // 0 for network and guard errors
	Reason     string        // e.g. "HTTP 404 Not Found", "timed out after 30s"
	Gone       bool          // 410: the feed is gone for good
	RetryAfter time.Duration // from Retry-After on 429 and 503, clamped to [1m, 24h]; 0 when absent
	Temporary  bool          // worth retrying: 5xx, 408, 429, timeouts and network errors
	Err        error         // the underlying error, if any
}

// Error returns "fetch URL: reason".
func (e *FetchError) Error() string {
	return fmt.Sprintf("fetch %s: %s", e.URL, e.Reason)
}

// Unwrap returns the underlying error.
func (e *FetchError) Unwrap() error { return e.Err }

// statusError describes a response with a status other than 200 or 304.
func statusError(rawURL string, resp *http.Response) *FetchError {
	code := resp.StatusCode
	text := http.StatusText(code)
	if text == "" {
		text = "status"
	}
	e := &FetchError{
		URL:        rawURL,
		StatusCode: code,
		Reason:     fmt.Sprintf("HTTP %d %s", code, text),
		Gone:       code == http.StatusGone,
		Temporary:  code >= 500 || code == http.StatusTooManyRequests || code == http.StatusRequestTimeout,
	}
	if code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable {
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return e
}

// requestError describes an error from sending the request or following redirects.
func (c *Client) requestError(ctx context.Context, rawURL string, err error) *FetchError {
	e := &FetchError{URL: rawURL, Err: err, Temporary: true}
	var badScheme *badSchemeError
	var refused refusal
	var dnsErr *net.DNSError
	var certErr *x509.CertificateInvalidError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.Is(context.Cause(ctx), errTimedOut):
		e.Reason = "timed out after " + c.cfg.Timeout.String()
	case ctx.Err() != nil:
		e.Reason = "canceled"
	case errors.As(err, &badScheme): // the first URL's scheme is checked before any request
		e.Reason, e.Temporary = "redirected to a URL that is not http or https", false
	case errors.As(err, &refused):
		e.Reason, e.Temporary = refused.Error(), false
	case errors.Is(err, errTooManyRedirects):
		e.Reason, e.Temporary = fmt.Sprintf("more than %d redirects", c.cfg.MaxRedirects), false
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		e.Reason = fmt.Sprintf("host %s not found", dnsErr.Name)
	case errors.As(err, &dnsErr):
		e.Reason = fmt.Sprintf("DNS lookup of %s failed", dnsErr.Name)
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr):
		e.Reason = "TLS certificate not valid: " + err.Error()
	default:
		e.Reason = "connection failed: " + innermost(err).Error()
	}
	return e
}

// bodyError describes an error while reading a 200 response's body.
func (f *Fetcher) bodyError(ctx context.Context, rawURL string, code int, err error) *FetchError {
	e := &FetchError{URL: rawURL, StatusCode: code, Err: err}
	switch {
	case errors.Is(context.Cause(ctx), errTimedOut):
		e.Reason, e.Temporary = "timed out after "+f.cfg.Timeout.String(), true
	case errors.Is(err, errBodyTooLarge):
		e.Reason = "body larger than " + formatBytes(f.cfg.MaxBodyBytes)
	case errors.Is(err, errors.ErrUnsupported):
		e.Reason = err.Error()
	default:
		e.Reason, e.Temporary = "body unreadable: "+innermost(err).Error(), true
	}
	return e
}

// innermost unwraps err down to the error that started it, for a short message.
func innermost(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}
