package hark

import (
	"runtime/debug"
	"sync"
)

// Version is the release Hark was built as, set at link time:
//
//	go build -ldflags "-X hark.Version=v1.4.0" ./cmd/hark
//
// When it is empty, Release reads the revision Go stamps into binaries built in a checkout.
var Version string

// Release names the build running: Version when set, else the VCS revision (short, with
// "-dirty" when the checkout had changes), else "dev". Recorded errors carry it, so an operator
// sees which deploy brought an error in.
func Release() string { return release() }

var release = sync.OnceValue(func() string {
	if Version != "" {
		return Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
})
