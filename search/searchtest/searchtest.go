// Package searchtest starts Typesense servers that belong to one test, for tests that stop, kill
// or cluster them. Tests that only need an index use the shared server `make test` starts, with a
// prefix of their own.
//
// The binary is $TYPESENSE_BIN, else whatever scripts/install-typesense.sh prints (a
// typesense-server on PATH, or the cached official 0.24.1 build). When there is none the test
// skips on a developer's own run and fails under `make test` and CI (HARK_REQUIRE_SERVICES=1).
package searchtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Timeouts for a server to answer. A node alone is healthy in well under a second; a cluster
// elects its first leader after Raft's election timeout, 5-10s in Typesense 0.24.
const (
	StartTimeout  = 30 * time.Second
	LeaderTimeout = 60 * time.Second
	stopTimeout   = 10 * time.Second
)

// Raft states that /debug reports (braft's enum).
const (
	stateLeader   = 1
	stateFollower = 4
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// Binary returns the path of the typesense-server binary to run, skipping or failing tb when
// there is none.
func Binary(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv("TYPESENSE_BIN"); p != "" {
		return p
	}
	binOnce.Do(func() { binPath, binErr = install() })
	if binErr != nil {
		if os.Getenv("HARK_REQUIRE_SERVICES") != "" {
			tb.Fatalf("no Typesense binary (set TYPESENSE_BIN or run scripts/install-typesense.sh): %v", binErr)
		}
		tb.Skipf("skipping: no Typesense binary (set TYPESENSE_BIN or run scripts/install-typesense.sh): %v", binErr)
	}
	return binPath
}

// install runs scripts/install-typesense.sh of the module the test runs in.
func install() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the test's folder")
		}
		dir = parent
	}
	var stderr bytes.Buffer
	cmd := exec.Command("bash", filepath.Join(dir, "scripts", "install-typesense.sh"))
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("install-typesense.sh: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// Server is one Typesense process with a data folder, ports and API key of its own. It is stopped
// when the test ends, and its log is shown when the test failed.
type Server struct {
	APIKey      string
	APIPort     int
	PeeringPort int

	tb        testing.TB
	bin       string
	dataDir   string
	logPath   string
	nodesFile string // "" for a node alone

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed when the current process has exited
}

// Start starts a Typesense node alone and waits until it is healthy.
func Start(tb testing.TB) *Server {
	tb.Helper()
	s := newServers(tb, 1, false)[0]
	s.Start()
	if err := s.WaitHealthy(StartTimeout); err != nil {
		tb.Fatal(err)
	}
	return s
}

// Cluster is a Typesense Raft cluster whose nodes run on loopback.
type Cluster []*Server

// StartCluster starts n nodes as one Raft cluster (a shared nodes file of
// 127.0.0.1:<peering>:<api> entries) and waits until one is leader and all are healthy.
func StartCluster(tb testing.TB, n int) Cluster {
	tb.Helper()
	c := Cluster(newServers(tb, n, true))
	for _, s := range c {
		s.Start()
	}
	if _, err := c.WaitLeader(LeaderTimeout); err != nil {
		tb.Fatal(err)
	}
	return c
}

// URLs returns the nodes' API URLs.
func (c Cluster) URLs() []string {
	urls := make([]string, len(c))
	for i, s := range c {
		urls[i] = s.URL()
	}
	return urls
}

// WaitLeader waits until exactly one running node is leader and every running node is healthy,
// and returns the leader.
func (c Cluster) WaitLeader(timeout time.Duration) (*Server, error) {
	deadline := time.Now().Add(timeout)
	for {
		leader, err := c.leader()
		if err == nil {
			return leader, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("typesense cluster not ready after %s: %w", timeout, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (c Cluster) leader() (*Server, error) {
	var leader *Server
	for _, s := range c {
		if !s.Running() {
			continue
		}
		if !s.healthy() {
			return nil, fmt.Errorf("node %s is not healthy", s.URL())
		}
		switch st, err := s.raftState(); {
		case err != nil:
			return nil, err
		case st == stateLeader && leader != nil:
			return nil, errors.New("two leaders")
		case st == stateLeader:
			leader = s
		case st != stateFollower:
			return nil, fmt.Errorf("node %s is in raft state %d", s.URL(), st)
		}
	}
	if leader == nil {
		return nil, errors.New("no leader")
	}
	return leader, nil
}

// newServers prepares n servers on free ports, sharing a nodes file when clustered.
func newServers(tb testing.TB, n int, clustered bool) []*Server {
	tb.Helper()
	bin := Binary(tb)
	dir := tb.TempDir()
	ports := freePorts(tb, 2*n)
	var key [12]byte
	_, _ = rand.Read(key[:])
	servers := make([]*Server, n)
	var nodes []string
	for i := range servers {
		s := &Server{
			APIKey: hex.EncodeToString(key[:]), APIPort: ports[2*i], PeeringPort: ports[2*i+1],
			tb: tb, bin: bin, dataDir: filepath.Join(dir, "node"+strconv.Itoa(i)),
			logPath: filepath.Join(dir, "node"+strconv.Itoa(i)+".log"),
		}
		if err := os.MkdirAll(s.dataDir, 0o700); err != nil {
			tb.Fatal(err)
		}
		nodes = append(nodes, fmt.Sprintf("127.0.0.1:%d:%d", s.PeeringPort, s.APIPort))
		servers[i] = s
		tb.Cleanup(s.cleanup)
	}
	if clustered {
		nodesFile := filepath.Join(dir, "nodes")
		if err := os.WriteFile(nodesFile, []byte(strings.Join(nodes, ",")), 0o600); err != nil {
			tb.Fatal(err)
		}
		for _, s := range servers {
			s.nodesFile = nodesFile
		}
	}
	return servers
}

// freePorts returns n distinct loopback ports that were free a moment ago.
func freePorts(tb testing.TB, n int) []int {
	tb.Helper()
	ports := make([]int, n)
	for i := range ports {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		defer ln.Close() // held until all are chosen, so they differ
		ports[i] = ln.Addr().(*net.TCPAddr).Port
	}
	return ports
}

// URL returns the server's API URL.
func (s *Server) URL() string { return "http://127.0.0.1:" + strconv.Itoa(s.APIPort) }

// Start starts the process (again, after Kill or Stop, on the same data folder and ports). It does
// not wait for the server to be healthy; see WaitHealthy.
func (s *Server) Start() {
	s.tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		s.tb.Fatalf("typesense %s is running already", s.URL())
	}
	args := []string{
		"--data-dir", s.dataDir, "--api-key", s.APIKey,
		"--api-address", "127.0.0.1", "--api-port", strconv.Itoa(s.APIPort),
		"--peering-address", "127.0.0.1", "--peering-port", strconv.Itoa(s.PeeringPort),
	}
	if s.nodesFile != "" {
		args = append(args, "--nodes", s.nodesFile)
	}
	logFile, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		s.tb.Fatal(err)
	}
	cmd := exec.Command(s.bin, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		s.tb.Fatalf("start typesense: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(exited)
	}()
	s.cmd, s.exited = cmd, exited
}

// Running reports whether the process was started and has not exited.
func (s *Server) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return false
	}
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

// Kill stops the process at once with SIGKILL, as a crash would, and waits for it to exit.
func (s *Server) Kill() { s.signal(syscall.SIGKILL, stopTimeout) }

// Stop asks the process to shut down with SIGTERM and waits; after 10s it kills it.
func (s *Server) Stop() {
	if !s.signal(syscall.SIGTERM, stopTimeout) {
		s.Kill()
	}
}

// Freeze suspends the process with SIGSTOP, as a hung server: the kernel still accepts
// connections on its port, but nothing reads or answers them. Thaw resumes it; Kill and the
// test's cleanup work on a frozen process too.
func (s *Server) Freeze() { s.send(syscall.SIGSTOP) }

// Thaw resumes a frozen process with SIGCONT.
func (s *Server) Thaw() { s.send(syscall.SIGCONT) }

func (s *Server) send(sig syscall.Signal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		s.tb.Fatalf("typesense %s is not running", s.URL())
	}
	if err := s.cmd.Process.Signal(sig); err != nil {
		s.tb.Fatalf("signal typesense %s: %v", s.URL(), err)
	}
}

// signal sends sig and waits up to timeout for the process to exit, reporting whether it did.
func (s *Server) signal(sig syscall.Signal, timeout time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return true
	}
	_ = s.cmd.Process.Signal(sig)
	select {
	case <-s.exited:
		s.cmd = nil
		return true
	case <-time.After(timeout):
		return false
	}
}

// WaitHealthy waits until /health answers ok. It fails early when the process exits.
func (s *Server) WaitHealthy(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for !s.healthy() {
		s.mu.Lock()
		exited := s.exited
		s.mu.Unlock()
		select {
		case <-exited:
			return fmt.Errorf("typesense %s exited; its log:\n%s", s.URL(), s.logTail(20))
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("typesense %s not healthy after %s; its log:\n%s", s.URL(), timeout, s.logTail(20))
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

func (s *Server) healthy() bool {
	var body struct {
		OK bool `json:"ok"`
	}
	return s.get("/health", &body) == nil && body.OK
}

func (s *Server) raftState() (int, error) {
	var body struct {
		State int `json:"state"`
	}
	if err := s.get("/debug", &body); err != nil {
		return 0, err
	}
	return body.State, nil
}

func (s *Server) get(path string, v any) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-TYPESENSE-API-KEY", s.APIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s%s: %s", s.URL(), path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// logTail returns the last n lines of the server's log.
func (s *Server) logTail(n int) string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// cleanup kills the process: its data folder is thrown away, so a clean shutdown buys nothing,
// and a node whose cluster is gone can take long to stop.
func (s *Server) cleanup() {
	s.Kill()
	if s.tb.Failed() {
		s.tb.Logf("typesense %s log (last 30 lines):\n%s", s.URL(), s.logTail(30))
	}
}

// Env returns the address and API key of the Typesense server of the environment
// (TYPESENSE_URL, TYPESENSE_API_KEY), which `make test` starts and tests share, each with a
// collection prefix of its own. Without them the test is skipped on a developer's run and fails
// under `make test` and CI (HARK_REQUIRE_SERVICES=1).
func Env(tb testing.TB) (url, apiKey string) {
	tb.Helper()
	url, apiKey = os.Getenv("TYPESENSE_URL"), os.Getenv("TYPESENSE_API_KEY")
	if url == "" || apiKey == "" {
		if os.Getenv("HARK_REQUIRE_SERVICES") != "" {
			tb.Fatal("TYPESENSE_URL and TYPESENSE_API_KEY are not set; `make test` starts Typesense and sets them")
		}
		tb.Skip("TYPESENSE_URL or TYPESENSE_API_KEY is not set; run `make test` to test against a real Typesense")
	}
	return url, apiKey
}

// Call sends a request to the Typesense API at url (node address and path) with apiKey, body
// encoded as JSON when not nil, and decodes a 200 answer into out when not nil. It returns the
// status; tests use it to look at or change the index behind Hark's back.
func Call(tb testing.TB, method, url, apiKey string, body, out any) int {
	tb.Helper()
	var r bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&r).Encode(body); err != nil {
			tb.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, url, &r)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("X-TYPESENSE-API-KEY", apiKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			tb.Fatal(err)
		}
	}
	return resp.StatusCode
}
