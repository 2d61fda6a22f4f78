// Package searchcache answers repeated searches and typeahead prefixes from memory, in front of
// the search index. An answer is kept under its normalised query and every parameter that
// changes it, for the index generation it was computed in (Postgres counts the batches of index
// writes; see db.WatchIndexGeneration), at most a TTL, and within a bound of entries and bytes,
// least recently used first out. It sits behind the HTTP layer's key checks and metering, which
// therefore run on every request, answered from the cache or not.
package searchcache

import (
	"cmp"
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"

	"hark"
	"hark/internal/prom"
)

// Defaults of Config.
const (
	EntriesDefault = 10_000
	BytesDefault   = 64 << 20
	TTLDefault     = 5 * time.Minute
)

// Searcher is the search index the cache stands in front of (*search.Index).
type Searcher interface {
	Search(ctx context.Context, q hark.SearchQuery) (*hark.SearchResult, error)
	Suggest(ctx context.Context, prefix string, podcasts, genres bool) (*hark.Suggestions, error)
	Health(ctx context.Context) error
	Spellcheck(text string) []hark.Correction
}

// Config bounds a Cache.
type Config struct {
	// Entries is the most answers kept. Default EntriesDefault.
	Entries int
	// Bytes bounds the memory the kept answers hold, as sizeOf estimates it. Default BytesDefault.
	Bytes int64
	// TTL is the longest an answer is kept, whatever the generation says: the typeahead's terms
	// and the common search terms are recounted by each process, not by index batches. Default
	// TTLDefault.
	TTL time.Duration
	// MaxTook keeps out searches that took this long or longer: Typesense may have cut them off
	// (search_cutoff_ms) with the best hits found so far, and their Total is a lower bound.
	// 0 keeps every answer.
	MaxTook time.Duration
	// Registry receives the cache's metrics. Default: Prometheus's default registry.
	Registry prometheus.Registerer
}

// Cache is a Searcher that answers from memory what its Searcher answered before, in the same
// index generation. Answers are shared between requests: callers must not change them.
type Cache struct {
	next    Searcher
	lru     *lru
	maxTook time.Duration
	// flight makes concurrent misses of one key one search: after a bump, the popular queries
	// all miss at once, each asked by many clients.
	flight  singleflight.Group
	lookups *prometheus.CounterVec
	gauges  *prometheus.GaugeVec
	// hits and misses are this cache's own counts (the metrics are the process's).
	hits, misses atomic.Int64
}

// New returns a Cache in front of next. It answers nothing from memory until SetGeneration has
// told it the index generation.
func New(next Searcher, cfg Config) *Cache {
	reg := cmp.Or[prometheus.Registerer](cfg.Registry, prometheus.DefaultRegisterer)
	return &Cache{
		next:    next,
		lru:     newLRU(cmp.Or(cfg.Entries, EntriesDefault), cmp.Or(cfg.Bytes, BytesDefault), cmp.Or(cfg.TTL, TTLDefault), -1),
		maxTook: cfg.MaxTook,
		lookups: prom.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hark_search_cache_lookups_total",
			Help: "Searches and typeahead prefixes looked up in the web process's cache, by kind and result (hit or miss).",
		}, []string{"kind", "result"})),
		gauges: prom.Register(reg, prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "hark_search_cache_size",
			Help: "What the search cache holds: entries, and bytes as estimated.",
		}, []string{"unit"})),
	}
}

// SetGeneration tells the cache the index generation; a new one drops every answer. A negative
// generation is unknown: the cache then answers nothing from memory and keeps nothing.
func (c *Cache) SetGeneration(gen int64) {
	c.lru.setGeneration(gen)
	c.observeSize()
}

// Generation returns the index generation the cache serves, negative while it is unknown.
func (c *Cache) Generation() int64 { return c.lru.generation() }

// Len returns how many answers the cache holds and their estimated bytes.
func (c *Cache) Len() (entries int, bytes int64) { return c.lru.len() }

// Lookups returns how many lookups found an answer in the cache, and how many did not.
func (c *Cache) Lookups() (hits, misses int64) { return c.hits.Load(), c.misses.Load() }

func (c *Cache) count(kind string, hit bool) {
	if hit {
		c.hits.Add(1)
		c.lookups.WithLabelValues(kind, "hit").Inc()
		return
	}
	c.misses.Add(1)
	c.lookups.WithLabelValues(kind, "miss").Inc()
}

// Search answers q from memory, with Took the time the lookup took, or from the index.
func (c *Cache) Search(ctx context.Context, q hark.SearchQuery) (*hark.SearchResult, error) {
	key := searchKey(q)
	start := time.Now()
	if v, ok := c.lru.get(key, start); ok {
		c.count("search", true)
		res := *v.(*hark.SearchResult)
		res.Took = time.Since(start)
		return &res, nil
	}
	c.count("search", false)
	v, err := c.fill(ctx, key, func(ctx context.Context) (any, bool, error) {
		res, err := c.next.Search(ctx, q)
		return res, err == nil && (c.maxTook == 0 || res.Took < c.maxTook), err
	})
	res, _ := v.(*hark.SearchResult)
	return res, err
}

// Suggest answers a typeahead prefix from memory or from the index.
func (c *Cache) Suggest(ctx context.Context, prefix string, podcasts, genres bool) (*hark.Suggestions, error) {
	key := suggestKey(prefix, podcasts, genres)
	if v, ok := c.lru.get(key, time.Now()); ok {
		c.count("suggest", true)
		return v.(*hark.Suggestions), nil
	}
	c.count("suggest", false)
	v, err := c.fill(ctx, key, func(ctx context.Context) (any, bool, error) {
		sug, err := c.next.Suggest(ctx, prefix, podcasts, genres)
		return sug, err == nil && sug != nil, err
	})
	sug, _ := v.(*hark.Suggestions)
	return sug, err
}

// fill answers a miss of key with ask, once for all the callers that miss it at the same time,
// and keeps the answer when ask says it may, under the generation read before asking (so an
// answer computed across a bump is not kept). When the caller whose request asked went away,
// the others ask again with their own context rather than fail with its cancellation.
func (c *Cache) fill(ctx context.Context, key string, ask func(context.Context) (any, bool, error)) (any, error) {
	v, err, _ := c.flight.Do(key, func() (any, error) {
		gen := c.lru.generation()
		v, keep, err := ask(ctx)
		if keep {
			c.lru.put(key, gen, v, int64(len(key))+sizeOf(v), time.Now())
			c.observeSize()
		}
		return v, err
	})
	if err != nil && ctx.Err() == nil && errors.Is(err, context.Canceled) {
		v, _, err = ask(ctx)
	}
	return v, err
}

func (c *Cache) observeSize() {
	n, bytes := c.lru.len()
	c.gauges.WithLabelValues("entries").Set(float64(n))
	c.gauges.WithLabelValues("bytes").Set(float64(bytes))
}

// Health is the index's.
func (c *Cache) Health(ctx context.Context) error { return c.next.Health(ctx) }

// Spellcheck is the index's: it answers from memory already.
func (c *Cache) Spellcheck(text string) []hark.Correction { return c.next.Spellcheck(text) }
