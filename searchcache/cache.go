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
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

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
	gen := c.lru.generation() // before the search: an answer from before a bump is not kept
	res, err := c.next.Search(ctx, q)
	if err != nil || (c.maxTook > 0 && res.Took >= c.maxTook) {
		return res, err
	}
	c.put(key, gen, res)
	return res, nil
}

// Suggest answers a typeahead prefix from memory or from the index.
func (c *Cache) Suggest(ctx context.Context, prefix string, podcasts, genres bool) (*hark.Suggestions, error) {
	key := suggestKey(prefix, podcasts, genres)
	if v, ok := c.lru.get(key, time.Now()); ok {
		c.count("suggest", true)
		return v.(*hark.Suggestions), nil
	}
	c.count("suggest", false)
	gen := c.lru.generation()
	sug, err := c.next.Suggest(ctx, prefix, podcasts, genres)
	if err != nil || sug == nil {
		return sug, err
	}
	c.put(key, gen, sug)
	return sug, nil
}

func (c *Cache) put(key string, gen int64, value any) {
	c.lru.put(key, gen, value, int64(len(key))+sizeOf(value), time.Now())
	c.observeSize()
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
