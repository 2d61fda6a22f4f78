package db

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

const playlistItemColumns = `id, coalesce(episode_id, ''), coalesce(podcast_id, ''), notes, added_at`

func scanPlaylistItem(row pgx.Row) (PlaylistItem, error) {
	var it PlaylistItem
	if err := row.Scan(&it.ID, &it.EpisodeID, &it.PodcastID, &it.Notes, &it.AddedAt); err != nil {
		return PlaylistItem{}, interpretError(err)
	}
	return it, nil
}

// AddPlaylistItem adds an episode or a podcast (one of episodeID and podcastID is "") to a
// playlist, or finds it there; created says which. notes replace the item's notes unless nil.
// The caller checks that the playlist belongs to the key and that the item exists.
func (s *Store) AddPlaylistItem(ctx context.Context, playlistID, episodeID, podcastID string, notes *string) (it PlaylistItem, created bool, err error) {
	err = s.db.QueryRow(ctx, `
		WITH found AS (
			UPDATE playlist_items SET notes = coalesce(@notes, notes)
			WHERE playlist_id = @playlist AND episode_id IS NOT DISTINCT FROM @episode AND podcast_id IS NOT DISTINCT FROM @podcast
			RETURNING `+playlistItemColumns+`, false
		), added AS (
			INSERT INTO playlist_items (playlist_id, episode_id, podcast_id, notes)
			SELECT @playlist, @episode, @podcast, coalesce(@notes, '') WHERE NOT EXISTS (SELECT 1 FROM found)
			RETURNING `+playlistItemColumns+`, true
		) SELECT * FROM found UNION ALL SELECT * FROM added`,
		pgx.NamedArgs{"playlist": playlistID, "episode": nullString(episodeID), "podcast": nullString(podcastID), "notes": notes},
	).Scan(&it.ID, &it.EpisodeID, &it.PodcastID, &it.Notes, &it.AddedAt, &created)
	if err != nil {
		return PlaylistItem{}, false, fmt.Errorf("add to playlist %s: %w", playlistID, interpretError(err))
	}
	return it, created, nil
}

// UpdatePlaylistItemNotes replaces the notes of an item. Returns ErrNotFound when the playlist
// has no such item.
func (s *Store) UpdatePlaylistItemNotes(ctx context.Context, playlistID string, itemID int64, notes string) (PlaylistItem, error) {
	it, err := scanPlaylistItem(s.db.QueryRow(ctx, `UPDATE playlist_items SET notes = $3
		WHERE playlist_id = $1 AND id = $2 RETURNING `+playlistItemColumns, playlistID, itemID, notes))
	if err != nil {
		return PlaylistItem{}, fmt.Errorf("update playlist item %d: %w", itemID, err)
	}
	return it, nil
}

// DeletePlaylistItem removes an item from a playlist; removing one that is not there is not an
// error, as the Listen API has it.
func (s *Store) DeletePlaylistItem(ctx context.Context, playlistID string, itemID int64) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM playlist_items WHERE playlist_id = $1 AND id = $2`, playlistID, itemID); err != nil {
		return fmt.Errorf("delete playlist item %d: %w", itemID, err)
	}
	return nil
}

// PlaylistItemFilter selects a playlist's items for FindPlaylistItems.
type PlaylistItemFilter struct {
	PlaylistID string
	Podcasts   bool // the podcast view; else the episode view
	Limit      int  // default 20
}

// FindPlaylistItems returns the items of one view of a playlist, the last added first.
func (s *Store) FindPlaylistItems(ctx context.Context, f PlaylistItemFilter) ([]PlaylistItem, error) {
	kind := "episode_id"
	if f.Podcasts {
		kind = "podcast_id"
	}
	rows, err := s.db.Query(ctx, `SELECT `+playlistItemColumns+` FROM playlist_items
		WHERE playlist_id = @playlist AND `+kind+` IS NOT NULL
		ORDER BY added_at DESC, id DESC LIMIT @limit`,
		pgx.NamedArgs{"playlist": f.PlaylistID, "limit": cmpInt(f.Limit, 20)})
	if err != nil {
		return nil, fmt.Errorf("find playlist items: %w", err)
	}
	items, err := collect(rows, scanPlaylistItem)
	if err != nil {
		return nil, fmt.Errorf("find playlist items: %w", err)
	}
	return items, nil
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
