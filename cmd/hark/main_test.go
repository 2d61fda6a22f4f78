package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"hark/db/dbtest"
)

func TestHelpListsEveryVariable(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"help"}, func(string) string { return "" }, &out, &out); err != nil {
		t.Fatal(err)
	}
	for _, v := range envVars {
		if !strings.Contains(out.String(), v.name) {
			t.Errorf("hark help does not mention %s", v.name)
		}
	}
}

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
			_, err := loadConfig(func(name string) string {
				switch name {
				case tt.variable:
					return tt.value
				case "TYPESENSE_API_KEY":
					return "k"
				}
				return ""
			})
			if err == nil || !strings.Contains(err.Error(), tt.variable) {
				t.Fatalf("loadConfig with %s=%q: error %v; want one naming %s", tt.variable, tt.value, err, tt.variable)
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

func TestOperatorViewsNeedThePassword(t *testing.T) {
	t.Parallel()
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "jobs") })
	h := operatorOnly("s3cret", inner)
	for _, tt := range []struct {
		name string
		pass string
		want int
	}{{"no password", "", http.StatusUnauthorized}, {"wrong password", "nope", http.StatusUnauthorized}, {"right password", "s3cret", http.StatusOK}} {
		req := httptest.NewRequest("GET", "/riverui/", nil)
		if tt.pass != "" {
			req.SetBasicAuth("operator", tt.pass)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tt.want {
			t.Errorf("%s: status %d; want %d", tt.name, rec.Code, tt.want)
		}
	}
	rec := httptest.NewRecorder()
	operatorOnly("", inner).ServeHTTP(rec, httptest.NewRequest("GET", "/riverui/", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("without OPS_PASSWORD set: status %d; want the view open (200)", rec.Code)
	}
}
