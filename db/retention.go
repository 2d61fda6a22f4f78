package db

import (
	"context"
	"fmt"
	"time"
)

// pruneBatch is how many rows one DELETE removes: short statements keep row locks and WAL
// bursts small on a live database, and the loop goes on until a batch comes back short.
const pruneBatch = 5000

// Retention says how long the rows that only grow are kept. A zero field keeps its rows forever.
type Retention struct {
	ErrorEvents      time.Duration // error_events (the groups stay)
	SearchLog        time.Duration // search_log days (related_searches reads 90)
	Usage            time.Duration // api_usage months and api_usage_daily days, by when they ended
	SubmissionCounts time.Duration // submission_counts days (the caps read today's)
	// UnusedArtwork is how long artwork that no podcast, episode or episode's notes names any
	// longer is kept after it was fetched. The grace keeps a copy that a crawl is about to name
	// again (a feed that switches its image back and forth) from being fetched anew.
	UnusedArtwork time.Duration
}

// Prune deletes the rows older than r keeps, in batches, and returns how many it deleted from
// each table.
func (s *Store) Prune(ctx context.Context, r Retention) (map[string]int64, error) {
	now := s.now()
	steps := []struct {
		table string
		keep  time.Duration
		sql   string
	}{
		{"error_events", r.ErrorEvents, `DELETE FROM error_events WHERE id IN (
			SELECT id FROM error_events WHERE at < $1 LIMIT $2)`},
		{"search_log", r.SearchLog, `DELETE FROM search_log WHERE (day, query) IN (
			SELECT day, query FROM search_log WHERE day < $1::date LIMIT $2)`},
		// A month's row counts until the month is over: it ends a month after its first day.
		{"api_usage", r.Usage, `DELETE FROM api_usage WHERE (api_key_id, month) IN (
			SELECT api_key_id, month FROM api_usage WHERE month + interval '1 month' < $1 LIMIT $2)`},
		{"api_usage_daily", r.Usage, `DELETE FROM api_usage_daily WHERE (api_key_id, day) IN (
			SELECT api_key_id, day FROM api_usage_daily WHERE day < $1::date LIMIT $2)`},
		{"submission_counts", r.SubmissionCounts, `DELETE FROM submission_counts WHERE (submitter, day) IN (
			SELECT submitter, day FROM submission_counts WHERE day < $1::date LIMIT $2)`},
		{"artwork", r.UnusedArtwork, pruneArtworkSQL},
	}
	counts := make(map[string]int64, len(steps))
	for _, st := range steps {
		if st.keep <= 0 {
			continue
		}
		cutoff := now.Add(-st.keep).UTC()
		for {
			tag, err := s.db.Exec(ctx, st.sql, cutoff, pruneBatch)
			if err != nil {
				return counts, fmt.Errorf("prune %s: %w", st.table, err)
			}
			counts[st.table] += tag.RowsAffected()
			if tag.RowsAffected() < pruneBatch {
				break
			}
		}
	}
	return counts, nil
}

// pruneArtworkSQL deletes artwork fetched before $1 that nothing names: no podcast's or
// episode's image (artwork.Key), gone episodes included, as their pages stay, and no image of
// an episode's notes (artwork.NotesKey). Postgres hashes every name once per statement (a hash
// anti join), which at a million episodes is a second or so an hour.
var pruneArtworkSQL = `DELETE FROM artwork WHERE key IN (
	SELECT a.key FROM artwork a
	WHERE a.fetched_at < $1
		AND NOT EXISTS (SELECT 1 FROM podcasts p WHERE ` + artworkKeySQL("p.image_url") + ` = a.key)
		AND NOT EXISTS (SELECT 1 FROM episodes e WHERE ` + artworkKeySQL("e.image_url") + ` = a.key)
		AND NOT EXISTS (SELECT 1 FROM episodes e CROSS JOIN unnest(e.notes_images) AS n(url)
			WHERE ` + artworkKeySQL(notesKeyPrefixSQL+" || n.url") + ` = a.key)
	LIMIT $2)`
