package jobs

import (
	"testing"
	"time"

	"hark"
	"hark/feed"
)

func TestNextCrawlFollowsTheFeed(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	every := func(gap time.Duration, n int) []hark.Episode {
		eps := make([]hark.Episode, n)
		for i := range eps {
			eps[i].PublishedAt = now.Add(-time.Duration(i) * gap)
		}
		return eps
	}
	tests := []struct {
		name   string
		p      hark.Podcast
		f      *hark.Feed
		maxAge time.Duration
		want   time.Duration
	}{
		{"weekly show: a quarter of its rhythm", hark.Podcast{}, &hark.Feed{Episodes: every(7*24*time.Hour, 10)}, 0, 42 * time.Hour},
		{"daily show", hark.Podcast{}, &hark.Feed{Episodes: every(24*time.Hour, 10)}, 0, 6 * time.Hour},
		{"hourly news: clamped to 15 minutes", hark.Podcast{}, &hark.Feed{Episodes: every(time.Hour, 30)}, 0, 15 * time.Minute},
		{"yearly show: clamped to 7 days", hark.Podcast{}, &hark.Feed{Episodes: every(365*24*time.Hour, 3)}, 0, 7 * 24 * time.Hour},
		{"ttl asks for longer", hark.Podcast{}, &hark.Feed{Episodes: every(24*time.Hour, 10), TTL: 12 * time.Hour}, 0, 12 * time.Hour},
		{"Cache-Control asks for longer", hark.Podcast{}, &hark.Feed{Episodes: every(24*time.Hour, 10)}, 10 * time.Hour, 10 * time.Hour},
		{"complete show: weekly", hark.Podcast{}, &hark.Feed{Podcast: hark.Podcast{Complete: true}, Episodes: every(time.Hour, 10)}, 0, 7 * 24 * time.Hour},
		{"unchanged body: the stored rhythm", hark.Podcast{UpdateFreqHours: 48}, nil, 0, 12 * time.Hour},
		{"no dates at all: daily", hark.Podcast{}, &hark.Feed{}, 0, 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := nextCrawl(tt.p, tt.f, tt.maxAge, now).Sub(now); got != tt.want {
				t.Errorf("next crawl in %s; want %s", got, tt.want)
			}
		})
	}
}

func TestFailureScheduleBacksOffThenGivesUp(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	plain := &feed.FetchError{StatusCode: 500}
	var total time.Duration
	prev := time.Duration(0)
	for failures := 1; failures < deadAfterFailures; failures++ {
		next, dead := failureSchedule(plain, failures, now)
		wait := next.Sub(now)
		if dead || wait < prev || wait > maxCrawlInterval {
			t.Fatalf("failure %d: wait %s dead %v; want a growing wait up to 7 days, alive", failures, wait, dead)
		}
		prev, total = wait, total+wait
	}
	if total < 14*24*time.Hour {
		t.Errorf("a feed is declared dead after failing for only %s", total)
	}
	if next, dead := failureSchedule(plain, deadAfterFailures, now); !dead || next.Sub(now) != deadInterval {
		t.Errorf("after %d failures: dead %v, next in %s; want dead, checked in %s", deadAfterFailures, dead, next.Sub(now), deadInterval)
	}
	if _, dead := failureSchedule(&feed.FetchError{StatusCode: 410, Gone: true}, 1, now); !dead {
		t.Error("410 Gone does not make the feed dead at once")
	}
	if next, _ := failureSchedule(&feed.FetchError{StatusCode: 429, RetryAfter: 3 * time.Hour}, 1, now); next.Sub(now) != 3*time.Hour {
		t.Errorf("Retry-After 3h gives the next try in %s", next.Sub(now))
	}
}
