package feed

import (
	"bufio"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"hark/internal/sharedtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// sharedFeeds is where the feed fixtures live in the shared folder.
const sharedFeeds = "fixtures/feeds"

// fixtureFeedURL stands in for the URL a fixture was fetched from.
const fixtureFeedURL = "https://example.com/podcasts/feed.xml"

// feedsDir returns the shared fixtures folder. When it is absent it skips the test, or fails it
// under `make test`.
func feedsDir(t testing.TB) string {
	t.Helper()
	return filepath.Dir(sharedtest.Path(t, sharedFeeds+"/MANIFEST.tsv"))
}

// fixtureFiles lists the .xml files of one fixture folder ("real" or "broken").
func fixtureFiles(t testing.TB, kind string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(feedsDir(t), kind, "*.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in ../shared/%s/%s: %v", sharedFeeds, kind, err)
	}
	return files
}

// manifestRow is what the tests use of one MANIFEST.tsv line.
type manifestRow struct {
	episodes int    // episodes_count: the <item>/<entry> elements in the file
	feedURL  string // the "original feed URL" from the notes, else fixtureFeedURL
}

// originalURLPattern finds the feed URL a capture was taken from in the manifest notes.
var originalURLPattern = regexp.MustCompile(`original feed URL: (\S+?);?(?:\s|$)`)

// readManifest reads MANIFEST.tsv, keyed by fixture path ("real/x.xml").
func readManifest(t testing.TB) map[string]manifestRow {
	t.Helper()
	f, err := os.Open(filepath.Join(feedsDir(t), "MANIFEST.tsv"))
	if err != nil {
		t.Fatalf("open manifest: %v", err)
	}
	defer f.Close()
	rows := map[string]manifestRow{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 0; sc.Scan(); line++ {
		cols := strings.Split(sc.Text(), "\t")
		if line == 0 || len(cols) < 6 {
			continue
		}
		n, err := strconv.Atoi(cols[5])
		if err != nil {
			t.Fatalf("manifest line %d: episodes_count %q: %v", line+1, cols[5], err)
		}
		row := manifestRow{episodes: n, feedURL: fixtureFeedURL}
		if m := originalURLPattern.FindStringSubmatch(strings.Join(cols[6:], " ")); m != nil {
			row.feedURL = m[1]
		}
		rows[cols[0]] = row
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read manifest: %v", err)
	}
	return rows
}

// readFixture reads a fixture file.
func readFixture(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return b
}

// fixtureName returns a fixture's file name without ".xml".
func fixtureName(path string) string {
	return strings.TrimSuffix(filepath.Base(path), ".xml")
}
