package main

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hark/internal/sharedtest"
)

// readmeBase is the address the README's examples name, as `make demo` serves them.
const readmeBase = "http://localhost:8080"

// TestReadmeExamples runs every example of the README (the curl commands, the site's URLs and
// the hark commands of "Try it") and every curl example of the API reference page against Hark
// serving `make demo`'s catalogue, and requires each to answer with results.
func TestReadmeExamples(t *testing.T) {
	t.Parallel()
	site := startDemoSite(t, demoShows)
	root, err := sharedtest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	curls, links, commands := readmeExamples(string(readme))
	if len(curls) == 0 || len(links) == 0 || len(commands) == 0 {
		t.Fatalf("found %d curl examples, %d links and %d hark commands in README.md; the parser is broken", len(curls), len(links), len(commands))
	}
	for _, c := range curls {
		runCurl(t, site, "README", c)
	}
	for _, l := range links {
		resp, err := http.Get(strings.Replace(l, readmeBase, site.base, 1))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("README link %s: %d", l, resp.StatusCode)
		}
	}
	env := map[string]string{"DATABASE_URL": site.dbURL, "TYPESENSE_URL": site.tsURL, "TYPESENSE_API_KEY": site.tsKey,
		"TYPESENSE_PREFIX": site.prefix}
	for _, c := range commands {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), c[1:], func(k string) string { return env[k] }, &out, &errOut); err != nil {
			t.Errorf("README command %q: %v\n%s", strings.Join(c, " "), err, errOut.String())
		}
	}

	// The API reference's examples, as a reader copies them from the page.
	resp, err := http.Get(site.base + "/docs/api")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	n := 0
	for _, m := range regexp.MustCompile(`(?s)<pre>(curl .*?)</pre>`).FindAllStringSubmatch(string(body), -1) {
		runCurl(t, site, "/docs/api", strings.Replace(html.UnescapeString(m[1]), site.base, readmeBase, -1))
		n++
	}
	if n < 10 {
		t.Errorf("found %d curl examples on /docs/api, want at least 10", n)
	}
}

// readmeExamples finds the curl commands and hark commands in the README's code blocks and the
// links to the local site in its text.
func readmeExamples(readme string) (curls []string, links []string, commands [][]string) {
	inCode := false
	for _, line := range strings.Split(readme, "\n") {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		if !inCode {
			for _, m := range regexp.MustCompile(`<(`+regexp.QuoteMeta(readmeBase)+`/[^>]*)>`).FindAllStringSubmatch(line, -1) {
				links = append(links, m[1])
			}
			continue
		}
		cmd, _, _ := strings.Cut(line, "#")
		switch f := shellWords(cmd); {
		case len(f) > 0 && f[0] == "curl" && strings.Contains(line, readmeBase):
			curls = append(curls, cmd)
		case len(f) > 2 && f[0] == "bin/hark" && f[1] == "podcasts":
			commands = append(commands, f)
		}
	}
	return curls, links, commands
}

// runCurl sends the request a curl command line describes, with the demo's key for $KEY and
// $HARK_KEY, to site, and checks that it answers 2xx with results.
func runCurl(t *testing.T, site *demoSite, where, cmd string) {
	t.Helper()
	cmd = strings.NewReplacer("$HARK_KEY", site.key, "$KEY", site.key).Replace(cmd)
	method, target, form, header := http.MethodGet, "", url.Values{}, http.Header{}
	words := shellWords(cmd)
	for i := 1; i < len(words); i++ {
		switch w := words[i]; w {
		case "-X":
			i++
			method = words[i]
		case "-H":
			i++
			k, v, _ := strings.Cut(words[i], ":")
			header.Set(k, strings.TrimSpace(v))
		case "--data", "-d", "--data-urlencode":
			i++
			k, v, _ := strings.Cut(words[i], "=")
			form.Add(k, v)
		default:
			target = strings.Replace(w, readmeBase, site.base, 1)
		}
	}
	var body io.Reader
	if len(form) > 0 {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatalf("%s example %q: %v", where, cmd, err)
	}
	req.Header = header
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Errorf("%s example %q: %d %s", where, cmd, resp.StatusCode, b)
		return
	}
	if empty := emptyAnswer(b); empty != "" {
		t.Errorf("%s example %q answers no results (%s): %.300s", where, cmd, empty, b)
	}
}

// emptyAnswer says what is empty in a JSON answer that should have results, or "".
func emptyAnswer(b []byte) string {
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		return "not a JSON object"
	}
	for _, k := range []string{"results", "terms", "podcasts", "episodes", "recommendations"} {
		if list, ok := v[k].([]any); ok && len(list) == 0 {
			return k
		}
	}
	if total, ok := v["total"].(float64); ok && total == 0 {
		return "total"
	}
	if len(v) == 0 {
		return "the object"
	}
	return ""
}

// shellWords splits a command line as a shell would, for the quoting examples use.
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	in, quote := false, rune(0)
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words
}
