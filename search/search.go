// Package search keeps Hark's Typesense index: the collection schemas, writes (bulk import, delete)
// and queries. It speaks hark types and hides typesense-go from the rest of the app.
//
// Two collections hold the index, episodes and podcasts, each reached through an alias
// (<prefix>episodes, <prefix>podcasts) that points at a versioned collection
// (<prefix>episodes_v1, later <prefix>episodes_v<unix-nanos>). A rebuild fills fresh versions and
// swaps the aliases, so searches keep answering throughout; see BeginRebuild.
//
// The code targets Typesense 0.24.1 and typesense-go v3, which was written for newer servers. It
// only uses calls both agree on; where they differ a comment says so. In particular documents are
// written only by bulk import: Document(id).Update expects 200 where 0.24.1 answers 201.
package search

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/typesense/typesense-go/v3/typesense"
	"github.com/typesense/typesense-go/v3/typesense/api"
	"github.com/typesense/typesense-go/v3/typesense/api/circuit"

	"hark"
)

// Defaults for Config fields left zero.
const (
	NodeDefault          = "http://127.0.0.1:8108"
	QueryTimeoutDefault  = time.Second
	ImportTimeoutDefault = 60 * time.Second
)

// Config says where Typesense is and how long to wait for it.
type Config struct {
	// Nodes are the Typesense node URLs: one server, or the nodes of a Raft cluster, which the
	// client tries in turn when one fails. Default [NodeDefault].
	Nodes []string
	// APIKey is an admin key: the index creates collections and aliases.
	APIKey string
	// Prefix is prepended to every collection and alias name, so several indexes (one per test,
	// say) share a server. Letters, digits, '_' and '-' only. Default "".
	Prefix string
	// QueryTimeout bounds searches, suggestions, counts and health checks; past it they fail with
	// ErrUnavailable rather than hang. Default QueryTimeoutDefault (1s).
	QueryTimeout time.Duration
	// ImportTimeout bounds writes, deletes, exports and schema changes, which may carry big
	// batches. Default ImportTimeoutDefault (60s).
	ImportTimeout time.Duration
}

var prefixPattern = regexp.MustCompile(`^[A-Za-z0-9_-]*$`)

func (c *Config) validate() error {
	if !prefixPattern.MatchString(c.Prefix) {
		return hark.Errorf(hark.ErrInvalid, "search prefix %q may hold only letters, digits, '_' and '-'", c.Prefix)
	}
	if c.APIKey == "" {
		return hark.Errorf(hark.ErrInvalid, "TYPESENSE_API_KEY is empty")
	}
	for _, n := range c.Nodes {
		if _, err := http.NewRequest(http.MethodGet, n, nil); err != nil {
			return hark.Errorf(hark.ErrInvalid, "TYPESENSE_URL %q is not a URL", n)
		}
	}
	return nil
}

// Index is Hark's Typesense index. It is safe for concurrent use.
type Index struct {
	client *typesense.Client
	search *searchNodes // the same failover and breaker over fasthttp, for searches (see fast.go)
	cfg    Config
	logger *slog.Logger

	mu       sync.Mutex
	rebuilds map[*Rebuild]bool        // rebuilds in progress, which also receive this Index's writes
	targets  map[string]resolvedAlias // kind -> the collection its alias pointed at, for writes

	common atomic.Pointer[map[string]bool] // see SetCommonTerms
	terms  atomic.Pointer[Terms]           // see SetTerms
}

// New returns an Index on the Typesense nodes in cfg. It does not contact the server; call Health
// or EnsureCollections for that. Returns ErrInvalid when cfg is unusable.
func New(cfg Config, logger *slog.Logger) (*Index, error) {
	if len(cfg.Nodes) == 0 {
		cfg.Nodes = []string{NodeDefault}
	}
	cfg.QueryTimeout = cmp.Or(cfg.QueryTimeout, QueryTimeoutDefault)
	cfg.ImportTimeout = cmp.Or(cfg.ImportTimeout, ImportTimeoutDefault)
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	client, search := newClient(cfg)
	return &Index{
		client:   client,
		search:   search,
		cfg:      cfg,
		logger:   logger,
		rebuilds: map[*Rebuild]bool{},
		targets:  map[string]resolvedAlias{},
	}, nil
}

// newClient builds the typesense-go client from its parts rather than with typesense.NewClient,
// for two reasons: its http.Client uses the default transport, which keeps only 2 idle connections
// per host, so concurrent searches would keep opening new ones; and its multi-node retry (APICall)
// is not safe for concurrent use (see failover). Timeouts come from each call's context; the
// http.Client timeout is only a backstop. Searches share the failover's node health and the
// breaker but go out through fasthttp (see searchNodes).
func newClient(cfg Config) (*typesense.Client, *searchNodes) {
	transport := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: cfg.QueryTimeout, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        100,
		MaxIdleConnsPerHost: 32,
		// Typesense sits next to Hark (loopback or a LAN): gzip would cost both ends CPU that a
		// 2-core box needs for queries, and save no meaningful transfer time.
		DisableCompression: true,
		IdleConnTimeout:    90 * time.Second,
		// A page of hits is about 25 KB: read it in a few syscalls, not 4 KB at a time.
		ReadBufferSize:  64 << 10,
		WriteBufferSize: 16 << 10,
	}
	httpClient := &http.Client{Transport: transport, Timeout: max(cfg.QueryTimeout, cfg.ImportTimeout) + 5*time.Second}
	// The breaker (typesense-go's defaults) fails calls fast for a minute once more than half of
	// 100+ recent requests failed; those calls then return ErrUnavailable at once.
	fo := newFailover(httpClient, cfg.Nodes)
	breaker := circuit.NewGoBreaker(circuit.WithGoBreakerName("typesense"))
	doer := circuit.NewHTTPClient(circuit.WithHTTPRequestDoer(fo), circuit.WithCircuitBreaker(breaker))
	apiClient, _ := api.NewClientWithResponses(cfg.Nodes[0], // never fails: it only parses the URL, checked in validate
		api.WithAPIKey(cfg.APIKey), api.WithHTTPClient(doer))
	return typesense.NewClient(typesense.WithAPIClient(apiClient)), newSearchNodes(fo, breaker, cfg.APIKey, cfg.QueryTimeout)
}

// Health returns nil when Typesense answers /health with ok. Returns ErrUnavailable otherwise.
func (ix *Index) Health(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, ix.cfg.QueryTimeout)
	defer cancel()
	ok, err := ix.client.Health(ctx, ix.cfg.QueryTimeout)
	if err != nil {
		return fmt.Errorf("typesense health: %w", interpretError(err))
	}
	if !ok {
		return fmt.Errorf("typesense health: %w: server is not ready", hark.ErrUnavailable)
	}
	return nil
}

// queryContext bounds a read.
func (ix *Index) queryContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, ix.cfg.QueryTimeout)
}

// importContext bounds a write or an export.
func (ix *Index) importContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, ix.cfg.ImportTimeout)
}
