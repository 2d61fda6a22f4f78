package feed

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestClientDo sends a request as a webhook sender would: any status is an answer, the guard
// refuses with ErrRefused, and the host slot and timeout last until the body is closed.
func TestClientDo(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Agent", r.UserAgent())
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write(b)
	})
	c := NewClient(ClientConfig{AllowLoopback: true, PerHostLimit: 1, Timeout: 5 * time.Second})
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+"/hook", strings.NewReader(`{"event":"x"}`))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusTeapot || string(body) != `{"event":"x"}` || resp.Header.Get("X-Agent") != UserAgentDefault {
		t.Fatalf("Do = %d %q (agent %q); want the server's 418 and echo", resp.StatusCode, body, resp.Header.Get("X-Agent"))
	}
	if n := len(c.hosts.hosts); n != 1 {
		t.Errorf("%d host slots held before the body is closed; want 1", n)
	}
	_ = resp.Body.Close()
	if n := len(c.hosts.hosts); n != 0 {
		t.Errorf("%d host slots held after the body is closed; want 0", n)
	}

	for _, target := range []string{"http://10.0.0.1/hook", "http://[::ffff:169.254.169.254]/", "http://example.com:8080/", srv.URL + "/hook?x"} {
		cl := NewClient(ClientConfig{})
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, target, nil)
		var fe *FetchError
		if _, err := cl.Do(req); !errors.Is(err, ErrRefused) || !errors.As(err, &fe) || fe.Temporary {
			t.Errorf("Do(%s) = %v; want a permanent refusal matching ErrRefused", target, err)
		}
	}
}
