package search

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/typesense/typesense-go/v3/typesense/api/circuit"
	"github.com/valyala/fasthttp"

	"hark"
)

// Searches go to Typesense through fasthttp rather than net/http. A search is a small GET with
// an answer of about 20 KB, the bulk of the API's calls, and on a box where Hark and Typesense
// share the cores every CPU microsecond the hop costs is taken from Typesense. net/http's client
// hands each request to a write goroutine and its answer back from a read goroutine; fasthttp
// writes and reads on the caller's goroutine. Replaying the bench's eval-set queries at 16
// clients, a pass-through proxy cost 0.20 ms of CPU per query with net/http's client and 0.13 ms
// with fasthttp's; in `make bench` the API's process went from 0.63 to 0.52 ms per search.
// Writes and schema calls, which carry large bodies or need streaming, stay on net/http.
//
// fasthttp knows no context: a search runs until its deadline (QueryTimeout) even when the
// caller gives up earlier, and HTTP_PROXY is not honoured for searches (Typesense sits beside
// Hark).

// fastSearchMaxBody bounds a search answer read into memory. A page of ten hits is ~20 KB.
const fastSearchMaxBody = 32 << 20

// searchNodes sends search GETs to the nodes of a cluster with fasthttp, with the same failover
// (node order and health shared with the net/http doer) and circuit breaker as every other call.
type searchNodes struct {
	failover *failover
	breaker  circuit.Breaker
	clients  []*fasthttp.HostClient // per node of failover
	apiKey   string
	timeout  time.Duration // for a context without a deadline
}

func newSearchNodes(fo *failover, breaker circuit.Breaker, apiKey string, timeout time.Duration) *searchNodes {
	s := &searchNodes{failover: fo, breaker: breaker, apiKey: apiKey, timeout: timeout}
	for _, u := range fo.nodes {
		s.clients = append(s.clients, &fasthttp.HostClient{
			Addr:                      hostPort(u),
			IsTLS:                     u.Scheme == "https",
			TLSConfig:                 &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12},
			NoDefaultUserAgentHeader:  true,
			MaxConns:                  512,
			MaxConnWaitTimeout:        timeout,
			MaxIdleConnDuration:       90 * time.Second,
			MaxIdemponentCallAttempts: 2, // once more on a kept-alive connection the node closed
			ReadBufferSize:            64 << 10,
			WriteBufferSize:           16 << 10,
			MaxResponseBodySize:       fastSearchMaxBody,
		})
	}
	return s
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

// get sends GET pathQuery (a path under the node's root, with its query) to the first node that
// answers below 500, and calls use with that answer; the body is valid only during the call. A
// node that fails or answers 5xx is passed over for nodeDownFor, and the next one is tried. A
// transport failure of every node is ErrUnavailable; a 5xx from the last node goes to use.
func (s *searchNodes) get(ctx context.Context, pathQuery string, use func(status int, body []byte) error) error {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(s.timeout)
	}
	req := fasthttp.AcquireRequest()
	resp := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.Header.SetMethod(fasthttp.MethodGet)
	req.Header.Set("X-TYPESENSE-API-KEY", s.apiKey)

	order := []int{0}
	if len(s.clients) > 1 {
		order = s.failover.order(s.failover.start())
	}
	var err error
	for _, n := range order {
		node := s.failover.nodes[n]
		req.SetRequestURI(strings.TrimRight(node.Path, "/") + pathQuery) // a node may sit under a path
		req.SetHost(node.Host)
		resp.Reset()
		err = s.breaker.Execute(func() error { return s.clients[n].DoDeadline(req, resp, deadline) })
		if err == nil && resp.StatusCode() < 500 {
			s.failover.up(n)
			return use(resp.StatusCode(), resp.Body())
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			break
		}
		s.failover.down(n)
	}
	switch {
	case err == nil:
		return use(resp.StatusCode(), resp.Body())
	case errors.Is(ctx.Err(), context.Canceled):
		return ctx.Err()
	default:
		return fmt.Errorf("%w: typesense: %w", hark.ErrUnavailable, err)
	}
}
