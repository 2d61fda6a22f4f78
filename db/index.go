package db

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"hark"
)

// IndexWork is what the search index has to learn about one podcast.
type IndexWork struct {
	Podcast        hark.Podcast
	PodcastPending bool           // the show's fields changed: its doc and every episode doc
	Upsert         []hark.Episode // live episodes to write
	Delete         []string       // IDs of gone episodes to remove
}

// FindIndexWork returns the pending index work of a podcast. When the podcast's own fields
// changed, every live episode is included, because episode docs copy podcast fields. Returns
// ErrNotFound if there is no such podcast.
func (s *Store) FindIndexWork(ctx context.Context, podcastID string) (IndexWork, error) {
	// One statement, so the podcast and its episodes come from one snapshot (the podcast doc and
	// the episode docs agree), in one round trip. The episodes travel as an array of rows in the
	// podcast's row rather than as rows that each repeat the podcast.
	var w IndexWork
	var pod podcastRow
	var eps []episodeRow
	err := s.db.QueryRow(ctx, `
		SELECT `+podcastColumns+`, index_pending,
			ARRAY(SELECT ROW(`+episodeColumns+`) FROM episodes
			      WHERE podcast_id = podcasts.id AND (index_pending OR (podcasts.index_pending AND NOT gone)))
		FROM podcasts WHERE id = @id`,
		pgx.NamedArgs{"id": podcastID}).Scan(append(pod.targets(), &w.PodcastPending, &eps)...)
	if err != nil {
		return w, fmt.Errorf("find index work of %s: %w", podcastID, interpretError(err))
	}
	w.Podcast = pod.podcast()
	for i := range eps {
		if e := eps[i].episode(); e.Gone {
			w.Delete = append(w.Delete, e.ID)
		} else {
			w.Upsert = append(w.Upsert, e)
		}
	}
	return w, nil
}

// Empty reports whether there is nothing to index.
func (w IndexWork) Empty() bool {
	return !w.PodcastPending && len(w.Upsert) == 0 && len(w.Delete) == 0
}

// ClearIndexWork marks the work as done, in one round trip. A row changed again since FindIndexWork read it keeps
// its flag (its updated_at moved on), so a change that races the index job is never lost. It
// bumps the index generation in the same round trip (see BumpIndexGeneration).
func (s *Store) ClearIndexWork(ctx context.Context, w IndexWork) error {
	ids := make([]string, 0, len(w.Upsert)+len(w.Delete))
	stamps := make([]time.Time, 0, cap(ids))
	for _, e := range w.Upsert {
		ids, stamps = append(ids, e.ID), append(stamps, e.UpdatedAt)
	}
	batch := &pgx.Batch{}
	if len(w.Delete) > 0 {
		// Gone episodes' updated_at was not kept in Delete; they are cleared only while still gone.
		batch.Queue(`UPDATE episodes SET index_pending = false
			WHERE id = ANY($1) AND gone AND index_pending`, w.Delete)
	}
	batch.Queue(`UPDATE episodes e SET index_pending = false
		FROM unnest($1::text[], $2::timestamptz[]) AS u(id, updated_at)
		WHERE e.id = u.id AND e.updated_at = u.updated_at AND e.index_pending`, ids, stamps)
	if w.PodcastPending {
		batch.Queue(`UPDATE podcasts SET index_pending = false WHERE id = $1 AND updated_at = $2`,
			w.Podcast.ID, w.Podcast.UpdatedAt)
	}
	batch.Queue(bumpIndexGeneration) // the work is in the index: cached answers are out of date
	if err := s.db.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("clear index work: %w", err)
	}
	return nil
}

// EpisodeCursor is a position in the episodes table for streaming it in order.
type EpisodeCursor struct{ PodcastID, ID string }

// StreamEpisodes returns up to limit live episodes after cursor, ordered by podcast and ID, for
// rebuilding the search index.
func (s *Store) StreamEpisodes(ctx context.Context, after EpisodeCursor, limit int) ([]hark.Episode, error) {
	return queryAll(ctx, s.db, "stream episodes", scanEpisode, `SELECT `+episodeColumns+` FROM episodes
		WHERE NOT gone AND (podcast_id, id) > ($1, $2)
		ORDER BY podcast_id, id LIMIT $3`, after.PodcastID, after.ID, limit)
}

