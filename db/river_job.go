package db

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// RunningJobClients returns the River client IDs whose names start with prefix and that hold a
// job in the running state: the client that fetched it last, the last of its attempted_by.
func (s *Store) RunningJobClients(ctx context.Context, prefix string) ([]string, error) {
	rows, err := s.db.Query(ctx, `
		SELECT DISTINCT attempted_by[array_length(attempted_by, 1)]
		FROM river_job
		WHERE state = 'running' AND starts_with(attempted_by[array_length(attempted_by, 1)], $1)`, prefix)
	if err != nil {
		return nil, fmt.Errorf("find running job clients: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("find running job clients: %w", err)
	}
	return ids, nil
}

// RequeueJobsOf gives back the running jobs that one of clientIDs fetched last, as River's
// rescuer does with a stuck job: available again at once with reason recorded as the attempt's
// error, or discarded when it has used its attempts. A job another client fetched since is
// left alone. It returns how many jobs it changed.
func (s *Store) RequeueJobsOf(ctx context.Context, clientIDs []string, reason string) (int64, error) {
	tag, err := s.db.Exec(ctx, `
		UPDATE river_job SET
			state = CASE WHEN attempt < max_attempts THEN 'available' ELSE 'discarded' END::river_job_state,
			finalized_at = CASE WHEN attempt < max_attempts THEN NULL ELSE now() END,
			scheduled_at = now(),
			errors = array_append(errors, jsonb_build_object(
				'at', now(), 'attempt', greatest(attempt, 0), 'error', $2::text, 'trace', ''))
		WHERE state = 'running' AND attempted_by[array_length(attempted_by, 1)] = ANY($1)`, clientIDs, reason)
	if err != nil {
		return 0, fmt.Errorf("requeue jobs of dead clients: %w", err)
	}
	return tag.RowsAffected(), nil
}
