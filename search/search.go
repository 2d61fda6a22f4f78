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
//
// Two subpackages do the rest: search/transport carries the requests to the nodes (failover,
// circuit breaker, fasthttp for searches), and search/terms is the query linguistics (stop words,
// common words, the typeahead dictionary) that this package applies to the queries it sends.
package search

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/typesense/typesense-go/v3/typesense"
	"github.com/typesense/typesense-go/v3/typesense/api"

	"hark"
	"hark/search/terms"
	"hark/search/transport"
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
	return nil
}

// Index is Hark's Typesense index. It is safe for concurrent use.
type Index struct {
	client *typesense.Client
	search *transport.Client // the nodes; searches go through its Get, the rest through client
	cfg    Config
	logger *slog.Logger

	mu       sync.Mutex
	rebuilds map[*Rebuild]bool        // rebuilds in progress, which also receive this Index's writes
	targets  map[string]resolvedAlias // kind -> the collection its alias pointed at, for writes

	common atomic.Pointer[map[string]bool]  // see SetCommonTerms
	dict   atomic.Pointer[terms.Dictionary] // see SetTerms
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
	client, search, err := newClient(cfg)
	if err != nil {
		return nil, err
	}
	return &Index{
		client:   client,
		search:   search,
		cfg:      cfg,
		logger:   logger,
		rebuilds: map[*Rebuild]bool{},
		targets:  map[string]resolvedAlias{},
	}, nil
}

// newClient builds the typesense-go client from its parts rather than with typesense.NewClient:
// its multi-node retry (APICall) is not safe for concurrent use, and its http.Client keeps too few
// idle connections. The transport does failover for both it and the searches Hark sends itself.
func newClient(cfg Config) (*typesense.Client, *transport.Client, error) {
	nodes, err := transport.New(transport.Config{
		Nodes: cfg.Nodes, APIKey: cfg.APIKey, QueryTimeout: cfg.QueryTimeout, ImportTimeout: cfg.ImportTimeout,
	})
	if err != nil {
		return nil, nil, err
	}
	apiClient, err := api.NewClientWithResponses(cfg.Nodes[0], api.WithAPIKey(cfg.APIKey), api.WithHTTPClient(nodes.Doer()))
	if err != nil {
		return nil, nil, hark.Errorf(hark.ErrInvalid, "TYPESENSE_URL %q: %v", cfg.Nodes[0], err)
	}
	return typesense.NewClient(typesense.WithAPIClient(apiClient)), nodes, nil
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
