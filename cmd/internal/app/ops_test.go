package app

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestWorkerOnlyServesOps: a worker-only process with OPS_ADDR answers the health checks and
// /metrics there, with the job metrics it alone holds, and nothing of the site or the API.
func TestWorkerOnlyServesOps(t *testing.T) {
	t.Parallel()
	a, _ := newTestApp(t, Opts{Work: true, Migrated: true}, nil)
	t.Cleanup(a.Close)
	a.Config.OpsAddr = "127.0.0.1:0"
	addr, stop, err := a.Start(context.Background(), false, true)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	}()
	if addr == "" {
		t.Fatal("no ops listener with OPS_ADDR set")
	}
	for path, want := range map[string]int{
		"/healthz": http.StatusOK, "/readyz": http.StatusOK, "/metrics": http.StatusOK,
		"/": http.StatusNotFound, "/api/v2/search?q=x": http.StatusNotFound,
	} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s on the ops listener: %d; want %d", path, resp.StatusCode, want)
		}
		if path == "/metrics" && !strings.Contains(string(body), `hark_dependency_up{dependency="postgres"}`) {
			t.Errorf("/metrics of a worker lacks hark_dependency_up:\n%.500s", body)
		}
	}
}
