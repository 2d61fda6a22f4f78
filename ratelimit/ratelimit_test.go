package ratelimit_test

import (
	"testing"
	"time"

	"hark/ratelimit"
)

// clock is a time the test moves by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestBurstThenRefill(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	l := ratelimit.NewWithClock(c.now)
	r := ratelimit.Rate{PerSecond: 2, Burst: 3}
	for i := range 3 {
		if ok, _ := l.Allow("a", r); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, retry := l.Allow("a", r)
	if ok || retry != 500*time.Millisecond {
		t.Fatalf("fourth request: ok %v retry %v; want refused, retry 500ms", ok, retry)
	}
	if ok, _ := l.Allow("b", r); !ok {
		t.Fatal("another key shares the first key's bucket")
	}
	c.advance(500 * time.Millisecond)
	if ok, _ := l.Allow("a", r); !ok {
		t.Fatal("refused after the Retry-After passed")
	}
	if ok, _ := l.Allow("a", r); ok {
		t.Fatal("a refilled bucket gave more than one token in 500ms at 2/s")
	}
}

func TestUnlimited(t *testing.T) {
	t.Parallel()
	l := ratelimit.New()
	for range 1000 {
		if ok, _ := l.Allow("a", ratelimit.Rate{}); !ok {
			t.Fatal("a zero rate refused a request")
		}
	}
	if l.Len() != 0 {
		t.Errorf("unlimited requests kept %d buckets", l.Len())
	}
}

func TestIdleBucketsForgotten(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	l := ratelimit.NewWithClock(c.now)
	r := ratelimit.Rate{PerSecond: 10, Burst: 10}
	for _, k := range []string{"a", "b", "c"} {
		l.Allow(k, r)
	}
	c.advance(time.Minute)
	l.Allow("d", r)
	if l.Len() != 1 {
		t.Errorf("%d buckets kept after a minute idle; want only the new one", l.Len())
	}
}

// BenchmarkAllow is the cost a request pays for its limit, over 10,000 client addresses.
func BenchmarkAllow(b *testing.B) {
	l := ratelimit.New()
	r := ratelimit.Rate{PerSecond: 1e9, Burst: 1e9}
	keys := make([]string, 10000)
	for i := range keys {
		keys[i] = "addr 192.0.2." + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
	}
	i := 0
	for b.Loop() {
		l.Allow(keys[i%len(keys)], r)
		i++
	}
}
