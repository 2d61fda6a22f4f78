package searchcache_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"hark"
	"hark/search"
	"hark/search/searchtest"
	"hark/searchcache"
)

// countedIndex is the real index, counting the searches that reach it.
type countedIndex struct {
	*search.Index
	searches atomic.Int64
}

func (ix *countedIndex) Search(ctx context.Context, q hark.SearchQuery) (*hark.SearchResult, error) {
	ix.searches.Add(1)
	return ix.Index.Search(ctx, q)
}

// TestConcurrentMissesSearchOnce: clients that miss the same query at the same time (as after
// each index batch, for the popular queries) cost the index one search, and all get its answer.
func TestConcurrentMissesSearchOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url, key := searchtest.Env(t)
	ix, err := search.New(search.Config{Nodes: []string{url}, APIKey: key, Prefix: fmt.Sprintf("sc%d_", time.Now().UnixNano())}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = searchtest.DropAll(context.Background(), ix) })
	if _, err := ix.EnsureCollections(ctx); err != nil {
		t.Fatal(err)
	}
	counted := &countedIndex{Index: ix}
	cache := searchcache.New(counted, searchcache.Config{Registry: prometheus.NewRegistry()})
	cache.SetGeneration(1)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			<-start
			if _, err := cache.Search(ctx, hark.SearchQuery{Q: "spring tides"}); err != nil {
				t.Error(err)
			}
		})
	}
	close(start)
	wg.Wait()
	if n := counted.searches.Load(); n != 1 {
		t.Errorf("16 clients asking at once cost %d searches; want 1", n)
	}
}
