package transport

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"

	"hark"
	"hark/search/internal/tsserver"
)

// newTestClient returns a Client for nodes, with the app's default timeouts.
func newTestClient(t *testing.T, apiKey string, nodes ...string) *Client {
	t.Helper()
	c, err := New(Config{Nodes: nodes, APIKey: apiKey, QueryTimeout: time.Second, ImportTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// health reads /health through Get and reports whether the node said ok.
func health(ctx context.Context, c *Client) (bool, error) {
	var ok bool
	err := c.Get(ctx, "/health", func(status int, body []byte) error {
		var h struct {
			OK bool `json:"ok"`
		}
		ok = status == http.StatusOK && json.Unmarshal(body, &h) == nil && h.OK
		return nil
	})
	return ok, err
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	for _, nodes := range [][]string{nil, {"http://[::1"}, {"127.0.0.1:8108"}, {"ftp://host"}, {"http://ok:8108", "http://"}} {
		if _, err := New(Config{Nodes: nodes, QueryTimeout: time.Second}); !errors.Is(err, hark.ErrInvalid) {
			t.Errorf("New(%q) = %v, want ErrInvalid", nodes, err)
		}
	}
	if _, err := New(Config{Nodes: []string{"http://ok:8108"}}); !errors.Is(err, hark.ErrInvalid) {
		t.Errorf("New without a query timeout = %v, want ErrInvalid", err)
	}
}

// TestFailover: with a node that was killed listed first, searches (Get) and other calls (Doer)
// go to the live one, and the dead one is passed over from then on instead of being tried first.
func TestFailover(t *testing.T) {
	t.Parallel()
	dead, live := tsserver.Start(t), tsserver.Start(t)
	dead.Kill()
	c := newTestClient(t, live.APIKey, dead.URL(), live.URL())
	ctx := context.Background()
	for i := range 4 { // round robin starts on either node
		if ok, err := health(ctx, c); err != nil || !ok {
			t.Fatalf("Get %d: ok %v, %v", i, ok, err)
		}
	}
	if c.failover.downTo[0].Load() == 0 || c.failover.downTo[1].Load() != 0 {
		t.Errorf("node health %d, %d; want the dead node passed over, the live one not",
			c.failover.downTo[0].Load(), c.failover.downTo[1].Load())
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, dead.URL()+"/collections", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-TYPESENSE-API-KEY", live.APIKey)
	for i := range 4 {
		resp, err := c.Doer().Do(req)
		if err != nil {
			t.Fatalf("Doer %d: %v", i, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("Doer %d: %d %s, want 200 from the live node", i, resp.StatusCode, body)
		}
	}
}

// TestGetAfterRestart: after the node restarts, every connection the client pooled is closed at
// the other end, and a search on one fails with EOF; the search after it is answered at once,
// on a new connection, not failed again on the next stale one.
func TestGetAfterRestart(t *testing.T) {
	t.Parallel()
	ts := tsserver.Start(t)
	c := newTestClient(t, ts.APIKey, ts.URL())
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 8 { // fill the pool with several connections
		wg.Go(func() {
			for range 20 {
				if _, err := health(ctx, c); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	ts.Stop()
	ts.Start()
	if err := ts.WaitHealthy(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if ok, err := health(ctx, c); err != nil || !ok {
			t.Fatalf("Get %d after the restart: ok %v, %v", i, ok, err)
		}
	}
}

// TestGetUnavailable: when no node answers in time, Get fails with ErrUnavailable, by the
// deadline of its context.
func TestGetUnavailable(t *testing.T) {
	t.Parallel()
	hung := tsserver.Start(t)
	hung.Freeze()
	c := newTestClient(t, hung.APIKey, "http://127.0.0.1:1", hung.URL())
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := health(ctx, c); !errors.Is(err, hark.ErrUnavailable) {
		t.Errorf("Get = %v, want ErrUnavailable", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Get took %v, want about its deadline (500ms)", took)
	}
}

// TestGetCancelled: a search whose caller goes away while the node is hung returns at once with
// the caller's context.Canceled, and leaves neither a goroutine nor a connection behind. The
// node is a real Typesense, frozen.
func TestGetCancelled(t *testing.T) {
	// Not parallel: it counts the process's goroutines.
	hung := tsserver.Start(t)
	c := newTestClient(t, hung.APIKey, hung.URL())
	if ok, err := health(context.Background(), c); err != nil || !ok { // a kept-alive connection to reuse
		t.Fatalf("Get before the freeze: ok %v, %v", ok, err)
	}
	hung.Freeze()
	before := runtime.NumGoroutine()

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := health(ctx, c)
	if took := time.Since(start); took > 400*time.Millisecond {
		t.Errorf("Get returned %v after it started, want soon after the cancel at 100ms", took)
	}
	if !errors.Is(err, context.Canceled) || errors.Is(err, hark.ErrUnavailable) {
		t.Errorf("Get = %v, want context.Canceled", err)
	}
	if n := c.fast[0].ConnsCount(); n != 0 {
		t.Errorf("%d connections left open to the hung node, want 0", n)
	}
	deadline := time.Now().Add(time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after the cancelled Get, %d before", n, before)
	}
	if c.failover.downTo[0].Load() != 0 {
		t.Error("the caller's cancel marked the node down")
	}
}
