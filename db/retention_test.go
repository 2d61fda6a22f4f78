package db_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hark"
	"hark/artwork"
	"hark/db"
	"hark/db/dbtest"
)

// TestPrune: rows past their retention go, in as many batches as it takes, and every row still
// within it stays, as do the error groups whose events went; a zero retention keeps its table.
func TestPrune(t *testing.T) {
	t.Parallel()
	store, tx := dbtest.TestStore(t)
	ctx := context.Background()
	_, key, err := store.CreateAPIKey(ctx, "retention", 0)
	if err != nil {
		t.Fatal(err)
	}
	g, _, err := store.RecordError(ctx, "fp-retention", hark.ErrorEvent{Kind: hark.ErrorHTTP5xx, Message: "old", At: time.Now().Add(-40 * 24 * time.Hour)}, "r1", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.RecordError(ctx, "fp-retention", hark.ErrorEvent{Kind: hark.ErrorHTTP5xx, Message: "new", At: time.Now()}, "r1", time.Hour); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		// 6,001 days of old searches (more than one batch), and one recent.
		`INSERT INTO search_log (day, query, searches) SELECT current_date - 100 - i, 'q', 1 FROM generate_series(0, 6000) i`,
		`INSERT INTO search_log (day, query, searches) VALUES (current_date - 10, 'q', 1)`,
		`INSERT INTO api_usage (api_key_id, month, requests) VALUES
			($1, date_trunc('month', now() - interval '2 years'), 5),
			($1, date_trunc('month', now() - interval '1 month'), 6), ($1, date_trunc('month', now()), 7)`,
		`INSERT INTO api_usage_daily (api_key_id, day, requests) VALUES ($1, current_date - 500, 1), ($1, current_date, 1)`,
		`INSERT INTO submission_counts (submitter, day, submissions) VALUES ('addr:x', current_date - 10, 1), ('addr:x', current_date, 1)`,
	} {
		var args []any
		if strings.Contains(sql, "$1") {
			args = append(args, key.ID)
		}
		if _, err := tx.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	day := 24 * time.Hour
	counts, err := store.Prune(ctx, db.Retention{ErrorEvents: 30 * day, SearchLog: 90 * day, Usage: 400 * day, SubmissionCounts: 7 * day})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"error_events": 1, "search_log": 6001, "api_usage": 1, "api_usage_daily": 1, "submission_counts": 1}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("pruned (-want +got):\n%s", diff)
	}
	left := map[string]int{}
	for _, table := range []string{"error_events", "search_log", "api_usage", "api_usage_daily", "submission_counts", "error_groups"} {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		left[table] = n
	}
	wantLeft := map[string]int{"error_events": 1, "search_log": 1, "api_usage": 2, "api_usage_daily": 1, "submission_counts": 1, "error_groups": 1}
	if diff := cmp.Diff(wantLeft, left); diff != "" {
		t.Errorf("rows left (-want +got):\n%s", diff)
	}
	if got, err := store.FindErrorGroupByID(ctx, g.ID); err != nil || got.Count != 2 {
		t.Errorf("group after pruning: %+v, %v", got, err)
	}

	// Nothing is old enough now, and a zero retention keeps everything.
	if counts, err := store.Prune(ctx, db.Retention{}); err != nil || len(counts) != 0 {
		t.Errorf("prune with no retention: %v, %v", counts, err)
	}
}

// TestPruneUnusedArtwork: artwork that nothing names any longer goes once its grace is over;
// the images of shows, of episodes (gone ones too) and of episodes' notes stay.
func TestPruneUnusedArtwork(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewSchema(t)
	store := db.New(pool)
	const (
		show, ep, gone, notes = "https://img.example/show.png", "https://img.example/ep.png", "https://img.example/gone.png", "https://img.example/notes.png"
		old, fresh            = "https://img.example/old.png", "https://img.example/fresh.png"
	)
	p, _, err := store.CreatePodcast(ctx, "https://example.com/art", "example.com/art", "")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	saveCrawl(t, store, p.ID, &hark.Feed{Podcast: hark.Podcast{Title: "Art", ImageURL: show}, Episodes: []hark.Episode{
		{GUID: "a", Title: "A", PublishedAt: day, ImageURL: ep},
		{GUID: "b", Title: "B", PublishedAt: day, ImageURL: gone},
		{GUID: "c", Title: "C", PublishedAt: day, NotesImages: []string{notes}},
	}})
	if _, err := pool.Exec(ctx, `UPDATE episodes SET gone = true WHERE guid = 'b'`); err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{ // name → key
		"show": artwork.Key(show), "episode": artwork.Key(ep), "gone episode": artwork.Key(gone),
		"notes image": artwork.NotesKey(notes), "notes image as art": artwork.Key(notes),
		"old": artwork.Key(old), "fresh": artwork.Key(fresh),
	}
	var rows []db.Artwork
	for name, key := range keys {
		rows = append(rows, db.Artwork{Key: key, SourceURL: name, Small: []byte{1}, Large: []byte{2}})
	}
	if err := store.SaveArtworks(ctx, rows); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE artwork SET fetched_at = now() - interval '30 days' WHERE key <> $1`, keys["fresh"]); err != nil {
		t.Fatal(err)
	}

	counts, err := store.Prune(ctx, db.Retention{UnusedArtwork: 7 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if counts["artwork"] != 2 {
		t.Errorf("pruned %d artworks; want 2", counts["artwork"])
	}
	left := map[string]bool{}
	for name, key := range keys {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM artwork WHERE key = $1`, key).Scan(&n); err != nil {
			t.Fatal(err)
		}
		left[name] = n == 1
	}
	want := map[string]bool{"show": true, "episode": true, "gone episode": true, "notes image": true,
		"notes image as art": false, "old": false, "fresh": true}
	if diff := cmp.Diff(want, left); diff != "" {
		t.Errorf("artwork kept (-want +got):\n%s", diff)
	}
	// The show changes its image: the old one goes; a zero retention keeps everything.
	if _, err := pool.Exec(ctx, `UPDATE podcasts SET image_url = $2 WHERE id = $1`, p.ID, fresh); err != nil {
		t.Fatal(err)
	}
	if counts, err := store.Prune(ctx, db.Retention{}); err != nil || counts["artwork"] != 0 {
		t.Errorf("prune with no retention: %v, %v", counts, err)
	}
	if counts, err := store.Prune(ctx, db.Retention{UnusedArtwork: 7 * 24 * time.Hour}); err != nil || counts["artwork"] != 1 {
		t.Errorf("prune after the show's image changed: %v, %v; want the old image gone", counts, err)
	}
}
