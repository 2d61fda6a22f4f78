package db

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ChangeCursor is a position in the change feed: past every row changed before At, and past the
// rows changed at At whose ID is not greater than ID.
type ChangeCursor struct {
	At time.Time
	ID string
}

// Change is a podcast or an episode added or changed.
type Change struct {
	Kind      string // "podcast" or "episode"
	ID        string
	PodcastID string // the episode's podcast; the podcast's own ID for a podcast
	UpdatedAt time.Time
	// Gone marks a tombstone: an episode that left its feed, or a podcast whose feed is dead.
	Gone bool
}

// ChangeFilter selects a page of the change feed.
type ChangeFilter struct {
	After ChangeCursor
	Limit int
	// Settle leaves out rows changed less than this long ago. updated_at is the time a
	// transaction started, so a row can commit after a later-stamped one was read; a reader
	// that stays Settle behind does not step past a change still committing.
	Settle time.Duration
}

// FindChanges returns the podcasts and episodes changed after f.After, in (updated_at, id)
// order, at most f.Limit. Each table is read by its own (updated_at, id) index.
func (s *Store) FindChanges(ctx context.Context, f ChangeFilter) ([]Change, error) {
	args := pgx.NamedArgs{"at": f.After.At, "id": f.After.ID, "limit": f.Limit, "settle": f.Settle.Seconds()}
	rows, err := s.db.Query(ctx, `
		SELECT * FROM (
			(SELECT 'podcast', id, id, updated_at, dead FROM podcasts
			 WHERE (updated_at, id) > (@at, @id) AND updated_at < now() - make_interval(secs => @settle)
			 ORDER BY updated_at, id LIMIT @limit)
			UNION ALL
			(SELECT 'episode', id, podcast_id, updated_at, gone FROM episodes
			 WHERE (updated_at, id) > (@at, @id) AND updated_at < now() - make_interval(secs => @settle)
			 ORDER BY updated_at, id LIMIT @limit)
		) AS c (kind, id, podcast_id, updated_at, gone)
		ORDER BY updated_at, id LIMIT @limit`, args)
	if err != nil {
		return nil, fmt.Errorf("find changes: %w", err)
	}
	changes, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Change, error) {
		var c Change
		err := row.Scan(&c.Kind, &c.ID, &c.PodcastID, &c.UpdatedAt, &c.Gone)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("find changes: %w", err)
	}
	return changes, nil
}
