package db

import (
	"context"

	"github.com/jackc/pgx/v5"

	"hark"
)

// FindPodcastsByPublisher returns one page of the shows with episodes whose publisher is name,
// exactly as their feeds spell it, best first (podcasts_publisher_idx).
func (s *Store) FindPodcastsByPublisher(ctx context.Context, name string, offset, limit int) ([]hark.Podcast, error) {
	return queryAll(ctx, s.db, "find podcasts of publisher", scanPodcast, `SELECT `+podcastColumns+` FROM podcasts
		WHERE publisher = @publisher AND episode_count > 0
		ORDER BY quality_score DESC, id OFFSET @offset LIMIT @limit`,
		pgx.NamedArgs{"publisher": name, "offset": offset, "limit": limit})
}