// CountLiveEpisodes returns how many episodes are stored and not gone.
func (s *Store) CountLiveEpisodes(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM episodes WHERE NOT gone`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count episodes: %w", err)
	}
	return n, nil
}

// SampleSearchText returns the searchable text (title, description, show name) of up to n live
// episodes picked at random, one string each, for counting common search terms. It reads a
// sample of the table's blocks, so it costs about n rows however large the table is.
func (s *Store) SampleSearchText(ctx context.Context, n int) ([]string, error) {
	texts, err := s.sampleEpisodes(ctx, `e.title || ' ' || left(e.description, 20000) || ' ' || p.title`, n)
	if err != nil {
		return nil, fmt.Errorf("sample episodes: %w", err)
	}
	return texts, nil
}

// SampleEpisodeTitles returns the titles of up to n live episodes picked at random, for the
// typeahead dictionary; like SampleSearchText, it costs about n rows.
func (s *Store) SampleEpisodeTitles(ctx context.Context, n int) ([]string, error) {
	titles, err := s.sampleEpisodes(ctx, `e.title`, n)
	if err != nil {
		return nil, fmt.Errorf("sample episode titles: %w", err)
	}
	return titles, nil
}

// sampleEpisodes returns expr (a constant of the caller's: e is the episode, p its podcast) for
// up to n live episodes in a random sample of the table's blocks.
func (s *Store) sampleEpisodes(ctx context.Context, expr string, n int) ([]string, error) {
	var rowsEstimate float64
	if err := s.db.QueryRow(ctx, `SELECT reltuples::float8 FROM pg_class WHERE oid = 'episodes'::regclass`).Scan(&rowsEstimate); err != nil {
		return nil, err
	}
	pct := 100.0 // a table never analyzed estimates -1 rows
	if rowsEstimate > 0 {
		pct = min(100, 100*1.5*float64(n)/rowsEstimate)
	}
	rows, err := s.db.Query(ctx, `SELECT `+expr+`
		FROM episodes e TABLESAMPLE SYSTEM ($1) JOIN podcasts p ON p.id = e.podcast_id
		WHERE NOT e.gone LIMIT $2`, pct, n)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// EpisodeStats is a podcast's live episode count and the sum of their updated_at in Unix
// seconds: two numbers that differ between Postgres and the index when the index has drifted.
type EpisodeStats struct {
	Count      int
	UpdatedSum int64
}

// PodcastEpisodeStats returns EpisodeStats for each podcast in ids that has live episodes.
func (s *Store) PodcastEpisodeStats(ctx context.Context, ids []string) (map[string]EpisodeStats, error) {
	rows, err := s.db.Query(ctx, `SELECT podcast_id, count(*), coalesce(sum(floor(extract(epoch FROM updated_at)))::bigint, 0)
		FROM episodes WHERE podcast_id = ANY($1) AND NOT gone GROUP BY podcast_id`, ids)
	if err != nil {
		return nil, fmt.Errorf("podcast episode stats: %w", err)
	}
	defer rows.Close()
	stats := make(map[string]EpisodeStats, len(ids))
	for rows.Next() {
		var id string
		var st EpisodeStats
		if err := rows.Scan(&id, &st.Count, &st.UpdatedSum); err != nil {
			return nil, fmt.Errorf("podcast episode stats: %w", err)
		}
		stats[id] = st
	}
	return stats, rows.Err()
}

// MarkIndexPending flags a podcast and all its episodes for the index job, to repair drift.
func (s *Store) MarkIndexPending(ctx context.Context, podcastID string) error {
	if _, err := s.db.Exec(ctx, `UPDATE episodes SET index_pending = true WHERE podcast_id = $1`, podcastID); err != nil {
		return fmt.Errorf("mark index pending: %w", err)
	}
	if _, err := s.db.Exec(ctx, `UPDATE podcasts SET index_pending = true WHERE id = $1`, podcastID); err != nil {
		return fmt.Errorf("mark index pending: %w", err)
	}
	return nil
}

// PodcastsChangedSince returns the IDs of podcasts that changed, or whose episodes changed, at
// or after t.
func (s *Store) PodcastsChangedSince(ctx context.Context, t time.Time) ([]string, error) {
	return queryAll(ctx, s.db, fmt.Sprintf("podcasts changed since %s", t), scanString, `
		SELECT id FROM podcasts WHERE updated_at >= $1
		UNION
		SELECT DISTINCT podcast_id FROM episodes WHERE updated_at >= $1`, t)
}

// PodcastStamp is what the reconcile job compares of a podcast row with its search document.
type PodcastStamp struct {
	ID           string
	UpdatedAt    int64 // Unix seconds, floored as the index stores them
	EpisodeCount int
}

// FindPodcastStamps returns up to limit podcasts with IDs greater than afterID, ordered by ID, so
// a caller can walk every podcast in batches.
func (s *Store) FindPodcastStamps(ctx context.Context, afterID string, limit int) ([]PodcastStamp, error) {
	return queryAll(ctx, s.db, "find podcast stamps", func(row pgx.Row) (PodcastStamp, error) {
		var st PodcastStamp
		err := row.Scan(&st.ID, &st.UpdatedAt, &st.EpisodeCount)
		return st, err
	}, `
		SELECT id, floor(extract(epoch FROM updated_at))::bigint, episode_count
		FROM podcasts WHERE id > $1 ORDER BY id LIMIT $2`, afterID, limit)
}

// LiveEpisodeIDs returns the IDs of a podcast's episodes that are not gone: those the search
// index should hold.
func (s *Store) LiveEpisodeIDs(ctx context.Context, podcastID string) ([]string, error) {
	return queryAll(ctx, s.db, "live episode ids of "+podcastID, scanString, `SELECT id FROM episodes WHERE podcast_id = $1 AND NOT gone`, podcastID)
}

// MissingPodcastIDs returns those of ids that no podcast has.
func (s *Store) MissingPodcastIDs(ctx context.Context, ids []string) ([]string, error) {
	return queryAll(ctx, s.db, "missing podcast ids", scanString, `
		SELECT u.id FROM unnest($1::text[]) AS u(id)
		WHERE NOT EXISTS (SELECT 1 FROM podcasts p WHERE p.id = u.id)`, ids)
}

// HasIndexPending reports whether the podcast or any of its episodes waits for the index job.
func (s *Store) HasIndexPending(ctx context.Context, podcastID string) (bool, error) {
	var pending bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM episodes WHERE podcast_id = $1 AND index_pending)
		OR EXISTS (SELECT 1 FROM podcasts WHERE id = $1 AND index_pending)`, podcastID).Scan(&pending)
	if err != nil {
		return false, fmt.Errorf("check index pending of %s: %w", podcastID, err)
	}
	return pending, nil
}
