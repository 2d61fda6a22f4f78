package jobs_test

import (
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	podhttp "hark/http"
	"hark/jobs"
)

// setupWithServer is setup with Hark's HTTP server on a loopback port and jobs.Config.BaseURL
// pointing at it, so that WebSub hubs can call back. It returns the server's URL.
func setupWithServer(t *testing.T) (*testBundle, string) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	baseURL := "http://" + srv.Listener.Addr().String()
	b := setupWith(t, func(cfg *jobs.Config) { cfg.BaseURL = baseURL })
	srv.Config.Handler = podhttp.NewServer(podhttp.Config{BaseURL: baseURL, Registry: prometheus.NewRegistry()},
		b.store, b.index, b.service, slog.New(slog.DiscardHandler))
	srv.Start()
	t.Cleanup(srv.Close)
	return b, baseURL
}
