package jobs_test

import (
	"context"
	"testing"
	"time"

	"hark/jobs"
)

// TestConcurrentCrawlsOfOneFeed runs two crawls of the same podcast at the same time (bypassing
// the unique option, as two processes racing would): both complete and no episode is stored twice.
func TestConcurrentCrawlsOfOneFeed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	srv := newFeedServer(t, readTestdata(t, "show.xml"))
	srv.etag.Store("") // no validators: every crawl parses and writes
	p, _, err := b.service.SubmitFeed(ctx, srv.URL+"/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	b.waitIdle(t, 30*time.Second)
	srv.set(readTestdata(t, "show.xml")+"<!-- changed -->", "")

	// Two rows straight into river_job: River's unique insert would (rightly) refuse the second.
	for range 2 {
		if _, err := b.pool.Exec(ctx, `INSERT INTO river_job (args, kind, max_attempts, priority, queue, state)
			VALUES ($1, 'crawl_feed', 3, 1, $2, 'available')`, jobs.CrawlFeedArgs{PodcastID: p.ID}, jobs.QueueCrawl); err != nil {
			t.Fatal(err)
		}
	}
	b.waitIdle(t, 30*time.Second)

	var episodes, failed int
	if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM episodes WHERE podcast_id = $1`, p.ID).Scan(&episodes); err != nil {
		t.Fatal(err)
	}
	if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'crawl_feed' AND (state <> 'completed' OR errors <> '{}')`).Scan(&failed); err != nil {
		t.Fatal(err)
	}
	if episodes != 2 || failed != 0 {
		t.Fatalf("after two concurrent crawls: %d episodes (want 2), %d crawl jobs not cleanly completed (want 0)", episodes, failed)
	}
}

// TestRerunOfACompletedCrawlIsHarmless: a crawl delivered again (a worker that died after its
// commit, say) changes nothing: the crawl's writes and its completion commit together, and the
// upsert of an unchanged feed writes no row.
func TestRerunOfACompletedCrawlIsHarmless(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	srv := newFeedServer(t, readTestdata(t, "show.xml"))
	srv.etag.Store("")
	p, _, err := b.service.SubmitFeed(ctx, srv.URL+"/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	b.waitIdle(t, 30*time.Second)
	stamp := func() (n int, latest time.Time) {
		t.Helper()
		if err := b.pool.QueryRow(ctx, `SELECT count(*), max(updated_at) FROM episodes WHERE podcast_id = $1`, p.ID).Scan(&n, &latest); err != nil {
			t.Fatal(err)
		}
		return n, latest
	}
	n1, t1 := stamp()
	var indexJobs1 int
	if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'index_podcast'`).Scan(&indexJobs1); err != nil {
		t.Fatal(err)
	}
	refresh(t, b, p.ID)
	n2, t2 := stamp()
	var indexJobs2 int
	if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'index_podcast'`).Scan(&indexJobs2); err != nil {
		t.Fatal(err)
	}
	if n1 != n2 || !t1.Equal(t2) || indexJobs1 != indexJobs2 {
		t.Fatalf("rerun changed things: episodes %d -> %d, latest update %s -> %s, index jobs %d -> %d",
			n1, n2, t1, t2, indexJobs1, indexJobs2)
	}
}
