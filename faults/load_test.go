//go:build faults

package faults

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// requestDeadline is how long a load request may take before it counts as hung.
const requestDeadline = 10 * time.Second

// load sends API requests from a few clients until stopped and sorts the answers: a search
// answering 503 with an error message is what an index outage should look like; anything else
// but a 200 is a failure.
type load struct {
	stopc                      chan struct{}
	wg                         sync.WaitGroup
	ok, okAPI, search503, hung atomic.Int64
	mu                         sync.Mutex
	failures                   []string
}

// loadPaths are what the clients ask, in turn: a search (Typesense) and reads of Postgres.
var loadPaths = []string{"/api/v2/search?q=garden&type=episode", "/api/v2/languages", "/api/v2/search?q=news&type=podcast", "/"}

func startLoad(t *testing.T, addr string, header ...string) *load {
	l := &load{stopc: make(chan struct{})}
	for c := range 4 {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for i := c; ; i++ {
				select {
				case <-l.stopc:
					return
				default:
				}
				l.do("http://"+addr+loadPaths[i%len(loadPaths)], header)
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	t.Cleanup(l.halt)
	return l
}

func (l *load) do(url string, header []string) {
	ctx, cancel := context.WithTimeout(context.Background(), requestDeadline)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			l.hung.Add(1)
		}
		l.fail(fmt.Sprintf("%s: %v", url, err))
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusOK:
		l.ok.Add(1)
		if strings.Contains(url, "/api/") {
			l.okAPI.Add(1)
		}
	case resp.StatusCode == http.StatusServiceUnavailable && strings.Contains(url, "/search") && strings.Contains(string(body), `"error"`):
		l.search503.Add(1)
	default:
		l.fail(fmt.Sprintf("%s: %s %.200s", url, resp.Status, body))
	}
}

func (l *load) fail(msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures = append(l.failures, msg)
}

func (l *load) halt() {
	select {
	case <-l.stopc:
	default:
		close(l.stopc)
	}
	l.wg.Wait()
}

// stop ends the load and fails the test when a request failed, or when searches answered 503
// and allow503 is false.
func (l *load) stop(t *testing.T, allow503 bool) {
	t.Helper()
	l.halt()
	t.Logf("load: %d answered 200, %d searches 503 (index down), %d failed, %d hung past %s",
		l.ok.Load(), l.search503.Load(), len(l.failures), l.hung.Load(), requestDeadline)
	if len(l.failures) > 0 {
		t.Errorf("%d requests failed, first: %s", len(l.failures), l.failures[0])
	}
	if !allow503 && l.search503.Load() > 0 {
		t.Errorf("%d searches answered 503 with the index up", l.search503.Load())
	}
}
