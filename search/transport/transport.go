// Package transport carries Hark's requests to the nodes of a Typesense cluster. It tries the
// nodes in turn when one fails (see failover), fences a failing cluster off with a circuit
// breaker, and sends requests two ways: searches, the bulk of the calls, with fasthttp (see Get),
// and everything else (writes, imports, schema calls) with net/http through the doer that
// typesense-go's generated client takes (see Doer). Both share the node health and the breaker.
//
// It knows nothing of collections or documents: package search builds the requests.
package transport

import (
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/typesense/typesense-go/v3/typesense/api"
	"github.com/typesense/typesense-go/v3/typesense/api/circuit"
	"github.com/valyala/fasthttp"

	"hark"
)

// Config says which nodes to reach and how long to wait for them.
type Config struct {
	// Nodes are the node URLs: one server, or the nodes of a Raft cluster. At least one.
	Nodes []string
	// APIKey is sent with every search (Get). The doer leaves headers to its caller.
	APIKey string
	// QueryTimeout bounds connecting to a node, and a search whose context has no deadline.
	// Required.
	QueryTimeout time.Duration
	// ImportTimeout is the longest call the doer carries; its http.Client gives up a little
	// after the longer of the two timeouts, a backstop for a context without a deadline.
	ImportTimeout time.Duration
}

// Client sends requests to the nodes of one cluster. It is safe for concurrent use.
type Client struct {
	failover *failover
	breaker  circuit.Breaker
	doer     api.HttpRequestDoer
	fast     []*fasthttp.HostClient // per node of failover, for Get
	apiKey   string
	timeout  time.Duration // for a search whose context has no deadline
}

// New returns a Client for the nodes of cfg. It does not contact them. Returns ErrInvalid when a
// node is not an http or https URL, there is none, or QueryTimeout is not positive.
func New(cfg Config) (*Client, error) {
	if len(cfg.Nodes) == 0 {
		return nil, hark.Errorf(hark.ErrInvalid, "no Typesense node")
	}
	if cfg.QueryTimeout <= 0 {
		return nil, hark.Errorf(hark.ErrInvalid, "the Typesense query timeout must be positive")
	}
	nodes := make([]*url.URL, len(cfg.Nodes))
	for i, n := range cfg.Nodes {
		u, err := url.Parse(n)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, hark.Errorf(hark.ErrInvalid, "TYPESENSE_URL %q is not a URL", n)
		}
		nodes[i] = u
	}
	c := &Client{
		failover: newFailover(newHTTPClient(cfg), nodes),
		// typesense-go's defaults: fail calls fast for a minute once more than half of 100+
		// recent requests failed; those calls then fail at once with ErrUnavailable.
		breaker: circuit.NewGoBreaker(circuit.WithGoBreakerName("typesense")),
		apiKey:  cfg.APIKey,
		timeout: cfg.QueryTimeout,
	}
	c.doer = circuit.NewHTTPClient(circuit.WithHTTPRequestDoer(c.failover), circuit.WithCircuitBreaker(c.breaker))
	for _, u := range nodes {
		c.fast = append(c.fast, newHostClient(u, cfg.QueryTimeout))
	}
	return c, nil
}

// Doer returns the net/http doer for typesense-go's generated client: each request goes to a
// node that answers (the URL's host is replaced), through the breaker.
func (c *Client) Doer() api.HttpRequestDoer { return c.doer }

// newHTTPClient builds the http.Client for every call but searches. Not http.DefaultClient: its
// transport keeps only 2 idle connections per host, so concurrent calls would keep opening new
// ones. Timeouts come from each call's context; the client's timeout is only a backstop.
func newHTTPClient(cfg Config) *http.Client {
	transport := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: cfg.QueryTimeout, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        100,
		MaxIdleConnsPerHost: 32,
		// Typesense sits next to Hark (loopback or a LAN): gzip would cost both ends CPU that a
		// 2-core box needs for queries, and save no meaningful transfer time.
		DisableCompression: true,
		IdleConnTimeout:    idleConnDuration,
		// A page of hits is about 25 KB: read it in a few syscalls, not 4 KB at a time.
		ReadBufferSize:  64 << 10,
		WriteBufferSize: 16 << 10,
	}
	return &http.Client{Transport: transport, Timeout: max(cfg.QueryTimeout, cfg.ImportTimeout) + 5*time.Second}
}
