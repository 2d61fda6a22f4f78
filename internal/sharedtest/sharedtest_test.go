package sharedtest

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB that records how a helper ended the test instead of ending it.
type recorder struct {
	testing.TB
	failed, skipped string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatal(args ...any) { r.failed = fmt.Sprint(args...); runtime.Goexit() }

func (r *recorder) Skip(args ...any) { r.skipped = fmt.Sprint(args...); runtime.Goexit() }

// run calls Path for a folder that is not there, on a goroutine of its own as the testing
// package would, since Fatal and Skip end the goroutine.
func run(t *testing.T) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Path(r, "no/such/folder")
	}()
	<-done
	return r
}

func TestPathFailsUnderMakeTestAndSkipsOtherwise(t *testing.T) {
	t.Setenv("HARK_REQUIRE_SERVICES", "1")
	if r := run(t); r.skipped != "" || !strings.Contains(r.failed, "../shared/no/such/folder is absent") {
		t.Errorf("with HARK_REQUIRE_SERVICES=1: failed %q, skipped %q; want a failure naming the folder", r.failed, r.skipped)
	}
	t.Setenv("HARK_REQUIRE_SERVICES", "")
	if r := run(t); r.failed != "" || !strings.Contains(r.skipped, "../shared/no/such/folder is absent") {
		t.Errorf("on a developer's run: failed %q, skipped %q; want a skip naming the folder", r.failed, r.skipped)
	}
}
