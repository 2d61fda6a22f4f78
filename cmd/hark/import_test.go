package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hark/db/dbtest"
)

// TestImportURLsKeepsGoingAndSummarises: bad lines never stop an import; the summary counts
// added, known and rejected URLs with reasons.
func TestImportURLsKeepsGoingAndSummarises(t *testing.T) {
	t.Parallel()
	_, dbURL := dbtest.NewSchemaURL(t)
	dir := t.TempDir()
	list := filepath.Join(dir, "feeds.txt")
	content := "# my feeds\nhttps://example.com/a.xml\n\nftp://example.com/b.xml\nhttps://EXAMPLE.com/a.xml/\nnot a url at all\nhttps://example.org/c.rss\n"
	if err := os.WriteFile(list, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DATABASE_URL": dbURL, "TYPESENSE_API_KEY": "unused-by-import"}
	var out, progress bytes.Buffer
	if err := run(context.Background(), []string{"import", "urls", list}, func(n string) string { return env[n] }, &out, &progress); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "added 2, already known 1, rejected 2") {
		t.Fatalf("summary:\n%s\nwant added 2, already known 1, rejected 2", got)
	}
	for _, bad := range []string{"ftp://example.com/b.xml", "not a url at all"} {
		if !strings.Contains(got, bad) {
			t.Errorf("summary does not name the rejected %q:\n%s", bad, got)
		}
	}
	if !strings.Contains(progress.String(), "importing feeds") {
		t.Errorf("no progress bar on stderr: %q", progress.String())
	}
}

func TestImportOPMLReadsNestedOutlines(t *testing.T) {
	t.Parallel()
	opml := `<?xml version="1.0"?><opml version="2.0"><body>
	  <outline text="Tech"><outline type="rss" text="A" xmlUrl="https://a.example/feed"/>
	  <outline text="B" xmlUrl=" https://b.example/rss "/></outline>
	  <outline text="no feed here"/></body></opml>`
	urls, err := readOPML(strings.NewReader(opml))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(urls, " ") != "https://a.example/feed https://b.example/rss" {
		t.Fatalf("readOPML = %q", urls)
	}
	if _, err := readOPML(strings.NewReader("<html><body>nothing</body></html>")); err == nil {
		t.Fatal("readOPML accepted a file with no feeds")
	}
}
