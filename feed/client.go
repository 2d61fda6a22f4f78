package feed

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ClientConfig configures a Client. Zero values take the defaults.
type ClientConfig struct {
	UserAgent    string        // User-Agent header when the request sets none; default UserAgentDefault
	Timeout      time.Duration // total time for one request, body included; default TimeoutDefault (30s)
	MaxRedirects int           // redirects followed; default MaxRedirectsDefault (10)
	PerHostLimit int           // concurrent requests per host; default PerHostLimitDefault (2)
	// AllowLoopback lets the client connect to 127.0.0.0/8 and ::1, on any port, for tests and
	// the demo. Private, link-local and every other special-purpose range stay refused.
	AllowLoopback bool
	// LoopbackOnly refuses every host but localhost and loopback addresses (on any port), before
	// any DNS lookup: tests and benchmarks crawl real feeds whose transcript and artwork links
	// name hosts on the internet, which they must never reach.
	LoopbackOnly bool
	// Ports are the ports the client connects to on every address but loopback (which the two
	// modes above open on any port, as test servers listen on random ones); default
	// PortsDefault (80, 443).
	Ports []uint16
	// LookupFunc resolves a host name; default the system resolver. Tests set it to resolve
	// names to addresses of their choosing without DNS.
	LookupFunc func(ctx context.Context, host string) ([]netip.Addr, error)
	// DialControlFunc, when set, is called just before each connection the guard allowed, with
	// the address; an error refuses the connection. The bench counts connections with it.
	DialControlFunc func(netip.AddrPort) error
}

// Client is Hark's one HTTP client for requests to URLs that strangers choose: feeds,
// transcripts, WebSub hubs and webhooks. Every URL, every redirect and every address a host
// name resolves to is checked against a guard that refuses all but global unicast addresses
// (IANA's special-purpose registries, with the IPv6 forms that embed an IPv4 address), other
// schemes than http and https, and ports the configuration does not list; the dialer checks
// each connection again. It ignores proxy settings from the environment, caps concurrent
// requests per host and bounds each by one total timeout. A Client is safe for concurrent use.
type Client struct {
	cfg       ClientConfig
	guard     guard
	dialer    *net.Dialer
	transport *http.Transport
	hosts     *hostLimiter
}

// NewClient returns a Client with cfg's zero fields set to their defaults.
func NewClient(cfg ClientConfig) *Client {
	cfg.UserAgent = cmp.Or(cfg.UserAgent, UserAgentDefault)
	cfg.Timeout = cmp.Or(max(cfg.Timeout, 0), TimeoutDefault)
	cfg.MaxRedirects = cmp.Or(max(cfg.MaxRedirects, 0), MaxRedirectsDefault)
	cfg.PerHostLimit = cmp.Or(max(cfg.PerHostLimit, 0), PerHostLimitDefault)
	if len(cfg.Ports) == 0 {
		cfg.Ports = PortsDefault
	}
	if cfg.LookupFunc == nil {
		cfg.LookupFunc = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	c := &Client{
		cfg:   cfg,
		guard: guard{allowLoopback: cfg.AllowLoopback, loopbackOnly: cfg.LoopbackOnly, ports: cfg.Ports},
		hosts: newHostLimiter(cfg.PerHostLimit),
	}
	c.dialer = &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, ControlContext: dialGuard(c.guard, cfg.DialControlFunc)}
	c.transport = &http.Transport{
		Proxy:                  nil, // never send requests through an environment proxy
		DialContext:            c.dial,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    10 * time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    cfg.PerHostLimit,
		IdleConnTimeout:        90 * time.Second,
		DisableCompression:     true, // the Fetcher asks for gzip and decompresses under its size limit
		MaxResponseHeaderBytes: 1 << 20,
	}
	return c
}

