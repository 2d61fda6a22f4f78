package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"hark"
	"hark/db"
	"hark/db/dbtest"
	"hark/jobs"
	"hark/search/searchtest"
)

// TestServeReindexesAnUpgradedIndex: started against an index built by an older Hark (here,
// collections without the languages field a language filter needs), serve's start-up adds the
// field and enqueues one rebuild, which the workers run; after it, a language filter finds the
// shows of a regional language code again. Against an up-to-date index it enqueues nothing, nor
// for a new index over an empty catalogue.
func TestServeReindexesAnUpgradedIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, cfg, _ := newTestApp(t, appOpts{work: true, migrated: true})
	t.Cleanup(a.close)
	tsURL, tsKey := cfg.TypesenseURLs[0], cfg.TypesenseAPIKey

	// A new installation: new collections, nothing to fill them with.
	if err := a.ensureIndex(ctx, true); err != nil {
		t.Fatal(err)
	}
	storeTideTables(t, a)
	// An up-to-date index: nothing to rebuild.
	if err := a.ensureIndex(ctx, true); err != nil {
		t.Fatal(err)
	}
	if n := reindexJobs(t, a); n != 0 {
		t.Fatalf("%d reindex jobs for an up-to-date index; want none", n)
	}
	// The same collections as an older Hark built them.
	for _, kind := range []string{"episodes", "podcasts"} {
		dropField(t, tsURL, tsKey, cfg.TypesensePrefix+kind, "languages")
	}
	if err := a.ensureIndex(ctx, true); err != nil {
		t.Fatal(err)
	}
	if err := a.ensureIndex(ctx, true); err != nil { // a restart finds the fields there
		t.Fatal(err)
	}
	// Web processes that start together may each find the fields missing: they enqueue one job.
	if res, err := a.client.Insert(ctx, jobs.ReindexArgs{}, nil); err != nil || !res.UniqueSkippedAsDuplicate {
		t.Fatalf("a second reindex job: %+v, %v; want it skipped as a duplicate", res, err)
	}
	if n := reindexJobs(t, a); n != 1 {
		t.Fatalf("%d reindex jobs after starting twice on an upgraded index; want 1", n)
	}
	runReindex(t, a)
	res, err := a.index.Search(ctx, hark.SearchQuery{Q: "tides", Language: "en"})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Episode.Title != "Spring tides" {
		t.Fatalf("language=en search after the rebuild = %+v, %v; want the en-GB show's episode", res, err)
	}
}

// TestServeFillsALostIndex: when Typesense has lost its data (here, a new index prefix over a
// catalogue already stored), serve's start-up creates the collections and enqueues a reindex,
// so search finds the catalogue again without waiting for the reconcile job.
func TestServeFillsALostIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _, _ := newTestApp(t, appOpts{work: true, migrated: true})
	t.Cleanup(a.close)
	storeTideTables(t, a)
	if err := a.ensureIndex(ctx, true); err != nil {
		t.Fatal(err)
	}
	if n := reindexJobs(t, a); n != 1 {
		t.Fatalf("%d reindex jobs for a new index over a stored catalogue; want 1", n)
	}
	runReindex(t, a)
	res, err := a.index.Search(ctx, hark.SearchQuery{Q: "spring tides"})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Episode.Title != "Spring tides" {
		t.Fatalf("search after the fill = %+v, %v; want the stored episode", res, err)
	}
}

// storeTideTables stores a crawled en-GB show with one episode, "Spring tides".
func storeTideTables(t *testing.T, a *app) {
	t.Helper()
	storeShow(t, a, "tides", &hark.Feed{
		Podcast:  hark.Podcast{Title: "Tide Tables", Language: "en-GB"},
		Episodes: []hark.Episode{{GUID: "1", Title: "Spring tides", AudioURL: "https://example.com/1.mp3", PublishedAt: time.Now()}},
	})
}

