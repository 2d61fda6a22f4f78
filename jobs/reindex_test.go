package jobs_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hark"
	"hark/jobs"
	"hark/search"
	"hark/search/searchtest"
)

// TestReindexUnderLoad rebuilds an index of 300 episodes while searches run without pause, and
// changes a show in the middle of the rebuild. No search may fail or see wrong results, the
// aliases must end on new collections with the old ones gone, and the change must reach the new
// collection.
//
// The workers and the rebuild use separate Index values, as `hark serve` and `hark search
// reindex` are separate processes: the workers' writes go to the old collection only, so the
// change reaches the new one through Reindex's requeue of podcasts changed while it ran.
func TestReindexUnderLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tsURL, tsKey := os.Getenv("TYPESENSE_URL"), os.Getenv("TYPESENSE_API_KEY")
	newIndex(t) // skips or fails, as the other tests do, without a Typesense
	prefix := "reindex_" + hark.NewID()[:8] + "_"
	indexAt := func(queryTimeout time.Duration) *search.Index {
		ix, err := search.New(search.Config{Nodes: []string{tsURL}, APIKey: tsKey, Prefix: prefix, QueryTimeout: queryTimeout},
			slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		return ix
	}
	workerIx := indexAt(0)
	if _, err := workerIx.EnsureCollections(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = searchtest.DropAll(context.Background(), workerIx) })
	b := setupWithIndex(t, workerIx)

	const perShow = 100
	feeds := map[string]*feedServer{}
	ids := map[string]string{} // show -> podcast ID
	for _, show := range []string{"alpha", "bravo", "charlie"} {
		feeds[show] = newFeedServer(t, showFeed(show+" show", episodeTitles(show, perShow)...))
		p, _, err := b.service.SubmitFeed(ctx, feeds[show].URL+"/"+show+".xml")
		if err != nil {
			t.Fatal(err)
		}
		ids[show] = p.ID
	}
	b.waitIdle(t, time.Minute)
	total := 3 * perShow
	// The rebuild streams episodes in podcast ID order: the show with the smallest ID is read
	// entirely in the first batch, so a change to it made after that batch is certainly missed by
	// the stream. The show with the largest ID is never changed and must always be found whole.
	shows := []string{"alpha", "bravo", "charlie"}
	slices.SortFunc(shows, func(a, b string) int { return strings.Compare(ids[a], ids[b]) })
	changed, steady := shows[0], shows[2]

	// Searches are given 5s, not the default 1s: on a 2-core machine under -race, a slow answer
	// is not what this test is about; a failed or wrong one is.
	searchIx := indexAt(5 * time.Second)
	load := startSearchLoad(searchIx, steady, perShow, total)

	var changeErr error
	var once sync.Once
	n, err := jobs.Reindex(ctx, b.store, indexAt(0), b.client, slog.New(slog.DiscardHandler), jobs.ReindexOpts{
		Batch: perShow + perShow/2, Importers: 1,
		Progress: func(done, _ int) {
			if done == 0 {
				return // the change is to come after the changed show's episodes were copied
			}
			once.Do(func() { changeErr = changeDuringReindex(b, feeds[changed], changed, ids[changed], searchIx) })
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if changeErr != nil {
		t.Fatalf("change during the reindex: %v", changeErr)
	}
	if n != total {
		t.Errorf("Reindex indexed %d episodes; want the %d there were when it started", n, total)
	}
	for _, kind := range []string{"episodes", "podcasts"} {
		target := aliasTarget(t, tsURL, tsKey, prefix+kind)
		if !strings.HasPrefix(target, prefix+kind+"_v") || target == prefix+kind+"_v1" {
			t.Errorf("alias %s%s -> %q; want a new version", prefix, kind, target)
		}
		if collectionExists(t, tsURL, tsKey, prefix+kind+"_v1") {
			t.Errorf("old collection %s%s_v1 still exists", prefix, kind)
		}
	}
	// Reindex requeued the changed show; once its index job ran, the new collection has the change.
	b.waitIdle(t, 30*time.Second)
	searches, err := load.stop()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d searches during and after the reindex, none failed", searches)
	if got := searchTitles(t, searchIx, hark.SearchQuery{Q: "zanzibar"}); !slices.Equal(got, []string{"Zanzibar special"}) {
		t.Errorf("after the reindex: search zanzibar = %q; want the episode added during it", got)
	}
	if res, err := searchIx.Search(ctx, hark.SearchQuery{}); err != nil || res.Total != total+1 {
		t.Errorf("after the reindex: %v episodes, %v; want %d", res, err, total+1)
	}
	res, err := jobs.ReconcileIndex(ctx, b.store, workerIx, b.client, reconcileLogger(t), jobs.ReconcileOpts{Registry: b.registry})
	if err != nil || res.Drifted != 0 {
		t.Errorf("reconcile after the reindex: %+v, %v; want no drift", res, err)
	}
	requireIndexMatches(t, b)
}

// changeDuringReindex adds an episode to show's feed and waits until its crawl and index jobs
// are done, which writes the episode into the old collection only. It runs on a goroutine of
// Reindex, so it returns errors rather than failing the test.
func changeDuringReindex(b *testBundle, fs *feedServer, show, podcastID string, ix *search.Index) error {
	ctx := context.Background()
	fs.set(showFeed(show+" show", append(episodeTitles(show, 100), "Zanzibar special")...), `"v2"`)
	if err := b.service.RefreshPodcast(ctx, podcastID); err != nil {
		return err
	}
	if err := b.waitPending(30*time.Second, "kind IN ('crawl_feed', 'index_podcast')"); err != nil {
		return fmt.Errorf("crawl and index jobs: %w", err)
	}
	// The old collection, which searches still use, has the change already.
	res, err := ix.Search(ctx, hark.SearchQuery{Q: "zanzibar"})
	if err != nil {
		return err
	}
	if res.Total != 1 {
		return fmt.Errorf("search zanzibar during the reindex found %d; want 1", res.Total)
	}
	return nil
}

// searchLoad searches without pause on a goroutine of its own until stopped.
type searchLoad struct {
	done     chan struct{}
	stopped  chan struct{}
	searches atomic.Int64
	err      error // the first failed or wrong search
}

// startSearchLoad searches for everything, which must find total or total+1 episodes (before and
// after the change), and for the steady show, which must find exactly its perShow episodes.
func startSearchLoad(ix *search.Index, steady string, perShow, total int) *searchLoad {
	l := &searchLoad{done: make(chan struct{}), stopped: make(chan struct{})}
	go func() {
		defer close(l.stopped)
		ctx := context.Background()
		for {
			select {
			case <-l.done:
				return
			default:
			}
			all, err := ix.Search(ctx, hark.SearchQuery{})
			if err == nil && all.Total != total && all.Total != total+1 {
				err = fmt.Errorf("search for everything found %d; want %d or %d", all.Total, total, total+1)
			}
			if err == nil {
				err = checkSteady(ctx, ix, steady, perShow)
			}
			l.searches.Add(1)
			if err != nil {
				l.err = fmt.Errorf("search %d: %w", l.searches.Load(), err)
				return
			}
		}
	}()
	return l
}

func checkSteady(ctx context.Context, ix *search.Index, show string, perShow int) error {
	res, err := ix.Search(ctx, hark.SearchQuery{Q: show, PageSize: 10})
	if err != nil {
		return err
	}
	if res.Total != perShow {
		return fmt.Errorf("search %s found %d; want %d", show, res.Total, perShow)
	}
	for _, h := range res.Hits {
		if !strings.HasPrefix(h.Episode.Title, show+" episode ") {
			return fmt.Errorf("search %s found %q", show, h.Episode.Title)
		}
	}
	return nil
}

// stop ends the load and returns how many searches ran, or the first failure.
func (l *searchLoad) stop() (int64, error) {
	close(l.done)
	<-l.stopped
	return l.searches.Load(), l.err
}

func episodeTitles(show string, n int) []string {
	titles := make([]string, n)
	for i := range titles {
		titles[i] = fmt.Sprintf("%s episode %d", show, i+1)
	}
	return titles
}

// aliasTarget returns the collection an alias points at, read straight from Typesense.
func aliasTarget(t *testing.T, tsURL, key, alias string) string {
	t.Helper()
	var body struct {
		CollectionName string `json:"collection_name"`
	}
	if code := searchtest.Call(t, http.MethodGet, tsURL+"/aliases/"+alias, key, nil, &body); code != http.StatusOK {
		t.Fatalf("GET alias %s: %d", alias, code)
	}
	return body.CollectionName
}

func collectionExists(t *testing.T, tsURL, key, name string) bool {
	t.Helper()
	return searchtest.Call(t, http.MethodGet, tsURL+"/collections/"+name, key, nil, nil) == http.StatusOK
}
