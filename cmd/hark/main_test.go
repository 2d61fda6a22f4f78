package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"hark/cmd/internal/app"
	"hark/db/dbtest"
)

// TestHelpListsEveryVariable: `hark help` lists every variable of the table with its default.
func TestHelpListsEveryVariable(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"help"}, func(string) string { return "" }, &out, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	for _, v := range app.Vars {
		want := "(unset by default)"
		if v.Default != "" {
			want = "(default " + v.Default + ")"
		}
		i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(strings.TrimSpace(l), v.Name+" ") })
		if i < 0 {
			t.Errorf("hark help does not list %s", v.Name)
		} else if !strings.Contains(lines[i], want) {
			t.Errorf("hark help lists %s as %q; want it to say %s", v.Name, lines[i], want)
		}
	}
}

// TestConfigErrorsNameTheVariable: hark refuses a bad value before it starts, naming the variable.
func TestConfigErrorsNameTheVariable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, variable, value string
	}{
		{"bad bool", "CRAWL_ALLOW_LOOPBACK", "maybe"},
		{"bad duration", "CRAWL_TIMEOUT", "soon"},
		{"bad number", "CRAWL_WORKERS", "-3"},
		{"bad format", "LOG_FORMAT", "xml"},
		{"bad level", "LOG_LEVEL", "loud"},
		{"bad base url", "BASE_URL", "localhost:8080"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{tt.variable: tt.value, "TYPESENSE_API_KEY": "k"}
			var out bytes.Buffer
			err := run(context.Background(), []string{"serve"}, func(name string) string { return env[name] }, &out, &out)
			if err == nil || !strings.Contains(userMessage(err), tt.variable) {
				t.Fatalf("hark serve with %s=%q: error %v; want one naming %s", tt.variable, tt.value, err, tt.variable)
			}
		})
	}
}

func TestServeRefusesUnmigratedDatabase(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	env := map[string]string{"DATABASE_URL": url + sep + "search_path=unmigrated_nowhere", "TYPESENSE_API_KEY": "k"}
	var out bytes.Buffer
	err := run(context.Background(), []string{"serve", "-addr", "127.0.0.1:0"}, func(n string) string { return env[n] }, &out, &out)
	if err == nil || !strings.Contains(userMessage(err), "hark migrate") {
		t.Fatalf("serve on an unmigrated database: %v; want a message that says to run `hark migrate`", err)
	}
}

// TestServeStartupLogHidesSecrets: `hark serve` logs its configuration as it starts, before
// it connects; neither that log nor the error when Postgres is unreachable shows a password,
// whichever form DATABASE_URL is written in, nor the API key or operator password.
func TestServeStartupLogHidesSecrets(t *testing.T) {
	t.Parallel()
	for _, dsn := range []string{
		"postgres://hark:s3cr3t@127.0.0.1:1/hark?connect_timeout=2",
		"postgres://hark@127.0.0.1:1/hark?password=s3cr3t&connect_timeout=2",
		"host=127.0.0.1 port=1 user=hark password='s3cr3t' dbname=hark connect_timeout=2",
	} {
		for _, format := range []string{"text", "json"} {
			env := map[string]string{
				"DATABASE_URL": dsn, "TYPESENSE_API_KEY": "s3cr3t-key", "METRICS_TOKEN": "s3cr3t-metrics", "LOG_FORMAT": format,
			}
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), []string{"serve", "-addr", "127.0.0.1:0"}, func(n string) string { return env[n] }, &stdout, &stderr)
			if err == nil {
				t.Fatalf("serve on %s: started; want it to fail to connect", dsn)
			}
			if !strings.Contains(stderr.String(), "Starting Hark") {
				t.Fatalf("serve logged no start-up line:\n%s", stderr.String())
			}
			if strings.Contains(stderr.String(), "s3cr3t") || strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("a secret shows with DATABASE_URL=%s, LOG_FORMAT=%s:\nlog: %s\nerror: %v", dsn, format, stderr.String(), err)
			}
		}
	}
}
