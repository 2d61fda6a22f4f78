//go:build faults

package faults

import (
	"testing"
	"time"
)

// TestKillServeMidCrawl is case 1: 46 feeds submitted to `hark serve`, the host answering after
// 4 s, and serve SIGKILLed 2 s after the crawls started, with 32 of them in flight, then
// started again at once. The crawls it held are running in River's table until someone gives
// them back: the new process, as it starts.
func TestKillServeMidCrawl(t *testing.T) {
	r := newRig(t, 46)
	r.feeds.delay.Store(int64(4 * time.Second))
	h := r.serve()
	r.submit(h)
	r.feeds.waitInFlight(t, 32)
	time.Sleep(2 * time.Second)
	h.kill()
	cleared := time.Now()
	r.serve()
	r.waitExact(cleared, recoveryTarget)
}

// TestKillWorkerMidCrawl is case 2: a web-only and a worker-only process; the worker is
// SIGKILLed mid-crawl and started again while the web process keeps answering the API, which
// must not fail once.
func TestKillWorkerMidCrawl(t *testing.T) {
	r := newRig(t, 46)
	r.feeds.delay.Store(int64(4 * time.Second))
	web := r.serve("-workers=false")
	w := r.serve("-web=false")
	load := startLoad(t, web.addr)
	r.submit(web)
	r.feeds.waitInFlight(t, 32)
	time.Sleep(2 * time.Second)
	w.kill()
	cleared := time.Now()
	r.serve("-web=false")
	r.waitExact(cleared, recoveryTarget)
	load.stop(t, false)
}
