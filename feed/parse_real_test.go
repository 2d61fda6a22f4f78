package feed

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hark"
)

// goldenFeed is what a golden file records of a parsed feed: enough to notice a regression in
// any field that matters for search, few enough lines to check by eye.
type goldenFeed struct {
	Title        string         `json:"title"`
	Publisher    string         `json:"publisher"`
	Language     string         `json:"language"`
	ImageURL     string         `json:"image_url"`
	Categories   []string       `json:"categories"`
	PodcastGUID  string         `json:"podcast_guid"`
	EpisodeCount int            `json:"episode_count"`
	First        *goldenEpisode `json:"first_episode"`
	Last         *goldenEpisode `json:"last_episode"`
	Warnings     []string       `json:"warnings"`
}

// goldenEpisode is the recorded part of one episode.
type goldenEpisode struct {
	Title       string `json:"title"`
	GUID        string `json:"guid"`
	DurationSec int    `json:"duration_sec"`
	Date        string `json:"date"`
	Enclosure   string `json:"enclosure_url"`
}

func summarize(f *hark.Feed) goldenFeed {
	g := goldenFeed{
		Title:        f.Podcast.Title,
		Publisher:    f.Podcast.Publisher,
		Language:     f.Podcast.Language,
		ImageURL:     f.Podcast.ImageURL,
		Categories:   f.Podcast.Categories,
		PodcastGUID:  f.Podcast.PodcastGUID,
		EpisodeCount: len(f.Episodes),
		Warnings:     f.Warnings,
	}
	if n := len(f.Episodes); n > 0 {
		g.First, g.Last = summarizeEpisode(f.Episodes[0]), summarizeEpisode(f.Episodes[n-1])
	}
	return g
}

func summarizeEpisode(e hark.Episode) *goldenEpisode {
	g := &goldenEpisode{Title: e.Title, GUID: e.GUID, DurationSec: e.AudioLengthSec, Enclosure: e.AudioURL}
	if !e.PublishedAt.IsZero() {
		g.Date = e.PublishedAt.Format(time.RFC3339)
	}
	return g
}

// TestParseRealFeeds parses every real feed, checks its episode count against MANIFEST.tsv
// (which counts <item>/<entry> elements; no real feed repeats a guid, so de-duplication does not
// change the count) and compares a summary with testdata/golden/<name>.golden.
func TestParseRealFeeds(t *testing.T) {
	t.Parallel()
	manifest := readManifest(t)
	for _, path := range fixtureFiles(t, "real") {
		name := fixtureName(path)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			row, ok := manifest["real/"+name+".xml"]
			if !ok {
				t.Fatalf("%s is not in MANIFEST.tsv", name)
			}
			f, err := Parse(readFixture(t, path), row.feedURL)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(f.Episodes) != row.episodes {
				t.Errorf("%d episodes; MANIFEST.tsv says %d", len(f.Episodes), row.episodes)
			}
			checkSane(t, f)
			compareGolden(t, name, summarize(f))
		})
	}
}

// checkSane checks what must hold for any real feed: a title, episode GUIDs, plausible dates
// and durations, absolute enclosure URLs, no NUL bytes.
func checkSane(t *testing.T, f *hark.Feed) {
	t.Helper()
	if f.Podcast.Title == "" {
		t.Error("podcast has no title")
	}
	if f.Podcast.PodcastGUID == "" {
		t.Error("podcast has no podcast:guid")
	}
	oldest, newest := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, e := range f.Episodes {
		if e.GUID == "" {
			t.Errorf("episode %d has no GUID", i)
		}
		if !e.PublishedAt.IsZero() && (e.PublishedAt.Before(oldest) || e.PublishedAt.After(newest)) {
			t.Errorf("episode %d date %v is implausible", i, e.PublishedAt)
		}
		if e.AudioLengthSec < 0 || e.AudioLengthSec > 24*3600 {
			t.Errorf("episode %d duration %ds is implausible", i, e.AudioLengthSec)
		}
		if e.AudioURL != "" && resolveURL("", e.AudioURL) == "" {
			t.Errorf("episode %d enclosure %q is not an absolute http(s) URL", i, e.AudioURL)
		}
		if bytes.ContainsRune([]byte(e.Title+e.Description), 0) {
			t.Errorf("episode %d holds a NUL byte", i)
		}
	}
}

// compareGolden compares got with testdata/golden/<name>.golden, or rewrites it with -update.
func compareGolden(t *testing.T, name string, got goldenFeed) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".golden")
	if *update {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // keep ">" and "&" readable
		enc.SetIndent("", "  ")
		if err := enc.Encode(got); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test ./feed -update to create it): %v", err)
	}
	var want goldenFeed
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("golden file %s: %v", path, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summary differs from %s (-want +got):\n%s", path, diff)
	}
}
