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
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// sharedFeeds is where the shared feed fixtures live, relative to this package.
const sharedFeeds = "../../shared/fixtures/feeds"

// fixtureFeedURL stands in for the URL a fixture was fetched from.
const fixtureFeedURL = "https://example.com/podcasts/feed.xml"

// feedsDir returns the shared fixtures folder, skipping the test when it is absent.
func feedsDir(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(sharedFeeds, "MANIFEST.tsv")); err != nil {
		t.Skipf("shared fixtures not found at %s (the shared/ folder beside the repository); skipping", sharedFeeds)
	}
	return sharedFeeds
}

// fixtureFiles lists the .xml files of one fixture folder ("real" or "broken").
func fixtureFiles(t testing.TB, kind string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(feedsDir(t), kind, "*.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in %s/%s: %v", sharedFeeds, kind, err)
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
