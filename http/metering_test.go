package http_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"hark"
	"hark/db"
	"hark/db/dbtest"
	podhttp "hark/http"
)

// meteringProcess is what one `hark serve` has for metering: its own pool, its own key cache
// flushing in the background, and its own HTTP server.
type meteringProcess struct {
	store *db.Store
	url   string
	stop  func() // stops the flushing after a last flush
}

func startMeteringProcess(t *testing.T, dbURL string, plans hark.Plans) *meteringProcess {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	store := db.New(pool)
	logger := slog.New(slog.DiscardHandler)
	cache := db.NewAPIKeyCache(store, time.Minute, logger)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); cache.Run(ctx, 20*time.Millisecond) }()
	stop := sync.OnceFunc(func() { cancel(); <-done })
	t.Cleanup(stop)
	srv := podhttp.NewServer(podhttp.Config{RequireAPIKey: true, Keys: cache, Plans: plans,
		Registry: prometheus.NewRegistry()}, store, nil, nil, logger)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &meteringProcess{store: store, url: ts.URL, stop: stop}
}

// hammer sends n requests with key from each of clients goroutines, alternating between the
// processes, and returns how many were answered 200 and 429.
func hammer(t *testing.T, procs []*meteringProcess, key string, clients, n int) (ok, refused int64) {
	t.Helper()
	var okN, refusedN atomic.Int64
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := range n {
				p := procs[(c+i)%len(procs)]
				req, _ := http.NewRequest(http.MethodGet, p.url+"/api/v2/languages", nil)
				req.Header.Set("X-ListenAPI-Key", key)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				switch resp.StatusCode {
				case http.StatusOK:
					okN.Add(1)
				case http.StatusTooManyRequests:
					refusedN.Add(1)
				default:
					t.Errorf("status %d", resp.StatusCode)
				}
			}
		})
	}
	wg.Wait()
	return okN.Load(), refusedN.Load()
}

// TestMeteringAcrossProcesses runs two servers on two pools, each with its own key cache, as
// two `hark serve` processes would, under concurrent clients: once they have flushed, the
// totals in Postgres equal the requests served, and a key with a quota is served its quota and
// not one request more.
func TestMeteringAcrossProcesses(t *testing.T) {
	t.Parallel()
	_, dbURL := dbtest.NewSchemaURL(t)
	plans, err := hark.ParsePlans("free quota=100; unlimited")
	if err != nil {
		t.Fatal(err)
	}
	procs := []*meteringProcess{startMeteringProcess(t, dbURL, plans), startMeteringProcess(t, dbURL, plans)}
	ctx := context.Background()
	store := procs[0].store
	unlimited, _, err := store.CreatePlanKey(ctx, db.NewAPIKey{Name: "u", Plan: "unlimited"})
	if err != nil {
		t.Fatal(err)
	}
	free, _, err := store.CreatePlanKey(ctx, db.NewAPIKey{Name: "f", Plan: hark.PlanFree})
	if err != nil {
		t.Fatal(err)
	}
	const clients = 8
	var served, freeServed, freeRefused int64
	var wg sync.WaitGroup
	wg.Go(func() { served, _ = hammer(t, procs, unlimited, clients, 40) })
	wg.Go(func() { freeServed, freeRefused = hammer(t, procs, free, clients, 25) })
	wg.Wait()
	for _, p := range procs {
		p.stop()
	}
	if served != clients*40 {
		t.Errorf("unlimited key: %d of %d requests served", served, clients*40)
	}
	if freeServed > 100+clients || freeServed+freeRefused != clients*25 {
		t.Errorf("free key: %d served, %d refused; want at most the quota of 100 plus %d in flight, of %d",
			freeServed, freeRefused, clients, clients*25)
	}
	for key, want := range map[string]int64{unlimited: served, free: freeServed} {
		_, used, err := store.FindAPIKey(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		var daily int64
		if err := store.Pool().QueryRow(ctx, `SELECT coalesce(sum(d.requests), 0) FROM api_usage_daily d
			JOIN api_keys k ON k.id = d.api_key_id WHERE k.key_prefix = $1`, key[:8]).Scan(&daily); err != nil {
			t.Fatal(err)
		}
		if used != want || daily != want {
			t.Errorf("key %s…: Postgres counts %d this month and %d by day; %d were served", key[:8], used, daily, want)
		}
	}
	// The check and the count are one statement: the quota is not overrun at all.
	if freeServed != 100 {
		t.Errorf("free key: %d served, want exactly its quota of 100", freeServed)
	}
}
