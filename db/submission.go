package db

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// TakeSubmission counts one submission by submitter today (UTC) and reports whether it was
// within limit; over it, nothing is counted. The upsert locks the submitter's row until the
// transaction ends and re-reads it after waiting, so concurrent submissions through any
// number of processes never pass the cap.
func (s *Store) TakeSubmission(ctx context.Context, submitter string, limit int) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `
		INSERT INTO submission_counts (submitter, day, submissions)
		VALUES (@submitter, (now() AT TIME ZONE 'UTC')::date, 1)
		ON CONFLICT (submitter, day) DO UPDATE SET submissions = submission_counts.submissions + 1
		WHERE submission_counts.submissions < @limit
		RETURNING submissions`,
		pgx.NamedArgs{"submitter": submitter, "limit": limit}).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("take submission: %w", interpretError(err))
	}
	return n <= limit, nil
}

// ClaimQueueSlot reports whether queue holds fewer than limit jobs waiting to run, and takes a
// transaction-scoped lock first so that concurrent callers count one after the other: call it
// in the transaction that inserts the job, and the limit holds exactly. The count is a
// statement of its own, whose snapshot is taken once the lock is held.
func (s *Store) ClaimQueueSlot(ctx context.Context, queue string, limit int) (bool, error) {
	if _, err := s.db.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('hark queue intake ' || $1, 0))`, queue); err != nil {
		return false, fmt.Errorf("lock intake of queue %s: %w", queue, err)
	}
	var n int
	err := s.db.QueryRow(ctx, `
		SELECT count(*) FROM (
			SELECT 1 FROM river_job
			WHERE queue = @queue AND state IN ('available', 'pending', 'retryable', 'scheduled')
			LIMIT @limit) AS waiting`,
		pgx.NamedArgs{"queue": queue, "limit": limit}).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("count waiting jobs of queue %s: %w", queue, err)
	}
	return n < limit, nil
}
