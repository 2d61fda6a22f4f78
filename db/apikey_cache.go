package db

import (
	"context"
	"crypto/sha256"
	"errors"
	"log/slog"
	"sync"
	"time"

	"hark"
)

// Defaults for APIKeyCache.
const (
	APIKeyCacheTTLDefault   = 30 * time.Second
	APIUsageFlushDefault    = time.Second
	apiKeyCacheMaxNegatives = 10000
)

// APIKeyCache authenticates API keys and meters their use without a database write per request:
// a key is looked up once per TTL, and request counts gather in memory and are added to api_usage
// every flush interval. A revoked key stops working within the TTL; with several web processes a
// quota can be overrun by at most what they serve in one flush interval.
type APIKeyCache struct {
	store  *Store
	ttl    time.Duration
	logger *slog.Logger

	mu      sync.Mutex
	keys    map[[32]byte]*cachedKey
	pending map[int64]int64 // requests not yet written, per key ID
}

type cachedKey struct {
	key     hark.APIKey
	err     error // ErrUnauthorized for unknown keys (cached too, so bad keys cost no query each)
	base    int64 // requests this month according to Postgres, as last read
	local   int64 // requests counted here since then
	fetched time.Time
}

// NewAPIKeyCache returns a cache over store. Call Run to flush usage.
func NewAPIKeyCache(store *Store, ttl time.Duration, logger *slog.Logger) *APIKeyCache {
	if ttl <= 0 {
		ttl = APIKeyCacheTTLDefault
	}
	return &APIKeyCache{store: store, ttl: ttl, logger: logger,
		keys: map[[32]byte]*cachedKey{}, pending: map[int64]int64{}}
}

// FindAPIKey has the contract of Store.FindAPIKey: it returns the key and its requests this
// month so far, counting nothing, or ErrUnauthorized.
func (c *APIKeyCache) FindAPIKey(ctx context.Context, key string) (hark.APIKey, int64, error) {
	e, err := c.lookup(ctx, key)
	if err != nil {
		return hark.APIKey{}, 0, err
	}
	defer c.mu.Unlock()
	if e.err != nil {
		return hark.APIKey{}, 0, e.err
	}
	return e.key, e.base + e.local, nil
}

// AuthenticateAPIKey has the contract of Store.AuthenticateAPIKey: it counts one request and
// returns the key and its usage this month, or ErrUnauthorized.
func (c *APIKeyCache) AuthenticateAPIKey(ctx context.Context, key string) (hark.APIKey, APIUsage, error) {
	k, u, err := c.MeterAPIKey(ctx, key, 0)
	u.Quota = k.MonthlyQuota
	return k, u, err
}

// MeterAPIKey has the contract of Store.MeterAPIKey. A request without a quota is counted here
// and written with the next flush; one with a quota goes to Postgres at once, where the check
// and the count are one statement, so that processes that cannot see each other's unflushed
// counts still never take a key past its quota.
func (c *APIKeyCache) MeterAPIKey(ctx context.Context, key string, quota int) (hark.APIKey, APIUsage, error) {
	e, err := c.lookup(ctx, key)
	if err != nil {
		return hark.APIKey{}, APIUsage{}, err
	}
	if e.err != nil {
		c.mu.Unlock()
		return hark.APIKey{}, APIUsage{}, e.err
	}
	if quota == 0 {
		defer c.mu.Unlock()
		e.local++
		c.pending[e.key.ID]++
		return e.key, APIUsage{Requests: e.base + e.local}, nil
	}
	c.mu.Unlock()
	k, u, err := c.store.MeterAPIKey(ctx, key, quota)
	if err != nil {
		return k, u, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// Postgres's count holds every process's flushed requests; this process's unflushed
	// ones (from before the key had a quota) stay local.
	e.base, e.local = u.Requests, c.pending[k.ID]
	u.Requests += e.local
	return k, u, nil
}

// lookup returns key's entry, read from Postgres when missing or older than the TTL, with c.mu
// held; on an error it returns with c.mu released.
func (c *APIKeyCache) lookup(ctx context.Context, key string) (*cachedKey, error) {
	sum := sha256.Sum256([]byte(key))
	c.mu.Lock()
	e := c.keys[sum]
	if e != nil && time.Since(e.fetched) <= c.ttl {
		return e, nil
	}
	c.mu.Unlock()
	k, used, err := c.store.FindAPIKey(ctx, key)
	if err != nil && !errors.Is(err, hark.ErrUnauthorized) {
		return nil, err
	}
	c.mu.Lock()
	if err != nil && len(c.keys) > apiKeyCacheMaxNegatives {
		c.mu.Unlock()
		return nil, err
	}
	e = &cachedKey{key: k, err: err, base: used + c.pending[k.ID], fetched: time.Now()}
	c.keys[sum] = e
	return e, nil
}

// Run flushes usage every interval until ctx is done, then once more.
func (c *APIKeyCache) Run(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = APIUsageFlushDefault
	}
	flushEvery(ctx, interval, c.flushLogged)
}

// flushEvery calls flush every interval until ctx is done, then once more, so that what was
// counted last is written. Each flush gets a few seconds of its own, never ctx: a write cancelled
// while Postgres commits it reports an error for counts that were stored, which the next flush
// would then add a second time.
func flushEvery(ctx context.Context, interval time.Duration, flush func(context.Context)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	flushOnce := func() {
		flushCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		flush(flushCtx)
	}
	for {
		select {
		case <-ctx.Done():
			flushOnce()
			return
		case <-t.C:
			flushOnce()
		}
	}
}

func (c *APIKeyCache) flushLogged(ctx context.Context) {
	if err := c.Flush(ctx); err != nil {
		c.logger.WarnContext(ctx, "API usage not written yet; will retry", slog.Any("error", err))
	}
}

// Flush writes the gathered request counts to api_usage. On failure they are kept for the next
// flush, so no request goes unmetered.
func (c *APIKeyCache) Flush(ctx context.Context) error {
	c.mu.Lock()
	counts := c.pending
	c.pending = map[int64]int64{}
	c.mu.Unlock()
	if len(counts) == 0 {
		return nil
	}
	totals, err := c.store.AddAPIUsage(ctx, counts)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		for id, n := range counts {
			c.pending[id] += n
		}
		return err
	}
	// Postgres now holds this process's flushed requests and every other process's: take its
	// totals as the new base, keeping what arrived here since the flush began.
	for _, e := range c.keys {
		if total, ok := totals[e.key.ID]; ok && e.err == nil {
			e.base, e.local = total, c.pending[e.key.ID]
		}
	}
	return nil
}
