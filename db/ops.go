package db

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"hark"
)

// CrawlHealth counts the podcasts by crawl state (the ops_crawl_health view).
type CrawlHealth struct {
	Podcasts, NeverCrawled, OK, Failing, Dead int64
	Due                                       int64 // whose next crawl time has passed
	Overdue                                   int64 // due for more than ten minutes: the crawlers are behind
	IndexPending                              int64 // podcasts waiting for their index job
}

// FindCrawlHealth counts the podcasts by crawl state. It reads every podcast row.
func (s *Store) FindCrawlHealth(ctx context.Context) (CrawlHealth, error) {
	var h CrawlHealth
	err := s.db.QueryRow(ctx, `SELECT podcasts, never_crawled, ok, failing, dead, due, overdue, index_pending
		FROM ops_crawl_health`).Scan(&h.Podcasts, &h.NeverCrawled, &h.OK, &h.Failing, &h.Dead, &h.Due, &h.Overdue, &h.IndexPending)
	if err != nil {
		return h, fmt.Errorf("find crawl health: %w", err)
	}
	return h, nil
}

// FailingFeed is a podcast whose last crawls failed.
type FailingFeed struct {
	ID, Title, FeedURL, LastError string
	Failures, LastHTTPStatus      int
	FailingSince, LastCrawledAt   time.Time
	NextCrawlAt                   time.Time
	Dead                          bool
}

// FindFailingFeeds returns up to limit podcasts failing now, dead ones when dead is set, the
// longest failing first.
func (s *Store) FindFailingFeeds(ctx context.Context, dead bool, limit int) ([]FailingFeed, error) {
	return queryAll(ctx, s.db, "find failing feeds", func(row pgx.Row) (FailingFeed, error) {
		var f FailingFeed
		var since, crawled *time.Time
		err := row.Scan(&f.ID, &f.Title, &f.FeedURL, &f.Failures, &since, &crawled, &f.LastHTTPStatus,
			&f.LastError, &f.NextCrawlAt, &f.Dead)
		f.FailingSince, f.LastCrawledAt = timeOrZero(since), timeOrZero(crawled)
		return f, err
	}, `SELECT id, title, feed_url, consecutive_failures, failing_since, last_crawled_at, last_http_status,
			last_error, next_crawl_at, dead
		FROM ops_failing_feeds WHERE dead = $1 LIMIT $2`, dead, limit)
}

// QueueDepth is River's unfinished jobs of one kind.
type QueueDepth struct {
	Kind                                     string
	Available, Scheduled, Retryable, Running int64
	Oldest                                   time.Duration // how long the oldest available job has waited
}

// FindQueueDepths returns River's unfinished jobs by kind (the ops_queue view), most first.
func (s *Store) FindQueueDepths(ctx context.Context) ([]QueueDepth, error) {
	return queryAll(ctx, s.db, "find queue depths", func(row pgx.Row) (QueueDepth, error) {
		var q QueueDepth
		var oldest *time.Duration
		err := row.Scan(&q.Kind, &q.Available, &q.Scheduled, &q.Retryable, &q.Running, &oldest)
		if oldest != nil {
			q.Oldest = *oldest
		}
		return q, err
	}, `SELECT kind,
			coalesce(sum(jobs) FILTER (WHERE state IN ('available', 'pending')), 0)::bigint,
			coalesce(sum(jobs) FILTER (WHERE state = 'scheduled'), 0)::bigint,
			coalesce(sum(jobs) FILTER (WHERE state = 'retryable'), 0)::bigint,
			coalesce(sum(jobs) FILTER (WHERE state = 'running'), 0)::bigint,
			max(oldest) FILTER (WHERE state = 'available')
		FROM ops_queue GROUP BY kind ORDER BY sum(jobs) DESC, kind`)
}

// HourCount is a count in the hour (or day) starting at Hour.
type HourCount struct {
	Hour  time.Time
	Label string
	N     int64
}

// CountSignupsSince returns the keys sign-up made since since, by hour.
func (s *Store) CountSignupsSince(ctx context.Context, since time.Time) ([]HourCount, error) {
	return queryAll(ctx, s.db, "count sign-ups", scanHourCount, `
		SELECT date_bin('1 hour', created_at, '2000-01-01 00:00:00+00'), '', count(*)
		FROM api_keys WHERE email <> '' AND created_at >= $1 GROUP BY 1 ORDER BY 1`, since)
}

// APIRequestsByPlan returns the metered API requests a day since since (a UTC day), by plan.
func (s *Store) APIRequestsByPlan(ctx context.Context, since time.Time) ([]HourCount, error) {
	return queryAll(ctx, s.db, "api requests by plan", scanHourCount, `
		SELECT u.day::timestamp AT TIME ZONE 'UTC', k.plan, sum(u.requests)::bigint
		FROM api_usage_daily u JOIN api_keys k ON k.id = u.api_key_id
		WHERE u.day >= $1::date GROUP BY 1, 2 ORDER BY 1, 2`, utcDay(since))
}

func scanHourCount(row pgx.Row) (HourCount, error) {
	var c HourCount
	err := row.Scan(&c.Hour, &c.Label, &c.N)
	return c, err
}

// FindRecentPodcasts returns the limit podcasts added last, newest first: the recent submissions.
func (s *Store) FindRecentPodcasts(ctx context.Context, limit int) ([]hark.Podcast, error) {
	return queryAll(ctx, s.db, "find recent podcasts", scanPodcast,
		`SELECT `+podcastColumns+` FROM podcasts ORDER BY created_at DESC, id LIMIT $1`, limit)
}