// storeShow stores feed as the crawl of a new podcast at https://example.com/<name>.xml.
func storeShow(t *testing.T, a *app, name string, feed *hark.Feed) {
	t.Helper()
	ctx := context.Background()
	p, _, err := a.store.CreatePodcast(ctx, "https://example.com/"+name+".xml", "example.com/"+name+".xml", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.SaveCrawl(ctx, p.ID, feed, hark.CrawlState{NextCrawlAt: time.Now().Add(time.Hour)}, db.Fingerprint{}); err != nil {
		t.Fatal(err)
	}
}

// startWeb runs a's web server, without workers, until stop, which returns what serve returned.
func startWeb(t *testing.T, a *app) (base string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	served := make(chan error, 1)
	go func() { served <- a.serve(ctx, true, false, func(s string) { addr <- s }) }()
	select {
	case s := <-addr:
		return "http://" + s, func() error { cancel(); return <-served }
	case err := <-served:
		cancel()
		t.Fatalf("serve: %v", err)
		return "", nil
	}
}

// runReindex starts a's workers until the reindex job completes.
func runReindex(t *testing.T, a *app) {
	t.Helper()
	ctx := context.Background()
	workCtx, stop := context.WithCancel(ctx)
	defer stop()
	if err := a.client.Start(workCtx); err != nil {
		t.Fatal(err)
	}
	defer a.stopWorkers()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var state string
		if err := a.pool.QueryRow(ctx, `SELECT state FROM river_job WHERE kind = 'reindex'`).Scan(&state); err != nil {
			t.Fatal(err)
		}
		if state == "completed" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("reindex job still %s after 60s", state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// newTestApp opens an app as `hark serve` does, on a migrated schema of the test's own and
// Typesense collections of its own (dropped when the test ends), with the web server on a free
// port. It returns the app, its config and the database URL.
func newTestApp(t *testing.T, opts appOpts) (*app, Config, string) {
	t.Helper()
	_, dbURL := dbtest.NewSchemaURL(t)
	tsURL, tsKey := searchtest.Env(t)
	cfg := Config{
		DatabaseURL: dbURL, TypesenseURLs: []string{tsURL}, TypesenseAPIKey: tsKey,
		TypesensePrefix: fmt.Sprintf("a%d_", time.Now().UnixNano()), HTTPAddr: "127.0.0.1:0",
		BaseURL: "http://hark.test", CrawlWorkers: 1, ScheduleInterval: time.Hour, ReconcileEvery: time.Hour,
	}
	a, err := openApp(context.Background(), cfg, slog.New(slog.DiscardHandler), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.index.DropAll(context.Background()) })
	return a, cfg, dbURL
}

func reindexJobs(t *testing.T, a *app) int {
	t.Helper()
	var n int
	if err := a.pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'reindex'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// dropField removes field from the collection alias names, through Typesense's API.
func dropField(t *testing.T, tsURL, key, alias, field string) {
	t.Helper()
	var a struct {
		CollectionName string `json:"collection_name"`
	}
	if code := searchtest.Call(t, http.MethodGet, tsURL+"/aliases/"+alias, key, nil, &a); code != http.StatusOK {
		t.Fatalf("GET alias %s: %d", alias, code)
	}
	body := map[string]any{"fields": []map[string]any{{"name": field, "drop": true}}}
	if code := searchtest.Call(t, http.MethodPatch, tsURL+"/collections/"+a.CollectionName, key, body, nil); code != http.StatusOK {
		t.Fatalf("drop field %s of %s: %d", field, a.CollectionName, code)
	}
}

// TestServeMetersRequestsUpToShutdown: requests served just before serve stops are written to
// api_usage before the database pool closes; none goes unmetered.
func TestServeMetersRequestsUpToShutdown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _, dbURL := newTestApp(t, appOpts{migrated: true}) // closed by the test, as hark serve does
	key, _, err := a.store.CreateAPIKey(ctx, "meter", 0)
	if err != nil {
		t.Fatal(err)
	}
	base, stop := startWeb(t, a)
	const requests = 5
	for range requests {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v2/genres", nil)
		req.Header.Set("X-ListenAPI-Key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /api/v2/genres: %d", resp.StatusCode)
		}
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	a.close() // as `hark serve` does once serve returns
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var n int64
	if err := pool.QueryRow(ctx, `SELECT coalesce(sum(requests), 0) FROM api_usage`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != requests {
		t.Fatalf("api_usage counts %d requests after shutdown; want %d", n, requests)
	}
}

// TestServeCompletesTermsFromStoredTitles: hark serve counts the typeahead dictionary from the
// stored episode titles when it starts, so typeahead completes a title's phrases even before
// the index holds the episode (no workers run here to index it).
func TestServeCompletesTermsFromStoredTitles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _, _ := newTestApp(t, appOpts{migrated: true})
	t.Cleanup(a.close)
	storeShow(t, a, "zoo", &hark.Feed{Podcast: hark.Podcast{Title: "Zoo Talk"}, Episodes: []hark.Episode{
		{GUID: "1", Title: "Zebrafish Crossings: A Field Guide", PublishedAt: time.Now().Add(-time.Hour)},
	}})
	key, _, err := a.store.CreateAPIKey(ctx, "typeahead", 0)
	if err != nil {
		t.Fatal(err)
	}
	base, stop := startWeb(t, a)
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	var got struct{ Terms []string }
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v2/typeahead?q=zebraf", nil)
		req.Header.Set("X-ListenAPI-Key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		err = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /api/v2/typeahead: %d, %v", resp.StatusCode, err)
		}
		if slices.Equal(got.Terms, []string{"zebrafish", "zebrafish crossings"}) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("typeahead terms for zebraf = %q; want the stored title's zebrafish, zebrafish crossings", got.Terms)
		}
	}
}
