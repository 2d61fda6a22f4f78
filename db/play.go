package db

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"hark"
)

// RecordPlay counts one play of an episode, today (UTC), for its podcast and the listener's
// region (lower-case ISO code, "" when unknown). Returns ErrNotFound for an unknown episode.
func (s *Store) RecordPlay(ctx context.Context, episodeID, region string) error {
	tag, err := s.db.Exec(ctx, `
		INSERT INTO podcast_plays (podcast_id, day, region, plays)
		SELECT podcast_id, (now() AT TIME ZONE 'UTC')::date, @region, 1 FROM episodes WHERE id = @id
		ON CONFLICT (podcast_id, day, region) DO UPDATE SET plays = podcast_plays.plays + 1`,
		pgx.NamedArgs{"id": episodeID, "region": region})
	if err != nil {
		return fmt.Errorf("record a play of %s: %w", episodeID, err)
	}
	if tag.RowsAffected() == 0 {
		return hark.Errorf(hark.ErrNotFound, "no episode has the id %q", episodeID)
	}
	return nil
}

// RegionPlays is how many plays of a podcast came from one region.
type RegionPlays struct {
	Region string // lower-case ISO code
	Plays  int64
}

// FindPodcastAudience returns the plays of a podcast since since, per known region, most first.
func (s *Store) FindPodcastAudience(ctx context.Context, podcastID string, since time.Time) ([]RegionPlays, error) {
	rows, err := s.db.Query(ctx, `
		SELECT region, sum(plays)::bigint FROM podcast_plays
		WHERE podcast_id = @id AND day >= @since::date AND region <> ''
		GROUP BY region ORDER BY 2 DESC, region`,
		pgx.NamedArgs{"id": podcastID, "since": since.UTC().Format(time.DateOnly)})
	if err != nil {
		return nil, fmt.Errorf("find the audience of %s: %w", podcastID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (RegionPlays, error) {
		var r RegionPlays
		err := row.Scan(&r.Region, &r.Plays)
		return r, err
	})
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("find the audience of %s: %w", podcastID, err)
	}
	return out, nil
}
