package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hark"
	"hark/db"
	"hark/db/dbtest"
)

// TestFeedChaptersStoredAndShadowedByFile stores the chapters a feed lists inline at the crawl,
// and lets a podcast:chapters file read later win over them.
func TestFeedChaptersStoredAndShadowedByFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := db.New(dbtest.NewSchema(t))
	p, _, err := store.CreatePodcast(ctx, "https://example.com/psc", "example.com/psc", "")
	if err != nil {
		t.Fatal(err)
	}
	inline := []hark.Chapter{{Start: 0, Title: "Hello"}, {Start: 62.5, Title: "Topic", URL: "https://example.com/t", Image: "https://example.com/t.png"}}
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := &hark.Feed{Episodes: []hark.Episode{
		{GUID: "a", Title: "A", PublishedAt: day, FeedChapters: inline, ChaptersURL: "https://example.com/a.json"},
		{GUID: "b", Title: "B", PublishedAt: day},
	}}
	saveCrawl(t, store, p.ID, f)
	byGUID := episodesByGUID(t, store, p.ID)
	timeline := func(guid string) db.Timeline {
		t.Helper()
		tl, err := store.FindTimeline(ctx, byGUID[guid].ID)
		if err != nil {
			t.Fatal(err)
		}
		return tl
	}
	if diff := cmp.Diff(inline, timeline("a").Chapters); diff != "" {
		t.Errorf("inline chapters (-want +got):\n%s", diff)
	}
	if got := timeline("b").Chapters; got != nil {
		t.Errorf("episode without chapters has %+v", got)
	}

	// A file that could not be read leaves the inline chapters; one that was read wins.
	if err := store.SaveChapters(ctx, byGUID["a"].ID, "https://example.com/a.json", nil, "HTTP 404"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(inline, timeline("a").Chapters); diff != "" {
		t.Errorf("inline chapters after a failed file (-want +got):\n%s", diff)
	}
	file := []hark.Chapter{{Start: 0, Title: "From the file"}}
	if err := store.SaveChapters(ctx, byGUID["a"].ID, "https://example.com/a.json", file, ""); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(file, timeline("a").Chapters); diff != "" {
		t.Errorf("chapters with a file read (-want +got):\n%s", diff)
	}

	// The feed drops its inline chapters: they go at the next crawl.
	f.Episodes[0].FeedChapters, f.Episodes[0].ChaptersURL = nil, ""
	if err := store.SaveChapters(ctx, byGUID["a"].ID, "https://example.com/a.json", nil, ""); err != nil {
		t.Fatal(err)
	}
	if ch := saveCrawl(t, store, p.ID, f); ch.Updated != 1 {
		t.Errorf("crawl without the inline chapters updated %d episodes; want 1", ch.Updated)
	}
	if got := timeline("a").Chapters; got != nil {
		t.Errorf("chapters after the feed dropped them = %+v; want none", got)
	}
}
