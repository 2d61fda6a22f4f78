package app

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"hark/db"
	podhttp "hark/http"
	"hark/search"
	"hark/searchcache"
)

// durationOrOff is a duration where 0 turns something off.
var durationOrOff = kind[time.Duration]{
	parse: func(s string) (time.Duration, error) {
		if strings.TrimSpace(s) == "0" {
			return 0, nil
		}
		d, err := duration.parse(s)
		if err != nil {
			return 0, errors.New("is not a duration such as 30s or 5m (0 for off)")
		}
		return d, nil
	},
	show: formatDuration,
}

// searcher is what the web server searches: the index behind the search cache, whose index
// generation a loop watches until ctx ends, or the index alone when SEARCH_CACHE_ENTRIES or
// SEARCH_CACHE_TTL is 0. It sets App.SearchCache.
func (a *App) searcher(ctx context.Context, loops *sync.WaitGroup) podhttp.Searcher {
	c := a.Config
	if c.SearchCacheEntries == 0 || c.SearchCacheTTL == 0 {
		a.SearchCache = nil
		return a.Index
	}
	cache := searchcache.New(a.Index, searchcache.Config{
		Entries: c.SearchCacheEntries, Bytes: c.SearchCacheBytes, TTL: c.SearchCacheTTL,
		// Typesense stops a search at 60% of the query timeout and answers what it found; an
		// answer that took half of it may be such a one, and is not kept.
		MaxTook: search.QueryTimeoutDefault / 2,
	})
	loops.Go(func() {
		a.Store.WatchIndexGeneration(ctx, db.IndexGenerationPollDefault, cache.SetGeneration, a.Logger)
	})
	a.SearchCache = cache
	return cache
}
