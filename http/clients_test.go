package http_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOfficialClients runs every Listen API operation through the official clients, unchanged,
// against Hark's server on a real port, with their base URL pointed at it: PyPI podcast-api (all
// 31 operations) and npm podcast-api (the 25 it has). Each call's answer is checked for the data
// the fixture holds, not only for success. scripts/clients.sh installs the clients and names
// their folder in HARK_CLIENTS_DIR (`make test` runs it); without it the test skips.
//
// The official Go client is not on the Go module proxy; its one demand of the server that the
// others do not make, X-ListenAPI-NextBillingDate in its layout, is checked on every answer here.
func TestOfficialClients(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("HARK_CLIENTS_DIR")
	if dir == "" {
		t.Skip("HARK_CLIENTS_DIR is not set: run scripts/clients.sh, which installs the official clients, or make test")
	}
	b := setup(t, setupOpts{requireKey: true})
	f := newContractFixture(t, b)
	srv := httptest.NewServer(b.srv)
	t.Cleanup(srv.Close)
	calls := clientCalls(f)

	clients := []struct {
		name string
		cmd  []string
		env  []string
		ops  int // operations the client has
	}{
		{"python", []string{filepath.Join(dir, "py", "bin", "python"), "testdata/clients/listen_py.py"}, nil, 31},
		{"javascript", []string{"node", "testdata/clients/listen_js.js"}, []string{"NODE_PATH=" + filepath.Join(dir, "js", "node_modules")}, 25},
	}
	for i, c := range clients {
		t.Run(c.name, func(t *testing.T) {
			// One client at a time: both write to the same fixture (playlists, deletions).
			out := runClient(t, c.cmd, c.env, srv.URL+"/api/v2", b.key, calls)
			if out.Operations != c.ops {
				t.Errorf("%s client has %d operations, want %d", out.Client, out.Operations, c.ops)
			}
			checkClientResults(t, calls, out.Results, i == 0)
		})
	}
}

// clientRun is what a driver in testdata/clients prints.
type clientRun struct {
	Client     string         `json:"client"`
	Operations int            `json:"operations"`
	Results    []clientResult `json:"results"`
}

type clientResult struct {
	Name    string         `json:"name"`
	Status  int            `json:"status"`
	Data    any            `json:"data"`
	Headers map[string]any `json:"headers"`
	Error   string         `json:"error"`
}

// runClient runs a driver on the plan of calls and returns what it printed.
func runClient(t *testing.T, cmdline, env []string, base, key string, calls []clientCall) clientRun {
	t.Helper()
	plan, err := json.Marshal(map[string]any{"base": base, "key": key, "calls": calls})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(path, plan, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(cmdline[0], append(cmdline[1:], path)...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmdline, " "), err, stderr.String())
	}
	var out clientRun
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("driver output is not JSON: %v\n%s", err, stdout.String())
	}
	return out
}

// checkClientResults checks each call's result. A client without an operation must say so
// (NoSuchOperation); every client must have all when all is set.
func checkClientResults(t *testing.T, calls []clientCall, results []clientResult, all bool) {
	t.Helper()
	if len(results) != len(calls) {
		t.Fatalf("%d results for %d calls", len(results), len(calls))
	}
	for i, call := range calls {
		r := results[i]
		t.Run(call.Name, func(t *testing.T) {
			if r.Error == "NoSuchOperation" {
				if all {
					t.Fatalf("the client has no operation %s", call.Op)
				}
				t.Skipf("this client has no operation %s", call.Op)
			}
			want := call.status()
			if r.Status != want {
				t.Fatalf("status %d (error %q), want %d; data: %v", r.Status, r.Error, want, r.Data)
			}
			if want >= 400 {
				if r.Error == "" {
					t.Fatalf("the client raised no error for status %d", want)
				}
				return
			}
			checkBillingDate(t, r.Headers)
			data, ok := r.Data.(map[string]any)
			if !ok {
				t.Fatalf("data = %v, want a JSON object", r.Data)
			}
			call.check(t, data)
		})
	}
}

// checkBillingDate parses X-ListenAPI-NextBillingDate as the official Go client does.
func checkBillingDate(t *testing.T, headers map[string]any) {
	t.Helper()
	for k, v := range headers {
		if strings.EqualFold(k, "X-ListenAPI-NextBillingDate") {
			s, _ := v.(string)
			if _, err := time.Parse("2006-01-02T15:04:05.999999-07:00", s); err != nil {
				t.Errorf("X-ListenAPI-NextBillingDate %q does not parse as the Go client parses it: %v", s, err)
			}
			return
		}
	}
	t.Errorf("no X-ListenAPI-NextBillingDate in %v", headers)
}
