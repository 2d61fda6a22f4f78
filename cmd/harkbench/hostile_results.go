package main

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"hark/feed"
	"hark/jobs"
)

// minLevel drops the records of a handler below a level.
type minLevel struct {
	slog.Handler
	min slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

// scheduleLateness is how late a scheduled crawl may run during the flood: the default
// CRAWL_SCHEDULE_INTERVAL, the period of the scheduler that finds due podcasts.
const scheduleLateness = 30 * time.Second

// crawlBeforeFlood submits and crawls urls, then makes them due two seconds later, when the
// flood runs. It returns when they fall due.
func (e *env) crawlBeforeFlood(ctx context.Context, service *jobs.Service, urls []string) (time.Time, error) {
	norm, err := normalized(urls)
	if err != nil {
		return time.Time{}, err
	}
	for _, u := range urls {
		if _, _, err := service.SubmitFeed(ctx, u); err != nil {
			return time.Time{}, err
		}
	}
	if err := e.waitJobs(ctx, "crawl_feed"); err != nil {
		return time.Time{}, err
	}
	var due time.Time
	err = e.pool.QueryRow(ctx, `UPDATE podcasts SET next_crawl_at = now() + interval '2 seconds'
		WHERE feed_url = ANY($1) RETURNING next_crawl_at`, norm).Scan(&due)
	return due, err
}

// scheduleLoop enqueues due crawls every half second until ctx ends, as the periodic
// schedule_crawls job does every CRAWL_SCHEDULE_INTERVAL.
func (e *env) scheduleLoop(ctx context.Context, client *river.Client[pgx.Tx], cfg jobs.Config) {
	for ctx.Err() == nil {
		_, _ = jobs.ScheduleCrawls(ctx, client, cfg)
		select {
		case <-ctx.Done():
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// hostileResults reports the section's figures and fails on a broken promise.
func (e *env) hostileResults(ctx context.Context, n int, took time.Duration, codes map[int]int, dc *dialCounter, good, scheduled []string, due time.Time) error {
	goodNorm, err := normalized(good)
	if err != nil {
		return err
	}
	schedNorm, err := normalized(scheduled)
	if err != nil {
		return err
	}
	var crawled, refused, notRerun int
	var lateSec float64
	err = e.pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM podcasts WHERE feed_url = ANY($1) AND last_http_status = 200),
		(SELECT count(*) FROM podcasts WHERE last_http_status = 0 AND last_error <> ''),
		(SELECT count(*) FROM podcasts WHERE feed_url = ANY($2) AND last_crawled_at < $3),
		(SELECT COALESCE(EXTRACT(EPOCH FROM max(last_crawled_at) - $3), 0)::float8 FROM podcasts WHERE feed_url = ANY($2))`,
		goodNorm, schedNorm, due).Scan(&crawled, &refused, &notRerun, &lateSec)
	if err != nil {
		return err
	}
	late := time.Duration(lateSec * float64(time.Second))
	var answers []string
	fivexx := 0
	for _, c := range slices.Sorted(maps.Keys(codes)) {
		answers = append(answers, fmt.Sprintf("%d x %d", codes[c], c))
		if c >= 500 {
			fivexx += codes[c]
		}
	}
	e.result("hostile: %d submissions (%d good feeds, the rest hostile URLs and redirects to them) at %d clients in %s: %.0f submissions/s; answers %s; %d 5xx",
		n, len(good), hostileClients, took.Round(time.Millisecond), rate(n, took), strings.Join(answers, ", "), fivexx)
	e.result("hostile: the dialer saw %d connections, %d to a forbidden address; %d/%d good feeds crawled; %d hostile feeds refused at crawl; %d scheduled crawls due during the flood ran at most %s late (limit %s)",
		dc.conns.Load(), dc.forbidden.Load(), crawled, len(good), refused, len(scheduled), late.Round(time.Millisecond), scheduleLateness)
	switch {
	case dc.forbidden.Load() != 0:
		return fmt.Errorf("%d connections to forbidden addresses reached the dialer", dc.forbidden.Load())
	case fivexx != 0:
		return fmt.Errorf("%d submissions answered 5xx", fivexx)
	case crawled != len(good):
		return fmt.Errorf("%d of %d good feeds crawled", crawled, len(good))
	case notRerun != 0 || late > scheduleLateness:
		return fmt.Errorf("scheduled crawls: %d not run, the latest %s late", notRerun, late)
	}
	return nil
}

// normalized returns the URLs as Hark stores them.
func normalized(urls []string) ([]string, error) {
	out := make([]string, len(urls))
	for i, u := range urls {
		n, err := feed.NormalizeURL(u)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}
