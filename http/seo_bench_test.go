package http_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"hark/artwork"
	"hark/db"
	"hark/db/dbtest"
	podhttp "hark/http"
)

// TestServerTimeSitemapArtwork reports the server time (p50, p95) of a sitemap file and of an
// artwork copy at 4 clients, the handler run in process. It runs only when HARK_BENCH_SCHEMA names
// a kept `make bench` schema (BENCHFLAGS=-keep) in DATABASE_URL's database, which it only reads:
//
//	HARK_BENCH_SCHEMA=bench_<N> go test ./http -run TestServerTimeSitemapArtwork -v
//
// The artwork is read from a schema of its own holding one row per podcast of the kept one
// (an artwork read is one primary-key lookup, whatever the catalogue's size).
func TestServerTimeSitemapArtwork(t *testing.T) {
	schema := os.Getenv("HARK_BENCH_SCHEMA")
	if schema == "" {
		t.Skip("HARK_BENCH_SCHEMA names no kept bench schema")
	}
	ctx := t.Context()
	cfg, err := pgxpool.ParseConfig(os.Getenv("DATABASE_URL"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	bench := podhttp.NewServer(podhttp.Config{BaseURL: "https://hark.example"}, db.New(pool), nil, nil, slog.New(slog.DiscardHandler))
	podcasts, err := db.New(pool).EstimateRows(ctx, "podcasts")
	if err != nil {
		t.Fatal(err)
	}
	measure(t, bench, "sitemap episodes-1", 200, func(int) string { return "/sitemaps/episodes-1.xml" })

	art := db.New(dbtest.NewSchema(t))
	keys := fillArtwork(ctx, t, art, podcasts)
	srv := podhttp.NewServer(podhttp.Config{BaseURL: "https://hark.example"}, art, nil, nil, slog.New(slog.DiscardHandler))
	measure(t, srv, "artwork 300", 4000, func(i int) string { return "/artwork/" + keys[i%len(keys)] + "/300.jpg" })
	measure(t, srv, "artwork 600", 4000, func(i int) string { return "/artwork/" + keys[i%len(keys)] + "/600.jpg" })
}

// fillArtwork stores n artworks (the same copies under n keys) and returns their keys.
func fillArtwork(ctx context.Context, t *testing.T, store *db.Store, n int) []string {
	r, err := artwork.Render(squarePNG(t, 1400))
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, n)
	for i := range keys {
		src := fmt.Sprintf("https://img.example/%d.jpg", i)
		keys[i] = artwork.Key(src)
		if err := store.SaveArtwork(ctx, db.Artwork{Key: keys[i], SourceURL: src, Small: r.Copies[artwork.Small],
			Large: r.Copies[artwork.Large], Digest: "bench"}); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// measure sends total requests from 4 clients, each the next when its last is answered, and logs
// the server time's p50 and p95.
func measure(t *testing.T, srv http.Handler, name string, total int, path func(i int) string) {
	const clients = 4
	cpu0 := processCPU(t)
	times := make([]time.Duration, total)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := c; i < total; i += clients {
				rec := httptest.NewRecorder()
				start := time.Now()
				srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path(i), nil))
				times[i] = time.Since(start)
				if rec.Code != http.StatusOK {
					t.Errorf("%s: %d", path(i), rec.Code)
					return
				}
			}
		})
	}
	wg.Wait()
	cpu := processCPU(t) - cpu0
	slices.Sort(times)
	t.Logf("%s at %d clients: p50 %.2f ms, p95 %.2f ms, Hark's CPU %.2f ms a request (%d requests)", name, clients,
		ms(times[total/2]), ms(times[total*95/100]), ms(cpu)/float64(total), total)
}

// processCPU is the CPU time the test process has used: the server's side of a request, without
// Postgres's.
func processCPU(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
