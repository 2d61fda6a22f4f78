package transport

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"hark"
)

// Searches go to Typesense through fasthttp rather than net/http. A search is a small GET with
// an answer of about 20 KB, the bulk of the API's calls, and on a box where Hark and Typesense
// share the cores every CPU microsecond the hop costs is taken from Typesense. net/http's client
// hands each request to a write goroutine and its answer back from a read goroutine; fasthttp
// writes and reads on the caller's goroutine, which costs less CPU per search. Writes and schema
// calls, which carry large bodies or need streaming, stay on net/http (see Doer).
//
// fasthttp knows no context, so Get makes the round trip itself from fasthttp's connection pool
// (see roundTrip), and a caller that goes away interrupts it. HTTP_PROXY is not honoured for
// searches: Typesense sits beside Hark.

// maxBody bounds a search answer read into memory. A page of ten hits is ~20 KB.
const maxBody = 32 << 20

// idleConnDuration is how long an idle connection to a node is kept for the next request.
// Typesense 0.24.1 closes a connection idle for about a minute, and fasthttp does not notice a
// pooled connection the node closed: the next request on it fails with EOF. After a spell of
// answers from the search cache (Typesense idle), a burst of searches failed that way.
const idleConnDuration = 30 * time.Second

// newHostClient returns the fasthttp connection pool for node u.
func newHostClient(u *url.URL, timeout time.Duration) *fasthttp.HostClient {
	return &fasthttp.HostClient{
		Addr:                     hostPort(u),
		IsTLS:                    u.Scheme == "https",
		TLSConfig:                &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12},
		NoDefaultUserAgentHeader: true,
		MaxConns:                 512,
		MaxConnWaitTimeout:       timeout,
		MaxIdleConnDuration:      idleConnDuration,
		ReadBufferSize:           64 << 10,
		WriteBufferSize:          16 << 10,
		MaxResponseBodySize:      maxBody,
	}
}

// hostPort is u's host with the scheme's default port when it names none.
func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	if u.Scheme == "https" {
		return net.JoinHostPort(u.Hostname(), "443")
	}
	return net.JoinHostPort(u.Hostname(), "80")
}

// Get sends GET pathQuery (a path under the node's root, with its query) to the first node that
// answers below 500, and calls use with that answer; the body is valid only during the call. A
// node that fails or answers 5xx is passed over for a while, and the next one is tried. A
// transport failure of every node is ErrUnavailable; a 5xx from the last node goes to use. When
// ctx is cancelled, Get returns at once with an error that wraps ctx.Err(); a deadline of ctx
// that passes is ErrUnavailable, as a node too slow to answer.
func (c *Client) Get(ctx context.Context, pathQuery string, use func(status int, body []byte) error) error {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(c.timeout)
	}
	req := fasthttp.AcquireRequest()
	resp := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.Header.SetMethod(fasthttp.MethodGet)
	req.Header.Set("X-TYPESENSE-API-KEY", c.apiKey)

	order := []int{0}
	if len(c.fast) > 1 {
		order = c.failover.order(c.failover.start())
	}
	var err error
	for _, n := range order {
		node := c.failover.nodes[n]
		req.SetRequestURI(strings.TrimRight(node.Path, "/") + pathQuery) // a node may sit under a path
		req.SetHost(node.Host)
		err = c.execute(ctx, n, req, resp, deadline)
		if err == nil && resp.StatusCode() < 500 {
			c.failover.up(n)
			return use(resp.StatusCode(), resp.Body())
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			break
		}
		c.failover.down(n)
	}
	switch {
	case err == nil:
		return use(resp.StatusCode(), resp.Body())
	case errors.Is(ctx.Err(), context.Canceled):
		return fmt.Errorf("typesense: %w", ctx.Err())
	default:
		return fmt.Errorf("%w: typesense: %w", hark.ErrUnavailable, err)
	}
}

// execute sends req to node n through the breaker, and once more when a kept-alive connection
// turns out closed by the node. A caller's cancellation says nothing of the node's health, so the
// breaker does not count it as a failure.
func (c *Client) execute(ctx context.Context, n int, req *fasthttp.Request, resp *fasthttp.Response, deadline time.Time) error {
	var err error
	brErr := c.breaker.Execute(func() error {
		for range 2 {
			var retry bool
			if retry, err = roundTrip(ctx, c.fast[n], req, resp, deadline); err == nil || !retry {
				break
			}
			// A connection the node closed (a restart, or an idle close) says the others
			// pooled as long are closed too: retrying on the next would fail the same way.
			c.fast[n].CloseIdleConnections()
		}
		if errors.Is(ctx.Err(), context.Canceled) {
			return nil
		}
		return err
	})
	if err == nil {
		err = brErr // the breaker refused the call
	}
	return err
}

// roundTrip sends req on a connection of hc and reads the answer into resp, by deadline. It is
// what hc.DoDeadline does, except that a done ctx interrupts the write or read under way: its
// connection's deadline is moved to the past, so the call returns at once, and the connection is
// closed rather than pooled (what it would read next belongs to the abandoned answer). retry
// reports an error that a fresh connection may not repeat.
func roundTrip(ctx context.Context, hc *fasthttp.HostClient, req *fasthttp.Request, resp *fasthttp.Response, deadline time.Time) (retry bool, err error) {
	resp.Reset()
	timeout := time.Until(deadline)
	if timeout <= 0 {
		return false, fasthttp.ErrTimeout
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	cc, err := hc.AcquireConn(timeout, false)
	if err != nil {
		return false, err
	}
	conn := cc.Conn()
	if err := conn.SetDeadline(deadline); err != nil {
		hc.CloseConn(cc)
		return true, err
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })

	bw := hc.AcquireWriter(conn)
	err = req.Write(bw)
	if err == nil {
		err = bw.Flush()
	}
	hc.ReleaseWriter(bw)
	if err == nil {
		br := hc.AcquireReader(conn)
		err = resp.ReadLimitBody(br, hc.MaxResponseBodySize)
		hc.ReleaseReader(br)
	}

	interrupted := !stop()
	if err != nil || interrupted || resp.ConnectionClose() {
		hc.CloseConn(cc)
	} else {
		hc.ReleaseConn(cc)
	}
	switch {
	case err == nil:
		return false, nil
	case ctx.Err() != nil:
		return false, ctx.Err()
	case isTimeout(err):
		return false, fasthttp.ErrTimeout
	}
	return !errors.Is(err, fasthttp.ErrBodyTooLarge), err
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
