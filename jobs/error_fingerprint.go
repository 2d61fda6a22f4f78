package jobs

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"

	"hark"
)

// fingerprintFrames is how many frames, from where the panic happened down, name its cause.
// The callers below them (the router, River's executor) are the same for every error.
const fingerprintFrames = 8

// ErrorFingerprint names the cause of ev, so that its occurrences group together: the function
// names of the top frames of its stack, from where it panicked (line numbers, addresses and
// arguments left out, so a release that moves the code keeps the group), or, for an error
// without a stack, where it happened and its message with numbers, IDs and quoted values taken
// out.
func ErrorFingerprint(ev hark.ErrorEvent) string {
	h := sha256.New()
	h.Write([]byte(ev.Kind + "\n"))
	if frames := stackFunctions(ev.Stack); len(frames) > 0 {
		h.Write([]byte(strings.Join(frames, "\n")))
	} else {
		h.Write([]byte(ev.Where + "\n" + normalizeMessage(ev.Message)))
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// stackFunctions returns the function names of stack, which is either what runtime/debug.Stack
// writes ("name(args)" lines, each followed by a tab-indented file:line) or River's panic trace
// (the same without arguments). It keeps the frames below the last panic, Go's runtime left out.
func stackFunctions(stack string) []string {
	var frames []string
	for line := range strings.SplitSeq(stack, "\n") {
		if line == "" || line[0] == '\t' || strings.HasPrefix(line, "goroutine ") || strings.HasPrefix(line, "created by ") {
			continue
		}
		if strings.HasSuffix(line, ")") {
			if i := strings.LastIndexByte(line, '('); i > 0 {
				line = line[:i]
			}
		}
		if line == "panic" || line == "runtime.gopanic" {
			frames = frames[:0] // what came before is the recovering code, not the cause
			continue
		}
		if strings.HasPrefix(line, "runtime.") || strings.HasPrefix(line, "runtime/") {
			continue
		}
		frames = append(frames, line)
	}
	return frames[:min(len(frames), fingerprintFrames)]
}

// volatile matches the parts of an error message that differ between occurrences of one cause.
var volatile = regexp.MustCompile(`"[^"]*"|[0-9a-f]{8,}|[0-9]+`)

func normalizeMessage(msg string) string { return volatile.ReplaceAllString(msg, "#") }
