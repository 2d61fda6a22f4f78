package db_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hark/db"
	"hark/db/dbtest"
)

// TestSearchLog: searches counted in memory reach search_log when the log flushes (here, as Run
// ends), merged with what was written before, and trending and related searches read the counts.
func TestSearchLog(t *testing.T) {
	t.Parallel()
	store, tx := dbtest.TestStore(t)
	ctx := context.Background()
	if err := store.RecordSearches(ctx, map[string]int64{"jazz history": 2, "bebop": 1, "old news": 9}); err != nil {
		t.Fatal(err)
	}
	// A day long past does not trend.
	if _, err := tx.Exec(ctx, `UPDATE search_log SET day = day - 30 WHERE query = 'old news'`); err != nil {
		t.Fatal(err)
	}

	log := db.NewSearchLog(store, slog.New(slog.DiscardHandler))
	for _, q := range []string{"Jazz", " jazz ", "JAZZ", "bebop", "jazz  history", ""} {
		log.RecordSearch(ctx, q)
	}
	runCtx, cancel := context.WithCancel(ctx)
	cancel()
	log.Run(runCtx, time.Hour) // writes once as it ends

	trending, err := store.TrendingSearches(ctx, 7, 10)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"jazz", "jazz history", "bebop"}, trending); diff != "" {
		t.Errorf("trending (-want +got):\n%s", diff)
	}
	related, err := store.RelatedSearches(ctx, "Jazz", 90, 10)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"jazz history"}, related); diff != "" {
		t.Errorf("related to jazz (-want +got):\n%s", diff)
	}
	related, err = store.RelatedSearches(ctx, "news today", 90, 10)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"old news"}, related); diff != "" {
		t.Errorf("related to news today (-want +got):\n%s", diff)
	}
}
