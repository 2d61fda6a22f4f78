// Command secretscan reads the `go test -json` output of a whole test run, prints it as plain
// `go test` would (package results, and the output of failed tests), and fails when the output
// holds a secret: the Typesense key, database passwords and operator password of the run's
// environment, the test fixtures' conventional secret "s3cr3t", or anything shaped like a Hark
// API key (48 hex digits). Every line the tests and the code they ran logged is in that output,
// so a secret in a log line, an error message or a page a test printed fails `make test`.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: secretscan TEST-JSON-FILE")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "secretscan:", err)
		os.Exit(2)
	}
	defer f.Close()
	if code := run(f, os.Stdout, secretsFromEnv(os.Getenv)); code != 0 {
		os.Exit(code)
	}
}

// run prints the test results from r on w and reports every secret found: it returns 1 when
// a test failed or a secret showed, else 0.
func run(r io.Reader, w io.Writer, secrets []secret) int {
	res, err := summarize(r, w, secrets)
	if err != nil {
		fmt.Fprintln(w, "secretscan:", err)
		return 1
	}
	for _, h := range res.hits {
		fmt.Fprintf(w, "secretscan: %s appears in the output of %s\n", h.what, h.where)
	}
	if len(res.hits) > 0 {
		fmt.Fprintf(w, "secretscan: FAIL: %d secret(s) in the test output (%d lines read)\n", len(res.hits), res.lines)
		return 1
	}
	fmt.Fprintf(w, "secretscan: no secret in %d lines of test output (%d secret values and the API key shape checked)\n", res.lines, len(secrets))
	if res.failed {
		return 1
	}
	return 0
}
