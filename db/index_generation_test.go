package db_test

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"hark/db"
	"hark/db/dbtest"
)

// TestWatchIndexGeneration: the watch reports the generation when it starts, each bump soon
// after it commits (a bump in another schema of the database only makes it read its own again),
// and an unknown generation once it stops. It logs how long bumps took to arrive.
func TestWatchIndexGeneration(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	store, other := db.New(dbtest.NewSchema(t)), db.New(dbtest.NewSchema(t))
	seen := make(chan int64, 100)
	done := make(chan struct{})
	go func() {
		defer close(done)
		store.WatchIndexGeneration(ctx, time.Hour, func(gen int64) { seen <- gen }, slog.New(slog.DiscardHandler))
	}()
	next := func() int64 {
		t.Helper()
		select {
		case gen := <-seen:
			return gen
		case <-time.After(10 * time.Second):
			t.Fatal("no generation reported in 10s (the poll is an hour: only a notification can bring it)")
			return 0
		}
	}
	first := next()
	if err := other.BumpIndexGeneration(ctx); err != nil {
		t.Fatal(err)
	}
	if gen := next(); gen != first {
		t.Fatalf("after another schema's bump: generation %d; want %d unchanged", gen, first)
	}
	var delays []time.Duration
	want := first
	for range 20 {
		start := time.Now()
		if err := store.BumpIndexGeneration(ctx); err != nil {
			t.Fatal(err)
		}
		want++
		if gen := next(); gen != want {
			t.Fatalf("after a bump: generation %d; want %d", gen, want)
		}
		delays = append(delays, time.Since(start))
	}
	slices.Sort(delays)
	t.Logf("a bump reached the watch in %v at the median, %v at most (the bump's own round trip included)", delays[len(delays)/2], delays[len(delays)-1])
	cancel()
	<-done
	if gen := next(); gen != db.GenerationUnknown {
		t.Errorf("after the watch stopped: generation %d; want unknown", gen)
	}
}
