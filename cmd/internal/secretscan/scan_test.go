package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestRun feeds the scanner a test run that logged secrets: each is reported and the run
// fails; a clean run of passing tests passes and prints only the package results.
func TestRun(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"TYPESENSE_API_KEY": "tk-0123456789", "METRICS_TOKEN": "short",
		"DATABASE_URL": "postgres://hark:dbpass-xyz@db/hark", "TEST_DATABASE_URL": "host=db password=kwpass-xyz",
	}
	secrets := secretsFromEnv(func(k string) string { return env[k] })
	key := strings.Repeat("ab12", 12)
	leaky := strings.Join([]string{
		`{"Action":"run","Package":"hark/x","Test":"TestA"}`,
		`{"Action":"output","Package":"hark/x","Test":"TestA","Output":"level=INFO msg=Start key=tk-0123456789\n"}`,
		`{"Action":"output","Package":"hark/x","Test":"TestA","Output":"dsn=postgres://hark:dbpass-xyz@db\n"}`,
		`{"Action":"output","Package":"hark/x","Test":"TestA","Output":"conn password=kwpass-xyz\n"}`,
		`{"Action":"output","Package":"hark/x","Test":"TestA","Output":"X-ListenAPI-Key: ` + key + `\n"}`,
		`{"Action":"output","Package":"hark/x","Test":"TestA","Output":"hub secret=s3cr3t-hook\n"}`,
		`{"Action":"pass","Package":"hark/x","Test":"TestA"}`,
		`{"Action":"output","Package":"hark/x","Output":"ok  \thark/x\t0.1s\n"}`,
	}, "\n")
	var out bytes.Buffer
	if code := run(strings.NewReader(leaky), &out, secrets); code != 1 {
		t.Errorf("run on a leaky log = %d; want 1\n%s", code, out.String())
	}
	for _, what := range []string{"TYPESENSE_API_KEY", "the password of DATABASE_URL", "the password of TEST_DATABASE_URL", "an API key (48 hex digits)", "the fixtures' secret s3cr3t"} {
		if !strings.Contains(out.String(), what+" appears in the output of hark/x TestA") {
			t.Errorf("no report of %s in:\n%s", what, out.String())
		}
	}
	if strings.Contains(out.String(), "short") {
		t.Error("a secret under 8 bytes was scanned for")
	}

	clean := strings.Join([]string{
		`{"Action":"output","Package":"hark/x","Test":"TestB","Output":"body hash 0123456789abcdef, sha256 ` + strings.Repeat("a", 64) + `\n"}`,
		`{"Action":"pass","Package":"hark/x","Test":"TestB"}`,
		`{"Action":"output","Package":"hark/x","Output":"PASS\n"}`,
		`{"Action":"output","Package":"hark/x","Output":"ok  \thark/x\t0.1s\n"}`,
	}, "\n")
	out.Reset()
	if code := run(strings.NewReader(clean), &out, secrets); code != 0 || !strings.HasPrefix(out.String(), "ok  \thark/x") {
		t.Errorf("run on a clean log = %d; want 0 and the package line first:\n%s", code, out.String())
	}
}

// TestRunPrintsFailures: a failed test's output is printed, and the run fails.
func TestRunPrintsFailures(t *testing.T) {
	t.Parallel()
	log := `{"Action":"output","Package":"hark/x","Test":"TestC","Output":"    x_test.go:9: got 1\n"}` + "\n" +
		`{"Action":"fail","Package":"hark/x","Test":"TestC"}`
	var out bytes.Buffer
	if code := run(strings.NewReader(log), &out, nil); code != 1 || !strings.Contains(out.String(), "x_test.go:9: got 1") {
		t.Errorf("run = %d, output %q; want 1 and the failure", code, out.String())
	}
	build := `{"ImportPath":"hark/y","Action":"build-output","Output":"y.go:3:1: syntax error\n"}` + "\n" +
		`{"ImportPath":"hark/y","Action":"build-fail"}`
	out.Reset()
	if code := run(strings.NewReader(build), &out, nil); code != 1 || !strings.Contains(out.String(), "y.go:3:1: syntax error") {
		t.Errorf("run on a build failure = %d, output %q; want 1 and the compiler's message", code, out.String())
	}
}
