//go:build faults

package faults

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSIGTERMDrains stops `hark serve` with SIGTERM, as systemd and deploy/deploy.sh do, twice:
// first while a request is half sent and a crawl waits on a slow host (the request is answered,
// /readyz says 503 while it drains, the crawl finishes before the process exits), then while a
// crawl waits longer than SHUTDOWN_TIMEOUT (the crawl is cancelled and River puts it back in the
// queue, its attempt not counted, for the next process). No job is lost: the feeds end stored and indexed exactly.
func TestSIGTERMDrains(t *testing.T) {
	r := newRig(t, 2)
	urls := r.feeds.cat.FeedURLs()
	r.harkEnv = append(r.harkEnv, "SHUTDOWN_DRAIN_DELAY=1s", "SHUTDOWN_TIMEOUT=15s")

	// Soft: the crawl takes 4 s, well within SHUTDOWN_TIMEOUT.
	r.feeds.delay.Store(int64(4 * time.Second))
	h := r.serve()
	r.submitOne(h, urls[0], nil)
	r.feeds.waitInFlight(t, 1)
	body, answered := r.submitSlowly(h, urls[1])
	sent := time.Now()
	_ = h.cmd.Process.Signal(syscall.SIGTERM)
	r.waitDraining(h)
	_, _ = io.WriteString(body, url.QueryEscape(urls[1]))
	body.Close()
	if code := <-answered; code != http.StatusOK {
		t.Fatalf("the request in flight at SIGTERM was answered %d; want 200", code)
	}
	h.waitExit(t, time.Minute)
	t.Logf("SHUTDOWN soft: exited %s after SIGTERM", time.Since(sent).Round(100*time.Millisecond))
	if got := r.crawlJobs(`state = 'completed'`); got != 1 {
		t.Fatalf("%d crawl jobs completed by the time the process exited; want the one running at SIGTERM", got)
	}

	// Hard: the next process takes the second feed's crawl, which now waits longer than
	// SHUTDOWN_TIMEOUT.
	r.harkEnv = append(r.harkEnv, "SHUTDOWN_TIMEOUT=2s")
	r.feeds.delay.Store(int64(time.Minute))
	h = r.serve()
	r.feeds.waitInFlight(t, 1)
	sent = time.Now()
	_ = h.cmd.Process.Signal(syscall.SIGTERM)
	h.waitExit(t, 30*time.Second)
	t.Logf("SHUTDOWN hard: exited %s after SIGTERM", time.Since(sent).Round(100*time.Millisecond))
	if got := r.crawlJobs(`state = 'available'`); got != 1 {
		t.Fatalf("%d cancelled crawl jobs back in the queue; want 1", got)
	}

	r.feeds.delay.Store(0)
	cleared := time.Now()
	r.serve()
	r.waitExact(cleared, recoveryTarget)
}

// submitOne submits one feed through the API of h.
func (r *rig) submitOne(h *hark, feedURL string, body io.Reader) {
	r.t.Helper()
	if body == nil {
		body = strings.NewReader(url.Values{"rss": {feedURL}}.Encode())
	}
	req, _ := http.NewRequest(http.MethodPost, "http://"+h.addr+"/api/v2/podcasts/submit", body)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		r.t.Fatalf("submit %s: %s %s", feedURL, resp.Status, b)
	}
}

// submitSlowly starts submitting feedURL with a body of which only "rss=" is sent: the caller
// writes the rest to body and closes it. answered receives the response's status, 0 on error.
func (r *rig) submitSlowly(h *hark, feedURL string) (body *io.PipeWriter, answered chan int) {
	pr, pw := io.Pipe()
	answered = make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, "http://"+h.addr+"/api/v2/podcasts/submit", pr)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			r.t.Logf("slow submit of %s: %v", feedURL, err)
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	_, _ = io.WriteString(pw, "rss=")
	time.Sleep(200 * time.Millisecond) // the headers and the first bytes reach the server
	return pw, answered
}

// waitDraining waits until /readyz of h answers 503 draining.
func (r *rig) waitDraining(h *hark) {
	r.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + h.addr + "/readyz")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusServiceUnavailable && strings.Contains(string(b), "draining") {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.t.Fatal("/readyz did not answer 503 draining within 5 s of SIGTERM")
}

// crawlJobs counts the first-crawl and crawl jobs that match where.
func (r *rig) crawlJobs(where string) int {
	r.t.Helper()
	var n int
	err := r.pool.QueryRow(context.Background(),
		`SELECT count(*) FROM river_job WHERE kind LIKE 'crawl%' AND `+where).Scan(&n)
	if err != nil {
		r.t.Fatal(err)
	}
	return n
}

// waitExit waits for the process to exit by itself and fails unless it exited 0.
func (p *proc) waitExit(t *testing.T, timeout time.Duration) {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(timeout):
		t.Fatalf("%s did not exit within %s of SIGTERM", p.name, timeout)
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("%s exited %d after SIGTERM; want 0", p.name, code)
	}
}
