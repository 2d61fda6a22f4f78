//go:build faults

package faults

import (
	"context"
	"testing"
	"time"

	"hark/search/searchtest"
)

// TestKillTypesenseMidIndex is case 3: Typesense SIGKILLed while the crawls' index jobs write
// to it, and started again at once on its data.
func TestKillTypesenseMidIndex(t *testing.T) {
	r := newRig(t, 46)
	r.feeds.delay.Store(int64(500 * time.Millisecond))
	h := r.serve()
	r.submit(h)
	r.waitIndexed(1)
	r.ts.Kill()
	r.ts.Start()
	if err := r.ts.WaitHealthy(searchtest.StartTimeout); err != nil {
		t.Fatal(err)
	}
	r.waitExact(time.Now(), recoveryTarget)
}

// TestTypesenseDownUnderLoad is case 4: Typesense down for 2 minutes while feeds are crawled
// and the API searched. Searches answer 503 with a message, everything else answers, and the
// index catches up once Typesense is back.
func TestTypesenseDownUnderLoad(t *testing.T) {
	r := newRig(t, 46)
	r.feeds.delay.Store(int64(2 * time.Second))
	// The case is about searches that reach Typesense: the search cache would answer the load's
	// two repeated searches from memory all through the outage.
	r.harkEnv = append(r.harkEnv, "SEARCH_CACHE_ENTRIES=0")
	h := r.serve()
	load := startLoad(t, h.addr)
	r.submit(h)
	r.waitIndexed(1)
	r.ts.Kill()
	time.Sleep(2 * time.Minute)
	r.ts.Start()
	if err := r.ts.WaitHealthy(searchtest.StartTimeout); err != nil {
		t.Fatal(err)
	}
	r.waitExact(time.Now(), 2*recoveryTarget) // no target of its own: the index jobs' retry backoff decides
	load.stop(t, true)
	if load.search503.Load() == 0 {
		t.Error("no search answered 503 while Typesense was down")
	}
}

// waitIndexed waits until the index holds at least n episode documents.
func (r *rig) waitIndexed(n int) {
	r.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		tot, err := r.ix.Totals(context.Background())
		if err == nil && tot.Episodes >= n {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("fewer than %d episodes indexed after a minute (%v)", n, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
