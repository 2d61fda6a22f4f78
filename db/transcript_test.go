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

// TestTranscriptsDueAndSaved needs a schema of its own: it checks that saving a transcript moves
// the episode's updated_at, and now() stands still inside one transaction.
func TestTranscriptsDueAndSaved(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewSchema(t)
	store := db.New(pool)
	p, _, err := store.CreatePodcast(ctx, "https://example.com/feed", "example.com/feed", "")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	feed := &hark.Feed{Episodes: []hark.Episode{
		{GUID: "a", Title: "A", PublishedAt: day, TranscriptURL: "https://example.com/a.vtt", TranscriptType: "text/vtt"},
		{GUID: "b", Title: "B", PublishedAt: day.AddDate(0, 0, 1), TranscriptURL: "https://example.com/b.srt", TranscriptType: "application/x-subrip"},
		{GUID: "c", Title: "C", PublishedAt: day.AddDate(0, 0, 2)},
	}}
	saveCrawl(t, store, p.ID, feed)
	byGUID := episodesByGUID(t, store, p.ID)

	due := findDue(t, store, p.ID)
	want := []db.TranscriptDue{
		{EpisodeID: byGUID["b"].ID, URL: "https://example.com/b.srt", Type: "application/x-subrip"},
		{EpisodeID: byGUID["a"].ID, URL: "https://example.com/a.vtt", Type: "text/vtt"},
	}
	if diff := cmp.Diff(want, due); diff != "" {
		t.Fatalf("due (-want +got):\n%s", diff)
	}

	clearIndexPending(t, store, p.ID)
	before := byGUID["a"].UpdatedAt
	changed, err := store.SaveTranscript(ctx, byGUID["a"].ID, "https://example.com/a.vtt", "Hello from the lighthouse")
	if err != nil || !changed {
		t.Fatalf("SaveTranscript = %v, %v; want changed", changed, err)
	}
	// A failed fetch is recorded as empty text: nothing changes, but it is no longer due.
	if changed, err := store.SaveTranscript(ctx, byGUID["b"].ID, "https://example.com/b.srt", ""); err != nil || changed {
		t.Fatalf("SaveTranscript of a failure = %v, %v; want unchanged", changed, err)
	}
	// A URL the episode no longer links is not saved.
	if changed, err := store.SaveTranscript(ctx, byGUID["c"].ID, "https://example.com/old.vtt", "stale"); err != nil || changed {
		t.Fatalf("SaveTranscript of another URL = %v, %v; want a no-op", changed, err)
	}
	if due := findDue(t, store, p.ID); len(due) != 0 {
		t.Fatalf("due after saving = %+v; want none", due)
	}

	work, err := store.FindIndexWork(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(work.Upsert) != 1 || work.Upsert[0].GUID != "a" || work.Upsert[0].Transcript != "Hello from the lighthouse" || !work.Upsert[0].UpdatedAt.After(before) {
		t.Fatalf("index work after the transcript = %+v; want episode a with its text and a newer updated_at", work.Upsert)
	}

	// The feed changes a's transcript URL and drops b's: a is due for its new URL; b, whose
	// stored text is empty already, is not.
	feed.Episodes[0].TranscriptURL = "https://example.com/a2.vtt"
	feed.Episodes[1].TranscriptURL = ""
	saveCrawl(t, store, p.ID, feed)
	due = findDue(t, store, p.ID)
	if len(due) != 1 || due[0].URL != "https://example.com/a2.vtt" {
		t.Fatalf("due after a URL change = %+v; want a's new URL", due)
	}
	feed.Episodes[0].TranscriptURL = ""
	saveCrawl(t, store, p.ID, feed)
	due = findDue(t, store, p.ID)
	if len(due) != 1 || due[0].URL != "" || due[0].EpisodeID != byGUID["a"].ID {
		t.Fatalf("due after the URL is dropped = %+v; want a, to clear its text", due)
	}
	if changed, err := store.SaveTranscript(ctx, byGUID["a"].ID, "", ""); err != nil || !changed {
		t.Fatalf("clearing = %v, %v; want changed", changed, err)
	}
	if has, err := store.HasTranscriptsDue(ctx, p.ID); err != nil || has {
		t.Fatalf("HasTranscriptsDue at the end = %v, %v; want false", has, err)
	}
}

func findDue(t *testing.T, store *db.Store, podcastID string) []db.TranscriptDue {
	t.Helper()
	due, err := store.FindTranscriptsDue(context.Background(), podcastID, 10)
	if err != nil {
		t.Fatal(err)
	}
	has, err := store.HasTranscriptsDue(context.Background(), podcastID)
	if err != nil || has != (len(due) > 0) {
		t.Fatalf("HasTranscriptsDue = %v, %v; FindTranscriptsDue found %d", has, err, len(due))
	}
	return due
}

func episodesByGUID(t *testing.T, store *db.Store, podcastID string) map[string]hark.Episode {
	t.Helper()
	eps, err := store.FindEpisodes(context.Background(), db.EpisodeFilter{PodcastID: podcastID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]hark.Episode{}
	for _, e := range eps {
		m[e.GUID] = e
	}
	return m
}

func clearIndexPending(t *testing.T, store *db.Store, podcastID string) {
	t.Helper()
	work, err := store.FindIndexWork(context.Background(), podcastID)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.ClearIndexWork(context.Background(), work); err != nil {
		t.Fatal(err)
	}
}
