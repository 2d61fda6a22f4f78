//go:build faults

package faults

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"hark/search/searchtest"
)

// TestTypesenseDiskFull is case 6: Typesense's data folder on a tmpfs too small for the
// catalogue, so imports fail with the disk full; then the tmpfs is grown (remounted larger, the
// space back) and the index must catch up. Mounting needs root, as CI runs; elsewhere the case
// skips, saying why.
func TestTypesenseDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs for Typesense's data needs root")
	}
	r := newRig(t, 46)
	r.ts.Kill()
	dir := r.ts.DataDir()
	mount(t, "-t", "tmpfs", "-o", "size=64m,mode=0700", "tmpfs", dir)
	t.Cleanup(func() { r.ts.Kill(); mount(t, "-l", dir) }) // runs before the server's own cleanup
	r.ts.Start()
	if err := r.ts.WaitHealthy(searchtest.StartTimeout); err != nil {
		t.Fatal(err)
	}
	// Leave room for the server's own start-up writes only: the catalogue's documents cannot fit.
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	used := (st.Blocks - st.Bfree) * uint64(st.Bsize)
	mount(t, "-o", fmt.Sprintf("remount,size=%dk", used/1024+256), dir)
	t.Logf("typesense data on a tmpfs of %d KB, %d KB used", used/1024+256, used/1024)
	h := r.serve()
	r.submit(h)
	// Typesense answers a write it cannot store with 503 "Not Ready or Lagging" (its raft log
	// cannot grow); its own log says why. Hark's index jobs log that answer and retry.
	r.waitLog(h, "typesense answered 503", time.Minute)
	ok, summary := r.exact(t.Context())
	t.Logf("disk full: %s", summary)
	if ok {
		t.Fatal("the catalogue fit on the small disk: nothing was tested")
	}
	mount(t, "-o", "remount,size=512m", dir)
	cleared := time.Now()
	if err := r.ts.WaitHealthy(time.Minute); err != nil {
		t.Logf("typesense not healthy a minute after the space came back; restarting it: %v", err)
		r.ts.Kill()
		r.ts.Start()
		if err := r.ts.WaitHealthy(searchtest.StartTimeout); err != nil {
			t.Fatal(err)
		}
	}
	r.waitExact(cleared, 2*recoveryTarget) // no target of its own: Typesense must be restarted first
}

// mount runs mount (umount when args are "-l", dir) and fails the test when it fails.
func mount(t *testing.T, args ...string) {
	t.Helper()
	name := "mount"
	if args[0] == "-l" {
		name = "umount"
	}
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v %s", name, strings.Join(args, " "), err, out)
	}
}

// waitLog waits until h's log holds text (any case): the clear error a fault should leave.
func (r *rig) waitLog(h *hark, text string, timeout time.Duration) {
	r.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		b, _ := os.ReadFile(h.log)
		if i := strings.Index(strings.ToLower(string(b)), text); i >= 0 {
			line := string(b)[strings.LastIndexByte(string(b[:i]), '\n')+1:]
			line, _, _ = strings.Cut(line, "\n")
			r.t.Logf("hark logged: %.400s", line)
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("no %q in hark's log after %s", text, timeout)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
