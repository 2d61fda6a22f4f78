package db

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// GenreTop is the best podcasts of one genre: how many podcasts it has and the IDs of the first.
type GenreTop struct {
	GenreID    int
	Total      int
	PodcastIDs []string // best first
}

// FindGenreTops returns, for every genre with podcasts that have episodes, its podcast count and
// its top podcasts by quality score, counting only podcasts added after addedAfter unless it is
// zero.
func (s *Store) FindGenreTops(ctx context.Context, addedAfter time.Time, top int) ([]GenreTop, error) {
	rows, err := s.db.Query(ctx, `
		SELECT g, count(*), (array_agg(id ORDER BY quality_score DESC, id))[1:@top]
		FROM podcasts, unnest(genre_ids) AS g
		WHERE episode_count > 0 AND NOT dead AND (@after::timestamptz IS NULL OR created_at > @after)
		GROUP BY g ORDER BY g`,
		pgx.NamedArgs{"after": nullTime(addedAfter), "top": top})
	if err != nil {
		return nil, fmt.Errorf("find genre tops: %w", err)
	}
	tops, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (GenreTop, error) {
		var t GenreTop
		err := row.Scan(&t.GenreID, &t.Total, &t.PodcastIDs)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("find genre tops: %w", err)
	}
	return tops, nil
}
