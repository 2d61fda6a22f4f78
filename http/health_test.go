package http_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hark"
	podhttp "hark/http"
)

func TestHealth(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})

	if diff := cmp.Diff(map[string]any{"status": "ok"}, b.getJSON(t, "/healthz", http.StatusOK)); diff != "" {
		t.Errorf("healthz (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"postgres": "ok", "typesense": "ok"}, b.getJSON(t, "/readyz", http.StatusOK)); diff != "" {
		t.Errorf("readyz (-want +got):\n%s", diff)
	}

	ix, _ := downIndex(t)
	if diff := cmp.Diff(map[string]any{"postgres": "ok", "typesense": "unavailable"}, b.withIndex(ix).getJSON(t, "/readyz", http.StatusServiceUnavailable)); diff != "" {
		t.Errorf("readyz with Typesense down (-want +got):\n%s", diff)
	}
}

func TestMetricsAndRequestID(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	b.get(t, podhttp.PodcastPath(jazz.podcast.ID, jazz.podcast.Title))
	b.get(t, "/api/v2/podcasts/"+hark.NewID())

	// Operator views answer on loopback while no password is set.
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	body := rec.Body.String()
	for _, want := range []string{
		`http_requests_total{code="200",route="GET /podcasts/{id}"} 1`,
		`http_requests_total{code="404",route="GET /api/v2/podcasts/{id}"} 1`,
		`http_request_duration_seconds_count{route="GET /podcasts/{id}"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, jazz.podcast.ID) {
		t.Error("metrics label a series with a podcast ID")
	}

	req = httptest.NewRequest(http.MethodGet, "/healthz", nil)
	req.Header.Set("X-Request-ID", "abc-123")
	rec = httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	if got := rec.Header().Get("X-Request-ID"); got != "abc-123" {
		t.Errorf("X-Request-ID = %q, want the proxy's", got)
	}
	if got := b.get(t, "/healthz").Header().Get("X-Request-ID"); len(got) != 16 {
		t.Errorf("generated X-Request-ID = %q", got)
	}
}

func TestPanicRecovery(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	b.srv.Mount("/boom", http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("kaboom") }))
	rec := b.get(t, "/boom")
	doc := parsePage(t, rec, http.StatusInternalServerError)
	if strings.Contains(rec.Body.String(), "kaboom") {
		t.Error("500 page shows the panic")
	}
	if !strings.Contains(doc.Find(".error-page").Text(), rec.Header().Get("X-Request-ID")) {
		t.Error("500 page does not show the request ID")
	}
	// The server still serves.
	b.getJSON(t, "/healthz", http.StatusOK)
}

// TestAccessLog: every request gets one line with what an operator greps for, the request ID the
// response carries among them; health checks log only at debug level.
func TestAccessLog(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	var out bytes.Buffer
	b.logger = slog.New(slog.NewJSONHandler(&out, nil))
	b.srv = b.newServer()

	id := hark.NewID()
	rec := b.get(t, "/api/v2/podcasts/"+id)
	b.get(t, "/healthz")

	var lines []map[string]any
	for line := range strings.Lines(out.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if m["msg"] == "HTTP request" {
			delete(m, "time")
			delete(m, "duration")
			lines = append(lines, m)
		}
	}
	want := []map[string]any{{
		"level": "INFO", "msg": "HTTP request", "method": "GET", "path": "/api/v2/podcasts/" + id,
		"route": "GET /api/v2/podcasts/{id}", "status": float64(http.StatusNotFound),
		"bytes": float64(rec.Body.Len()), "request_id": rec.Header().Get("X-Request-ID"),
		"client": "192.0.2.1", // httptest's RemoteAddr
	}}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("access log (-want +got):\n%s", diff)
	}
	if !strings.Contains(out.String(), `"duration":`) {
		t.Errorf("access log has no duration: %s", out.String())
	}
}