// Do sends req under the guard, following redirects, within the total timeout and the per-host
// limit, both of which last until the response body is closed. Refusals, network errors and
// timeouts come back as a *FetchError whose Reason says why; a refusal by the guard also
// matches ErrRefused. Any status is a response: the caller decides what a 4xx or 5xx means.
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	raw := req.URL.String()
	ctx, done, err := c.begin(req.Context(), raw)
	if err != nil {
		return nil, err
	}
	resp, _, err := c.send(req.WithContext(ctx), raw)
	if err != nil {
		done()
		return nil, err
	}
	resp.Body = &doneBody{ReadCloser: resp.Body, done: sync.OnceFunc(done)}
	return resp, nil
}

// doneBody runs done, which ends the request's timeout and host slot, when the body is closed.
type doneBody struct {
	io.ReadCloser
	done func()
}

func (b *doneBody) Close() error {
	err := b.ReadCloser.Close()
	b.done()
	return err
}

// checkURL parses a request URL and checks it with the guard.
func (c *Client) checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return nil, &FetchError{URL: raw, Reason: "the URL is not valid", Err: err}
	}
	if err := c.guard.checkURL(u); err != nil {
		return nil, &FetchError{URL: raw, Reason: err.Error(), Err: err}
	}
	return u, nil
}

// begin checks raw, waits for a slot of its host and starts the total timeout. The returned
// func releases the slot and the timeout's context.
func (c *Client) begin(ctx context.Context, raw string) (context.Context, func(), error) {
	u, err := c.checkURL(raw)
	if err != nil {
		return nil, nil, err
	}
	release, err := c.hosts.acquire(ctx, strings.ToLower(u.Hostname()))
	if err != nil {
		return nil, nil, &FetchError{URL: raw, Reason: "canceled while waiting for the host", Temporary: true, Err: err}
	}
	ctx, cancel := context.WithTimeoutCause(ctx, c.cfg.Timeout, errTimedOut)
	return ctx, func() { cancel(); release() }, nil
}

// send sends req, made with begin's context, following redirects under the guard. Errors are
// *FetchErrors about raw.
func (c *Client) send(req *http.Request, raw string) (*http.Response, *redirectTracker, error) {
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	tracker := &redirectTracker{max: c.cfg.MaxRedirects, guard: c.guard}
	hc := &http.Client{Transport: c.transport, CheckRedirect: tracker.check}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, c.requestError(req.Context(), raw, err)
	}
	return resp, tracker, nil
}

// dial resolves the host of address, refuses it when any address it resolves to is refused
// (a name that answers with a private address next to a public one is a rebinding attack),
// and connects to the checked addresses in turn, so that no second lookup can change them.
func (c *Client) dial(ctx context.Context, network, address string) (net.Conn, error) {
	host, portText, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("dial %s: bad port", address)
	}
	addrs, err := c.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	for _, a := range addrs {
		if err := c.guard.checkDial(netip.AddrPortFrom(a, uint16(port))); err != nil {
			return nil, &resolvedError{host: host, addr: a, err: err}
		}
	}
	var firstErr error
	for _, a := range addrs {
		conn, err := c.dialer.DialContext(ctx, network, netip.AddrPortFrom(a, uint16(port)).String())
		if err == nil {
			return conn, nil
		}
		firstErr = cmp.Or(firstErr, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, firstErr
}

// resolve returns the addresses of host: itself when it is an IP literal.
func (c *Client) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a.WithZone("")}, nil
	}
	addrs, err := c.cfg.LookupFunc(ctx, host)
	if err != nil {
		return nil, err
	}
	if len(addrs) == 0 {
		return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
	}
	return addrs, nil
}

// dialGuard checks each connection as the dialer is about to make it, then hands it to hook.
func dialGuard(g guard, hook func(netip.AddrPort) error) func(context.Context, string, string, syscall.RawConn) error {
	return func(_ context.Context, _, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("dial guard: %w", err)
		}
		if err := g.checkDial(ap); err != nil {
			return err
		}
		if hook != nil {
			return hook(ap)
		}
		return nil
	}
}
