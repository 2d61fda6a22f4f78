package db

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// QueueCount is how many River jobs of one queue are in one state.
type QueueCount struct {
	Queue string
	State string
	Jobs  int64
}

// QueueCounts counts the River jobs that are waiting or running, by queue and state (available,
// retryable, scheduled, running): the queue depth an operator pages on. Finished jobs are not
// counted; River's state index keeps this a scan of the unfinished rows only.
func (s *Store) QueueCounts(ctx context.Context) ([]QueueCount, error) {
	rows, err := s.db.Query(ctx, `
		SELECT queue, state::text, count(*) FROM river_job
		WHERE state IN ('available', 'retryable', 'scheduled', 'running')
		GROUP BY queue, state`)
	if err != nil {
		return nil, fmt.Errorf("count queued jobs: %w", err)
	}
	counts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (QueueCount, error) {
		var c QueueCount
		return c, r.Scan(&c.Queue, &c.State, &c.Jobs)
	})
	if err != nil {
		return nil, fmt.Errorf("count queued jobs: %w", err)
	}
	return counts, nil
}

// IndexBacklog is the search index's pending work: the rows whose change it has not taken yet.
type IndexBacklog struct {
	Podcasts int64
	Episodes int64
	// Oldest is how long the oldest pending change has waited; 0 when nothing is pending.
	Oldest time.Duration
}

// FindIndexBacklog reads the index backlog from the index_pending flags (partial indexes keep
// it a read of the pending rows only).
func (s *Store) FindIndexBacklog(ctx context.Context) (IndexBacklog, error) {
	var b IndexBacklog
	var oldest float64
	err := s.db.QueryRow(ctx, `
		WITH p AS (SELECT count(*) AS n, min(updated_at) AS oldest FROM podcasts WHERE index_pending),
		     e AS (SELECT count(*) AS n, min(updated_at) AS oldest FROM episodes WHERE index_pending)
		SELECT p.n, e.n, coalesce(extract(epoch FROM now() - least(p.oldest, e.oldest)), 0)::float8
		FROM p, e`).Scan(&b.Podcasts, &b.Episodes, &oldest)
	if err != nil {
		return IndexBacklog{}, fmt.Errorf("find index backlog: %w", err)
	}
	b.Oldest = time.Duration(max(oldest, 0) * float64(time.Second))
	return b, nil
}
