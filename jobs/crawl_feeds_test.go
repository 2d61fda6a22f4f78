package jobs_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"hark"
	"hark/demo"
	"hark/jobs"
)

// TestScheduledCrawlsRunInBatches: the scheduler leases the due podcasts and crawls them in
// crawl_feeds batches. Unchanged feeds (304, or the same body without validators) are recorded,
// new episodes are stored and indexed, and a host answering 503 with Retry-After gets its
// failure recorded and no request before the time it asked for.
func TestScheduledCrawlsRunInBatches(t *testing.T) {
	t.Parallel()
	b := setupWith(t, func(cfg *jobs.Config) { cfg.CrawlBatch = 4 })
	ctx := context.Background()
	cat := demo.New(demo.Config{Seed: 9, Shows: 10, MinEpisodes: 2, MaxEpisodes: 20})
	mux := http.NewServeMux()
	mux.Handle("/feeds/", cat.Handler())
	var askWait atomic.Bool // off for the first crawl, whose job would otherwise snooze for 2h
	mux.HandleFunc("/busy.xml", func(w http.ResponseWriter, r *http.Request) {
		if askWait.Load() {
			w.Header().Set("Retry-After", "7200")
		}
		http.Error(w, "busy", http.StatusServiceUnavailable)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	cat.SetBaseURL(srv.URL)

	ids := make([]string, 0, 11)
	for _, u := range append(cat.FeedURLs(), srv.URL+"/busy.xml") {
		p, _, err := b.service.SubmitFeed(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	b.waitIdle(t, time.Minute)
	busy := ids[10]
	askWait.Store(true)
	cat.SetValidators(1, false)
	cat.AddEpisodes(2, 3)
	before, err := b.store.FindPodcastByID(ctx, ids[2])
	if err != nil {
		t.Fatal(err)
	}

	// Everything is due now; the busy host will ask for two hours, which a batch cannot snooze
	// for: it must honour Retry-After through the podcast's next crawl time.
	if _, err := b.pool.Exec(ctx, `UPDATE podcasts SET next_crawl_at = now() - interval '1 minute'`); err != nil {
		t.Fatal(err)
	}
	// The run at start-up holds this period's unique slot: clear it to run the scheduler now.
	if _, err := b.pool.Exec(ctx, `DELETE FROM river_job WHERE kind = 'schedule_crawls'`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := b.client.Insert(ctx, jobs.ScheduleCrawlsArgs{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var state rivertype.JobState
	err = b.await(time.Minute, func() (bool, error) {
		job, err := b.client.JobGet(ctx, res.Job.ID)
		if err != nil {
			return false, err
		}
		state = job.State
		return job.FinalizedAt != nil, nil
	})
	if err != nil {
		t.Fatalf("schedule_crawls still %s: %v", state, err)
	}
	b.waitIdle(t, time.Minute)
	if n := countJobs(t, b, "crawl_feeds"); n != 3 {
		t.Errorf("%d crawl_feeds jobs for 11 due podcasts in batches of 4; want 3", n)
	}

	for i, id := range ids {
		p, err := b.store.FindPodcastByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		c := p.Crawl
		if c.LastCrawledAt.Before(start) {
			t.Errorf("podcast %d: last crawled %s, before the scheduled run", i, c.LastCrawledAt)
			continue
		}
		switch {
		case id == busy:
			if c.LastHTTPStatus != 503 || c.ConsecutiveFailures != 2 || c.LastError == "" {
				t.Errorf("busy feed: status %d, %d failures, error %q; want 503, 2, a reason", c.LastHTTPStatus, c.ConsecutiveFailures, c.LastError)
			}
			if wait := time.Until(c.NextCrawlAt); wait < 110*time.Minute {
				t.Errorf("busy feed asked for 2h and is next crawled in %s", wait)
			}
		case i == 1 || i == 2:
			if c.LastHTTPStatus != 200 || c.ConsecutiveFailures != 0 {
				t.Errorf("podcast %d: status %d, %d failures; want 200, 0", i, c.LastHTTPStatus, c.ConsecutiveFailures)
			}
		default:
			if c.LastHTTPStatus != 304 {
				t.Errorf("unchanged podcast %d: status %d; want 304", i, c.LastHTTPStatus)
			}
		}
		if id != busy && !c.NextCrawlAt.After(time.Now().Add(10*time.Minute)) {
			t.Errorf("podcast %d: next crawl %s; want the feed's rhythm, not the lease or now", i, c.NextCrawlAt)
		}
	}
	after, err := b.store.FindPodcastByID(ctx, ids[2])
	if err != nil {
		t.Fatal(err)
	}
	if after.EpisodeCount != before.EpisodeCount+3 {
		t.Errorf("podcast with 3 new episodes: %d episodes, was %d", after.EpisodeCount, before.EpisodeCount)
	}
	found, err := b.index.Search(ctx, hark.SearchQuery{OnlyPodcastIDs: []string{after.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if found.Total != after.EpisodeCount {
		t.Errorf("index holds %d episodes of the grown podcast; Postgres %d", found.Total, after.EpisodeCount)
	}
}
