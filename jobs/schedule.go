package jobs

import (
	"math"
	"sort"
	"time"

	"hark"
	"hark/feed"
)

// Crawl scheduling bounds.
const (
	minCrawlInterval = 15 * time.Minute
	maxCrawlInterval = 7 * 24 * time.Hour
	deadInterval     = 30 * 24 * time.Hour
	// deadAfterFailures failures in a row, backing off from 15 minutes to 7 days, span ~25 days.
	deadAfterFailures = 12
)

// nextCrawl picks when to fetch a healthy feed again: about a quarter of its typical gap between
// episodes, so a weekly show is checked a few times a day, clamped to 15 minutes .. 7 days, and
// never sooner than the feed's ttl or Cache-Control asks. A complete show is checked weekly.
func nextCrawl(p hark.Podcast, f *hark.Feed, maxAge time.Duration, now time.Time) time.Time {
	gap := time.Duration(p.UpdateFreqHours) * time.Hour
	if f != nil {
		if g := medianGap(f.Episodes); g > 0 {
			gap = g
		}
	}
	interval := 24 * time.Hour
	if gap > 0 {
		interval = gap / 4
	}
	if f != nil && f.TTL > interval {
		interval = f.TTL
	}
	if maxAge > interval {
		interval = maxAge
	}
	if p.Complete || (f != nil && f.Podcast.Complete) {
		interval = maxCrawlInterval
	}
	interval = min(max(interval, minCrawlInterval), maxCrawlInterval)
	return now.Add(interval)
}

// failureSchedule backs off exponentially from 15 minutes (capped at 7 days), honours
// Retry-After, and declares a feed dead when it has failed for weeks (deadAfterFailures failures
// in a row add up to about 25 days) or at once on 410 Gone. Dead feeds are checked monthly.
func failureSchedule(fe *feed.FetchError, failures int, now time.Time) (time.Time, bool) {
	if fe.Gone || failures >= deadAfterFailures {
		return now.Add(deadInterval), true
	}
	backoff := time.Duration(float64(minCrawlInterval) * math.Pow(2, float64(min(failures-1, 12))))
	backoff = min(backoff, maxCrawlInterval)
	if fe.RetryAfter > backoff {
		backoff = fe.RetryAfter
	}
	return now.Add(backoff), false
}

// medianGap is the median time between the newest 20 dated episodes.
func medianGap(eps []hark.Episode) time.Duration {
	var dates []time.Time
	for _, e := range eps {
		if !e.PublishedAt.IsZero() {
			dates = append(dates, e.PublishedAt)
		}
	}
	if len(dates) < 2 {
		return 0
	}
	sort.Slice(dates, func(i, j int) bool { return dates[i].After(dates[j]) })
	dates = dates[:min(len(dates), 21)]
	gaps := make([]time.Duration, 0, len(dates)-1)
	for i := 1; i < len(dates); i++ {
		gaps = append(gaps, dates[i-1].Sub(dates[i]))
	}
	sort.Slice(gaps, func(i, j int) bool { return gaps[i] < gaps[j] })
	return gaps[len(gaps)/2]
}
