// Package ratelimit holds in-process token buckets, one per key (a client address, an API key),
// for per-second limits. Each process counts only what it serves: limits that must hold
// across processes (daily caps) belong in Postgres.
package ratelimit

import (
	"math"
	"sync"
	"time"
)

// Rate is a token bucket's size: PerSecond tokens are added each second, up to Burst.
// A zero PerSecond means no limit.
type Rate struct {
	PerSecond float64
	Burst     int
}

// Unlimited reports whether r lets everything through.
func (r Rate) Unlimited() bool { return r.PerSecond <= 0 }

// burst is the bucket's size: at least one request, else nothing would ever pass.
func (r Rate) burst() float64 { return math.Max(float64(r.Burst), 1) }

// idleAfter is how long a bucket must go untouched before it is full again, after which
// forgetting it changes nothing.
func (r Rate) idleAfter() time.Duration {
	return time.Duration(r.burst() / r.PerSecond * float64(time.Second))
}

// Limiter keeps a bucket per key. Buckets that have filled up again are dropped on the way,
// so memory follows the number of keys active in the last few seconds. The zero value is not
// usable; call New.
type Limiter struct {
	now func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
	rate   Rate
}

// New returns an empty Limiter.
func New() *Limiter { return NewWithClock(time.Now) }

// NewWithClock returns a Limiter that reads the time from now (tests step a clock).
func NewWithClock(now func() time.Time) *Limiter {
	return &Limiter{now: now, buckets: map[string]*bucket{}}
}

// sweepEvery is how often Allow looks for buckets to forget.
const sweepEvery = 10 * time.Second

// Allow takes one token from key's bucket of rate r. When the bucket is empty it returns false
// and how long until a token is there: the Retry-After to send.
func (l *Limiter) Allow(key string, r Rate) (ok bool, retryAfter time.Duration) {
	if r.Unlimited() {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: r.burst(), at: now}
		l.buckets[key] = b
	}
	b.rate = r
	b.tokens = math.Min(r.burst(), b.tokens+now.Sub(b.at).Seconds()*r.PerSecond)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / r.PerSecond * float64(time.Second))
}

// sweep drops the buckets that are full again.
func (l *Limiter) sweep(now time.Time) {
	if now.Sub(l.swept) < sweepEvery {
		return
	}
	l.swept = now
	for k, b := range l.buckets {
		if now.Sub(b.at) >= b.rate.idleAfter() {
			delete(l.buckets, k)
		}
	}
}

// Len is the number of buckets kept.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
