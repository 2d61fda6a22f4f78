package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"hark"
	"hark/db"
	"hark/db/dbtest"
	"hark/jobs"
)

// twoProcesses returns two jobs services on one schema through two pools, as two web
// processes have, both with limits.
func twoProcesses(t *testing.T, limits jobs.SubmitLimits) (*pgxpool.Pool, [2]*jobs.Service) {
	t.Helper()
	pool, url := dbtest.NewSchemaURL(t)
	other, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(other.Close)
	var services [2]*jobs.Service
	for i, p := range []*pgxpool.Pool{pool, other} {
		store := db.New(p)
		client, err := jobs.NewClient(p, jobs.Config{Store: store, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		services[i] = jobs.NewService(store, client)
		services[i].Limits = limits
	}
	return pool, services
}

// submitAll submits n new feeds from from, half through each service at once, and returns how
// many were created and how many refused as over a limit.
func submitAll(t *testing.T, services [2]*jobs.Service, n int, from hark.Origin, tag string) (created, refused int) {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, ok, err := services[i%2].SubmitFeedFrom(context.Background(), fmt.Sprintf("https://%s%d.example/feed.xml", tag, i), from)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil && ok:
				created++
			case errors.Is(err, hark.ErrTooMany) && hark.RetryAfter(err) > 0:
				refused++
			default:
				t.Errorf("submission %d: created %v, %v; want created or ErrTooMany with a Retry-After", i, ok, err)
			}
		})
	}
	wg.Wait()
	return created, refused
}

func countQueue(t *testing.T, pool *pgxpool.Pool, queue string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE queue = $1`, queue).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDailySubmissionCapIsExact: 20 feeds submitted at once from one address through two
// processes, with a cap of 7 a day: exactly 7 are added and crawled, on the submissions queue.
func TestDailySubmissionCapIsExact(t *testing.T) {
	t.Parallel()
	pool, services := twoProcesses(t, jobs.SubmitLimits{PerAddrDaily: 7, PerKeyDaily: 3})
	created, refused := submitAll(t, services, 20, hark.Origin{Addr: "192.0.2.7"}, "addr")
	if created != 7 || refused != 13 {
		t.Errorf("from one address: %d created, %d refused; want 7 and 13", created, refused)
	}
	if n := countQueue(t, pool, jobs.QueueSubmissions); n != 7 {
		t.Errorf("%d first crawls on the submissions queue; want 7", n)
	}
	var podcasts int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM podcasts`).Scan(&podcasts); err != nil {
		t.Fatal(err)
	}
	if podcasts != 7 {
		t.Errorf("%d podcasts stored; a refused submission must store nothing", podcasts)
	}

	// An API key has a count of its own, whatever address it comes from.
	created, refused = submitAll(t, services, 6, hark.Origin{APIKeyID: 42, Addr: "192.0.2.7"}, "key")
	if created != 3 || refused != 3 {
		t.Errorf("from one key: %d created, %d refused; want 3 and 3", created, refused)
	}
	// A feed Hark knows costs nothing, even over the cap. Which seven of the twenty concurrent
	// submissions won is up to the race, so take one that was stored.
	var known string
	if err := pool.QueryRow(context.Background(), `SELECT feed_url FROM podcasts ORDER BY feed_url LIMIT 1`).Scan(&known); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := services[0].SubmitFeedFrom(context.Background(), known, hark.Origin{Addr: "192.0.2.7"}); err != nil || ok {
		t.Errorf("known feed over the cap: created %v, %v; want found", ok, err)
	}
}

// TestSubmissionQueueIntakeIsCapped: with at most 4 first crawls waiting, a flood from many
// addresses through two processes adds 4 feeds, and the scheduled-crawl queue is untouched.
func TestSubmissionQueueIntakeIsCapped(t *testing.T) {
	t.Parallel()
	pool, services := twoProcesses(t, jobs.SubmitLimits{QueueMax: 4})
	var created, refused int
	for i := range 3 {
		c, r := submitAll(t, services, 5, hark.Origin{Addr: fmt.Sprintf("198.51.100.%d", i)}, fmt.Sprintf("flood%d-", i))
		created, refused = created+c, refused+r
	}
	if created != 4 || refused != 11 {
		t.Errorf("%d created, %d refused; want 4 and 11", created, refused)
	}
	if n := countQueue(t, pool, jobs.QueueCrawl); n != 0 {
		t.Errorf("%d submissions went to the scheduled crawls' queue", n)
	}
	// The operator's way in is not capped.
	if _, ok, err := services[0].SubmitFeed(context.Background(), "https://operator.example/feed.xml"); err != nil || !ok {
		t.Errorf("SubmitFeed with the queue full: created %v, %v; want created", ok, err)
	}
}
