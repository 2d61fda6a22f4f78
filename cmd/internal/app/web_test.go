package app

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServeTimesOutSlowRequests: a client that sends a request's headers and then trickles
// nothing of its body is cut off at HTTP_READ_TIMEOUT instead of holding a connection forever.
func TestServeTimesOutSlowRequests(t *testing.T) {
	t.Parallel()
	a, _ := newTestApp(t, Opts{Migrated: true}, nil)
	t.Cleanup(a.Close)
	a.Config.HTTPReadTimeout, a.Config.HTTPWriteTimeout, a.Config.HTTPIdleTimeout = 300*time.Millisecond, 5*time.Second, time.Second
	base, stop := startWeb(t, a)
	t.Cleanup(func() { _ = stop() })

	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	_, err = io.WriteString(conn, "POST /api/v2/podcasts HTTP/1.1\r\nHost: hark.test\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nids=")
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err == nil {
		_, err = io.Copy(io.Discard, resp.Body) // the server answers the unread body, then closes
		resp.Body.Close()
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Fatalf("connection held %v by a stalled body; want it closed near the 300ms read timeout (%v)", elapsed, err)
	}
}
