// Package tsserver starts Typesense servers that belong to one test, for tests that stop, kill
// or cluster them, and finds the shared server `make test` starts (Env). Packages outside search
// reach it through searchtest; the tests of search and its subpackages use it directly, because
// searchtest imports search.
//
// The binary is $TYPESENSE_BIN, else whatever scripts/install-typesense.sh prints (a
// typesense-server on PATH, or the cached official 0.24.1 build). When there is none the test
// skips on a developer's own run and fails under `make test` and CI (HARK_REQUIRE_SERVICES=1).
package tsserver

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"hark/internal/sharedtest"
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
		sharedtest.Missing(tb, "no Typesense binary (set TYPESENSE_BIN or run scripts/install-typesense.sh): %v", binErr)
	}
	return binPath
}

// install runs scripts/install-typesense.sh of the module the test runs in.
func install() (string, error) {
	dir, err := sharedtest.ModuleRoot()
	if err != nil {
		return "", err
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

// DataDir returns the server's data folder, for tests that put it on a file system of their
// own (a small one, to fill it). Change it only while the server is stopped.
func (s *Server) DataDir() string { return s.dataDir }

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
	// Killed with the test binary too, when a timeout or a signal ends it before its cleanups.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
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
