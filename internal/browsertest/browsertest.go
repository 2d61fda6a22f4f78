// Package browsertest runs pages in a real headless Chromium for end-to-end tests, with chromedp:
// a fresh browser profile per test, the page's errors and Content-Security-Policy reports
// collected, screenshots saved under .data/screenshots/, broken images found and axe-core's
// accessibility checks. `make test` installs Chromium and axe-core with scripts/chromium.sh.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"hark/internal/sharedtest"
)

// Browser is one headless Chromium with one tab, and what the pages reported.
type Browser struct {
	Ctx context.Context // the tab: pass it to chromedp.Run

	mu       sync.Mutex
	problems []string // uncaught exceptions and CSP violations
}

// chromiumPath finds Debian's chromium (or HARK_CHROMIUM).
func chromiumPath() string {
	if p := os.Getenv("HARK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Start starts Chromium for t, closed when t ends. Without a Chromium the test fails under
// `make test` (HARK_REQUIRE_SERVICES) and skips elsewhere.
func Start(t *testing.T) *Browser {
	t.Helper()
	bin := chromiumPath()
	if bin == "" {
		sharedtest.Missing(t, "no chromium on PATH; scripts/chromium.sh installs it")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &Browser{}
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(b.observe))
	b.Ctx = ctx
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("true")); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("start chromium (%s): %v", bin, err)
	}
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	return b
}

// observe keeps the exceptions pages throw and the CSP violations Chromium logs.
func (b *Browser) observe(ev any) {
	var msg string
	switch e := ev.(type) {
	case *runtime.EventExceptionThrown:
		msg = "exception: " + e.ExceptionDetails.Text
		if e.ExceptionDetails.Exception != nil {
			msg += " " + e.ExceptionDetails.Exception.Description
		}
	case *log.EventEntryAdded:
		if !strings.Contains(e.Entry.Text, "Content Security Policy") {
			return
		}
		msg = "CSP: " + e.Entry.Text
	default:
		return
	}
	b.mu.Lock()
	b.problems = append(b.problems, msg)
	b.mu.Unlock()
}

// Problems returns the exceptions and CSP violations seen since the last call.
func (b *Browser) Problems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.problems
	b.problems = nil
	return p
}

// Do runs actions in the tab within timeout, failing t on an error.
func (b *Browser) Do(t *testing.T, timeout time.Duration, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// Eval evaluates a JavaScript expression in the page, awaiting a promise, into a T.
func Eval[T any](t *testing.T, b *Browser, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("browser: evaluate %.80q: %v", expr, err)
	}
	return v
}

// WaitFor polls a JavaScript condition until it is true, failing t after timeout with what.
func (b *Browser) WaitFor(t *testing.T, timeout time.Duration, cond, what string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if Eval[bool](t, b, "!!("+cond+")") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("browser: after %v, still not %s (%s)", timeout, what, cond)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Screenshot saves the page as .data/screenshots/<name>.png in the checkout.
func (b *Browser) Screenshot(t *testing.T, name string) {
	t.Helper()
	root, err := sharedtest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, ".data", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(b.Ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// brokenImagesJS loads every image now (lazy ones too) and lists those that failed.
const brokenImagesJS = `(async () => {
  const imgs = [...document.images];
  imgs.forEach((i) => { i.loading = "eager"; });
  await Promise.all(imgs.map((i) => i.complete ? null : new Promise((ok) => {
    i.addEventListener("load", ok); i.addEventListener("error", ok); setTimeout(ok, 5000);
  })));
  return imgs.filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.currentSrc || i.src);
})()`

// CheckImages fails t for every image of the page that did not load, and returns how many
// images the page has.
func (b *Browser) CheckImages(t *testing.T, page string) int {
	t.Helper()
	for _, src := range Eval[[]string](t, b, brokenImagesJS) {
		t.Errorf("%s: broken image %s", page, src)
	}
	return Eval[int](t, b, "document.images.length")
}

// axeResult is what axe.run reports of one rule that failed.
type axeResult struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// CheckAccessibility runs axe-core on the page and fails t for each serious or critical
// violation. axe-core comes from HARK_AXE_JS, or .data/axe as scripts/chromium.sh installs it.
func (b *Browser) CheckAccessibility(t *testing.T, page string) {
	t.Helper()
	path := os.Getenv("HARK_AXE_JS")
	if path == "" {
		root, _ := sharedtest.ModuleRoot()
		path = filepath.Join(root, ".data", "axe", "node_modules", "axe-core", "axe.min.js")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		sharedtest.Missing(t, "axe-core not installed (%v); scripts/chromium.sh installs it", err)
	}
	Eval[bool](t, b, string(src)+";\ntrue")
	found := Eval[[]axeResult](t, b, `axe.run(document, {resultTypes: ["violations"]}).then((r) => r.violations)`)
	for _, v := range found {
		if v.Impact == "serious" || v.Impact == "critical" {
			var where []string
			for _, n := range v.Nodes {
				where = append(where, fmt.Sprint(n.Target...))
			}
			t.Errorf("%s: accessibility (%s) %s: %s at %s", page, v.Impact, v.ID, v.Help, strings.Join(where, ", "))
		}
	}
}
