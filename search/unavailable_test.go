package search

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hark"
	"hark/search/internal/tsserver"
)

// TestSearchUnavailable checks that a dead, hung or failing server gives ErrUnavailable
// quickly, with the default query timeout. The hung server is a real Typesense, frozen; the
// failing one answers 503 as a lagging or overloaded node does, which a test cannot make a real
// node do on cue.
func TestSearchUnavailable(t *testing.T) {
	t.Parallel()
	hung := tsserver.Start(t)
	hung.Freeze()
	overloaded := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"message": "Not Ready or Lagging"}`, http.StatusServiceUnavailable)
	}))
	t.Cleanup(overloaded.Close)

	for _, tt := range []struct {
		name string
		url  string
	}{
		{"closed port", "http://127.0.0.1:1"},
		{"hung", hung.URL()},
		{"503", overloaded.URL},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// The default QueryTimeout; a short ImportTimeout so the write below fails fast too.
			ix, err := New(Config{Nodes: []string{tt.url}, APIKey: "key", ImportTimeout: 2 * time.Second}, testLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = ix.Search(context.Background(), hark.SearchQuery{Q: "anything"})
			if !errors.Is(err, hark.ErrUnavailable) {
				t.Errorf("Search = %v, want ErrUnavailable", err)
			}
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("Search took %v, want about QueryTimeout (1s)", took)
			}
			if err := ix.Health(context.Background()); !errors.Is(err, hark.ErrUnavailable) {
				t.Errorf("Health = %v, want ErrUnavailable", err)
			}
			if _, err := ix.UpsertEpisodes(context.Background(), []hark.Episode{{ID: hark.NewID(), PodcastID: "p"}},
				map[string]*hark.Podcast{"p": {}}); !errors.Is(err, hark.ErrUnavailable) {
				t.Errorf("UpsertEpisodes = %v, want ErrUnavailable", err)
			}
		})
	}
}

// TestFailover: with two nodes of which the first is down, calls go to the second.
func TestFailover(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.Nodes = append([]string{"http://127.0.0.1:1"}, cfg.Nodes...)
	ix, err := New(cfg, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.dropAll(context.Background()) })
	ctx := context.Background()
	if _, err := ix.EnsureCollections(ctx); err != nil {
		t.Fatal(err)
	}
	for range 4 { // round robin starts on either node
		if _, err := ix.Search(ctx, hark.SearchQuery{Q: "x"}); err != nil {
			t.Fatalf("Search: %v", err)
		}
	}
}

// TestSearchMissingCollections: before EnsureCollections, reads fail as unavailable, not as
// "not found", which the http layer would show as a 404.
func TestSearchMissingCollections(t *testing.T) {
	t.Parallel()
	ix := newBareIndex(t)
	ctx := context.Background()
	if _, err := ix.Search(ctx, hark.SearchQuery{Q: "x"}); !errors.Is(err, hark.ErrUnavailable) || errors.Is(err, hark.ErrNotFound) {
		t.Errorf("Search = %v, want ErrUnavailable", err)
	}
	if _, err := ix.Suggest(ctx, "x", true, true); !errors.Is(err, hark.ErrUnavailable) {
		t.Errorf("Suggest = %v, want ErrUnavailable", err)
	}
	if _, err := ix.CountEpisodes(ctx, hark.NewID()); !errors.Is(err, hark.ErrUnavailable) {
		t.Errorf("CountEpisodes = %v, want ErrUnavailable", err)
	}
}

// TestSearchCutoffWithoutHits: when a search reaches its cutoff before it has found any hit,
// Typesense answers 408, and Search reports the index unavailable (the API's 503), not a failure
// of its own (a 500).
func TestSearchCutoffWithoutHits(t *testing.T) {
	t.Parallel()
	ix := newTestIndex(t)
	eps, pods := benchEpisodes(2000)
	if _, err := ix.UpsertEpisodes(context.Background(), eps, pods); err != nil {
		t.Fatal(err)
	}
	// Forty misspelt words: Typesense looks for every spelling of each before it collects a hit,
	// which takes longer than a millisecond.
	var words []string
	for i := range 40 {
		w := []byte(benchWords[(i*7)%len(benchWords)])
		w[len(w)/2] = 'q'
		words = append(words, string(w))
	}
	plan, err := ix.plan(&hark.SearchQuery{Q: strings.Join(words, " ")})
	if err != nil {
		t.Fatal(err)
	}
	plan.params.SearchCutoffMs = new(1)
	_, err = searchLean[episodeDoc](context.Background(), ix, ix.alias(kindEpisodes), plan.params)
	if !errors.Is(err, hark.ErrUnavailable) || !strings.Contains(err.Error(), "408") {
		t.Fatalf("search cut off with no hit: err = %v; want ErrUnavailable naming Typesense's 408", err)
	}
}

// TestSearchCancelled: a search or suggestion whose caller goes away while Typesense is hung
// returns soon after, with the caller's context.Canceled rather than ErrUnavailable, which the
// API would report as an outage. The hung server is a real Typesense, frozen.
func TestSearchCancelled(t *testing.T) {
	t.Parallel()
	hung := tsserver.Start(t)
	hung.Freeze()
	ix, err := New(Config{Nodes: []string{hung.URL()}, APIKey: hung.APIKey}, testLogger(t)) // QueryTimeout 1s
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		call func(context.Context) error
	}{
		{"search", func(ctx context.Context) error {
			_, err := ix.Search(ctx, hark.SearchQuery{Q: "anything"})
			return err
		}},
		{"suggest", func(ctx context.Context) error {
			_, err := ix.Suggest(ctx, "anyth", true, false) // podcasts and episodes at once
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			start := time.Now()
			err := tt.call(ctx)
			if took := time.Since(start); took > 400*time.Millisecond {
				t.Errorf("returned %v after it started, want soon after the cancel at 100ms", took)
			}
			if !errors.Is(err, context.Canceled) || errors.Is(err, hark.ErrUnavailable) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
		})
	}
}
