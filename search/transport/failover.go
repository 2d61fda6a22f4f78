package transport

import (
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

// nodeDownFor is how long a node that failed is passed over while another one is up.
const nodeDownFor = 15 * time.Second

// failover sends each request to one node of a Typesense cluster, and on to the next one when a
// node does not answer or answers 5xx, the way typesense-go's APICall does. We use our own because
// APICall keeps its round-robin index and node health in plain fields, a data race once searches
// run concurrently (and `go test -race` says so), and it sleeps between retries without looking
// at the context.
type failover struct {
	client *http.Client
	nodes  []*url.URL
	downTo []atomic.Int64 // per node: unix nanos until which it is passed over
	next   atomic.Uint64
}

func newFailover(client *http.Client, nodes []*url.URL) *failover {
	return &failover{client: client, nodes: nodes, downTo: make([]atomic.Int64, len(nodes))}
}

// Do implements the doer that the generated API client calls.
func (f *failover) Do(req *http.Request) (*http.Response, error) {
	if len(f.nodes) == 1 {
		return f.client.Do(req) // the request already names the only node
	}
	order := f.order(f.start())
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		order = order[:1] // a body we cannot read twice gets one try
	}
	var resp *http.Response
	var err error
	for i, n := range order {
		r, cerr := f.attempt(req, f.nodes[n])
		if cerr != nil {
			return nil, cerr
		}
		resp, err = f.client.Do(r)
		if err == nil && resp.StatusCode < 500 {
			f.up(n)
			return resp, nil
		}
		if req.Context().Err() != nil {
			return resp, err
		}
		f.down(n)
		if i < len(order)-1 && resp != nil {
			_, _ = io.Copy(io.Discard, resp.Body) // we try the next node; let the connection be reused
			resp.Body.Close()
		}
	}
	return resp, err
}

// start is the node a call tries first: the next one round the cluster.
func (f *failover) start() int { return int(f.next.Add(1) % uint64(len(f.nodes))) }

// up records that node n answered.
func (f *failover) up(n int) { f.downTo[n].Store(0) }

// down records that node n failed: it is passed over for nodeDownFor while another one is up.
func (f *failover) down(n int) { f.downTo[n].Store(time.Now().Add(nodeDownFor).UnixNano()) }

// order lists the node indexes to try: those up first, from start on, then those down.
func (f *failover) order(start int) []int {
	now := time.Now().UnixNano()
	up := make([]int, 0, len(f.nodes))
	var down []int
	for i := range f.nodes {
		n := (start + i) % len(f.nodes)
		if f.downTo[n].Load() > now {
			down = append(down, n)
		} else {
			up = append(up, n)
		}
	}
	return append(up, down...)
}

// attempt returns a copy of req aimed at node, with a fresh body.
func (f *failover) attempt(req *http.Request, node *url.URL) (*http.Request, error) {
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host, r.Host = node.Scheme, node.Host, node.Host
	if req.Body != nil && req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = body
	}
	return r, nil
}
