package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
)

// secret is a value that must not appear in the output, and the words that name it.
type secret struct{ value, what string }

// fixtureSecret is the secret the tests' fixtures use (passwords, keys): a test that sets a
// secret of its own puts it in the value, so the scan finds it wherever it leaks.
const fixtureSecret = "s3cr3t"

// minSecretLen keeps a short value (a local "k" key) from matching everywhere.
const minSecretLen = 8

// apiKeyShape matches a whole Hark API key (db.CreateAPIKey: 24 random bytes in hex).
var apiKeyShape = regexp.MustCompile(`(^|[^0-9a-fA-F])[0-9a-f]{48}($|[^0-9a-fA-F])`)

// secretsFromEnv collects the secrets of the environment the tests ran with.
func secretsFromEnv(getenv func(string) string) []secret {
	secrets := []secret{{fixtureSecret, "the fixtures' secret " + fixtureSecret}}
	add := func(v, what string) {
		if len(v) >= minSecretLen {
			secrets = append(secrets, secret{v, what})
		}
	}
	add(getenv("TYPESENSE_API_KEY"), "TYPESENSE_API_KEY")
	add(getenv("METRICS_TOKEN"), "METRICS_TOKEN")
	for _, name := range []string{"DATABASE_URL", "TEST_DATABASE_URL"} {
		if cfg, err := pgx.ParseConfig(getenv(name)); err == nil {
			add(cfg.Password, "the password of "+name)
		}
	}
	return secrets
}

// event is one line of `go test -json`.
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// result is what summarize found.
type result struct {
	lines  int
	failed bool
	hits   []hit
}

// hit is a secret found, and the package or test whose output held it.
type hit struct{ what, where string }

// summarize prints package results and failed tests' output from the events in r, and scans
// every output line for secrets (each secret reported once a test).
func summarize(r io.Reader, w io.Writer, secrets []secret) (result, error) {
	var res result
	buffered := map[string][]string{} // output of running tests, printed if they fail
	seen := map[hit]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Fprintln(w, sc.Text()) // not an event: a build error or a stray line
			continue
		}
		where := strings.TrimSpace(e.Package + " " + e.Test)
		switch e.Action {
		case "output":
			res.lines++
			for _, h := range scanLine(e.Output, where, secrets) {
				if !seen[h] {
					seen[h] = true
					res.hits = append(res.hits, h)
				}
			}
			if e.Test == "" {
				printPackageLine(w, e.Output)
			} else {
				buffered[where] = append(buffered[where], e.Output)
			}
		case "fail":
			res.failed = true
			if e.Test != "" {
				fmt.Fprint(w, strings.Join(buffered[where], ""))
			}
			delete(buffered, where)
		case "pass", "skip":
			delete(buffered, where)
		case "build-output": // compiler errors, since go1.24 events of their own
			fmt.Fprint(w, e.Output)
		case "build-fail":
			res.failed = true
		}
	}
	return res, sc.Err()
}

// printPackageLine prints a package's own lines (ok, FAIL, panics) but not the bare PASS that
// -json adds after each package.
func printPackageLine(w io.Writer, line string) {
	if t := strings.TrimSpace(line); t != "PASS" && !strings.HasPrefix(t, "=== ") {
		fmt.Fprint(w, line)
	}
}

// scanLine returns the secrets in one line of output.
func scanLine(line, where string, secrets []secret) []hit {
	var hits []hit
	for _, s := range secrets {
		if strings.Contains(line, s.value) {
			hits = append(hits, hit{s.what, where})
		}
	}
	if apiKeyShape.MatchString(line) {
		hits = append(hits, hit{"an API key (48 hex digits)", where})
	}
	return hits
}
