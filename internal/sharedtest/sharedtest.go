// Package sharedtest finds the shared folder of test fixtures and contracts that sits beside the
// checkout (../shared), and decides what a test does when something it needs is missing: under
// `make test` and CI, which set HARK_REQUIRE_SERVICES=1, a missing folder or service is a
// failure, so a broken set-up cannot pass as skipped tests; on a developer's own run the test
// skips and says why.
package sharedtest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Required reports whether missing services and fixtures fail tests rather than skip them.
func Required() bool { return os.Getenv("HARK_REQUIRE_SERVICES") != "" }

// Missing fails the test under `make test` and CI and skips it otherwise, with the reason.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	reason := fmt.Sprintf(format, args...)
	if Required() {
		t.Fatal(reason + " (HARK_REQUIRE_SERVICES is set, so this fails rather than skips)")
	}
	t.Skip("skipping: " + reason)
}

// Path returns the path of rel inside the shared folder beside the checkout, for a test running
// in any package of the module. When rel does not exist, the test fails or skips (see Missing).
func Path(t testing.TB, rel string) string {
	t.Helper()
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, "..", "shared", rel)
	if _, err := os.Stat(path); err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		Missing(t, "../shared/%s is absent; `make test` and CI have the shared folder beside the checkout", rel)
	}
	return path
}

// ModuleRoot returns the nearest folder at or above the working directory (a test's package
// folder) that holds go.mod.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod at or above the test's folder")
		}
		dir = parent
	}
}
