package http_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hark/jobs"
)

// TestOpsMetrics: a scrape reports the dependencies as the readiness check sees them, the
// River queue depth and the index backlog, read from Postgres at that moment.
func TestOpsMetrics(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	jazz := addJazzShow(t, b.store) // stored, not indexed yet
	if _, err := b.river.Insert(context.Background(), jobs.CrawlFeedArgs{PodcastID: jazz.podcast.ID}, nil); err != nil {
		t.Fatal(err)
	}

	m := b.scrape(t)
	for series, want := range map[string]float64{
		`hark_dependency_up{dependency="postgres"}`:  1,
		`hark_dependency_up{dependency="typesense"}`: 1,
		`hark_jobs{queue="crawl",state="available"}`: 1,
		`hark_index_pending{kind="podcast"}`:         1,
		`hark_index_pending{kind="episode"}`:         float64(len(jazz.episodes)),
	} {
		if got, ok := m[series]; !ok || got != want {
			t.Errorf("%s = %v (present %v); want %v", series, got, ok, want)
		}
	}
	if lag := m["hark_index_lag_seconds"]; lag <= 0 {
		t.Errorf("hark_index_lag_seconds = %v with a podcast waiting for the index; want > 0", lag)
	}

	// The index jobs clear the flags as they index each podcast.
	for _, q := range []string{`UPDATE podcasts SET index_pending = false`, `UPDATE episodes SET index_pending = false`} {
		if _, err := b.store.Pool().Exec(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	if m := b.scrape(t); m["hark_index_lag_seconds"] != 0 || m[`hark_index_pending{kind="episode"}`] != 0 {
		t.Errorf("with nothing pending: lag %v, pending episodes %v; want 0 and 0",
			m["hark_index_lag_seconds"], m[`hark_index_pending{kind="episode"}`])
	}

	ix, _ := downIndex(t)
	if got := b.withIndex(ix).scrape(t)[`hark_dependency_up{dependency="typesense"}`]; got != 0 {
		t.Errorf("typesense up = %v with Typesense down; want 0", got)
	}
}

// TestReadyzDraining: once the server drains, /readyz answers 503 at once, whatever the
// dependencies say, while other requests are still served.
func TestReadyzDraining(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	b.srv.Drain()
	if diff := cmp.Diff(map[string]any{"status": "draining"}, b.getJSON(t, "/readyz", http.StatusServiceUnavailable)); diff != "" {
		t.Errorf("readyz while draining (-want +got):\n%s", diff)
	}
	b.getJSON(t, "/healthz", http.StatusOK)
}

var sampleLine = regexp.MustCompile(`(?m)^(hark_[a-z_]+(?:\{[^}]*\})?) (\S+)$`)

// scrape reads /metrics as a loopback operator would and returns the hark_ samples.
func (b *testBundle) scrape(t *testing.T) map[string]float64 {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics: %d", rec.Code)
	}
	out := map[string]float64{}
	for _, m := range sampleLine.FindAllStringSubmatch(rec.Body.String(), -1) {
		v, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			t.Fatalf("%s: %v", m[0], err)
		}
		out[m[1]] = v
	}
	return out
}
