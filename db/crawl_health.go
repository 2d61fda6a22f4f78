package db

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// CrawlSample is how many podcasts were crawled in an hour, and how many of those crawls failed.
type CrawlSample struct {
	Crawled, Failed int64
}

// Rate is the share of crawls that failed, 0 when none ran.
func (h CrawlSample) Rate() float64 {
	if h.Crawled == 0 {
		return 0
	}
	return float64(h.Failed) / float64(h.Crawled)
}

// SampleCrawlHealth counts the podcasts crawled in the hour before now and those whose crawl
// failed, stores the count as hour's sample, and returns it with the sum of the samples of the
// day before (and how many hours that day has samples for). A podcast's last crawl is all its
// row keeps, so a feed crawled twice in the hour counts once: every sample is taken the same
// way, so the hour and the day compare fairly. stored is false when hour has a sample already
// (a second run in the hour), which then says nothing new.
func (s *Store) SampleCrawlHealth(ctx context.Context, hour time.Time) (last, day CrawlSample, dayHours int, stored bool, err error) {
	err = s.db.QueryRow(ctx, `
		SELECT count(*), count(*) FILTER (WHERE consecutive_failures > 0) FROM podcasts
		WHERE last_crawled_at > @hour::timestamptz - interval '1 hour' AND last_crawled_at <= @hour::timestamptz`,
		pgx.NamedArgs{"hour": hour}).Scan(&last.Crawled, &last.Failed)
	if err != nil {
		return last, day, 0, false, fmt.Errorf("sample crawl health: %w", err)
	}
	tag, err := s.db.Exec(ctx, `INSERT INTO crawl_health (hour, crawled, failed) VALUES ($1, $2, $3)
		ON CONFLICT (hour) DO NOTHING`, hour, last.Crawled, last.Failed)
	if err != nil {
		return last, day, 0, false, fmt.Errorf("store crawl health: %w", err)
	}
	err = s.db.QueryRow(ctx, `SELECT coalesce(sum(crawled), 0), coalesce(sum(failed), 0), count(*) FROM crawl_health
		WHERE hour >= $1::timestamptz - interval '24 hours' AND hour < $1::timestamptz`, hour).
		Scan(&day.Crawled, &day.Failed, &dayHours)
	if err != nil {
		return last, day, 0, false, fmt.Errorf("read crawl health: %w", err)
	}
	return last, day, dayHours, tag.RowsAffected() == 1, nil
}
