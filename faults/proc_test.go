//go:build faults

package faults

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// harkBin is the hark binary TestMain builds for the suite.
var harkBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "harkfaults")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	harkBin = filepath.Join(dir, "hark")
	build := exec.Command("go", "build", "-o", harkBin, "hark/cmd/hark")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build hark:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is a child process of the suite: killed when the test ends, and when the suite itself
// dies (Pdeathsig), so that a failed or interrupted run leaves nothing behind.
type proc struct {
	t      *testing.T
	name   string
	cmd    *exec.Cmd
	log    string
	exited chan struct{}
}

// start runs name with args and env (added to the suite's own), its output in a log file that
// the test prints when it fails.
func start(t *testing.T, name string, env []string, args ...string) *proc {
	t.Helper()
	return startCred(t, nil, name, env, args...)
}

// startCred is start as the user cred names (nil: the suite's own).
func startCred(t *testing.T, cred *syscall.Credential, name string, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, name: name, log: filepath.Join(t.TempDir(), "proc.log")}
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err == nil && cred != nil {
		err = os.Chown(p.log, int(cred.Uid), int(cred.Gid))
	}
	if err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command(name, args...)
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = f, f
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Credential: cred}
	if err := p.cmd.Start(); err != nil {
		f.Close()
		t.Fatalf("start %s: %v", name, err)
	}
	p.exited = make(chan struct{})
	go func() { _ = p.cmd.Wait(); f.Close(); close(p.exited) }()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("%s %s log (last 40 lines):\n%s", name, strings.Join(args, " "), tail(p.log, 40))
		}
	})
	return p
}

// kill sends SIGKILL, as a crash or the OOM killer would, and waits for the process to exit.
func (p *proc) kill() { p.signal(syscall.SIGKILL) }

// signal sends sig and waits up to a minute for the process to exit.
func (p *proc) signal(sig syscall.Signal) {
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.exited:
	case <-time.After(time.Minute):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitHTTP waits until url answers 200.
func waitHTTP(t *testing.T, url string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer 200 within %s (last error %v)", url, timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
