package db

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"hark"
)

// Playlist is a list of episodes and podcasts that an API key keeps.
type Playlist struct {
	ID           string // 11 characters, [0-9a-z]
	APIKeyID     int64
	Name         string
	Description  string
	Visibility   string // public, unlisted or private
	Type         string // episode_list or podcast_list: the view shown by default
	EpisodeCount int
	PodcastCount int
	AudioSec     int // total length of its episodes
	LastAddedAt  time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// PlaylistItem is one episode or podcast of a playlist; exactly one of EpisodeID and PodcastID
// is set.
type PlaylistItem struct {
	ID        int64
	EpisodeID string
	PodcastID string
	Notes     string
	AddedAt   time.Time
}

// PlaylistUpdate holds the fields UpdatePlaylist changes; nil ones stay.
type PlaylistUpdate struct {
	Name, Description, Visibility, Type *string
}

const playlistIDChars = "0123456789abcdefghijklmnopqrstuvwxyz"

// NewPlaylistID returns a random 11-character ID, the shape Listen API playlist IDs have.
func NewPlaylistID() string {
	var b [11]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error on Linux.
	for i := range b {
		b[i] = playlistIDChars[int(b[i])%len(playlistIDChars)]
	}
	return string(b[:])
}

// playlistColumns are what scanPlaylist reads: the row and figures of its items.
const playlistColumns = `p.id, p.api_key_id, p.name, p.description, p.visibility, p.type,
	(SELECT count(*) FROM playlist_items i WHERE i.playlist_id = p.id AND i.episode_id IS NOT NULL),
	(SELECT count(*) FROM playlist_items i WHERE i.playlist_id = p.id AND i.podcast_id IS NOT NULL),
	(SELECT coalesce(sum(e.audio_length_sec), 0) FROM playlist_items i JOIN episodes e ON e.id = i.episode_id WHERE i.playlist_id = p.id),
	(SELECT max(added_at) FROM playlist_items i WHERE i.playlist_id = p.id),
	p.created_at, p.updated_at`

func scanPlaylist(row pgx.Row) (Playlist, error) {
	var p Playlist
	var last *time.Time
	err := row.Scan(&p.ID, &p.APIKeyID, &p.Name, &p.Description, &p.Visibility, &p.Type,
		&p.EpisodeCount, &p.PodcastCount, &p.AudioSec, &last, &p.CreatedAt, &p.UpdatedAt)
	if err != nil {
		return Playlist{}, interpretError(err)
	}
	p.LastAddedAt = timeOrZero(last)
	return p, nil
}

// CreatePlaylist stores a new playlist of p.APIKeyID and returns it.
func (s *Store) CreatePlaylist(ctx context.Context, p Playlist) (Playlist, error) {
	p, err := scanPlaylist(s.db.QueryRow(ctx, `
		WITH p AS (
			INSERT INTO playlists (id, api_key_id, name, description, visibility, type)
			VALUES (@id, @api_key_id, @name, @description, @visibility, @type) RETURNING *
		) SELECT `+playlistColumns+` FROM p`,
		pgx.NamedArgs{"id": NewPlaylistID(), "api_key_id": p.APIKeyID, "name": p.Name,
			"description": p.Description, "visibility": p.Visibility, "type": p.Type}))
	if err != nil {
		return Playlist{}, fmt.Errorf("create playlist: %w", err)
	}
	return p, nil
}

// FindPlaylist returns the playlist with that ID. Returns ErrNotFound if there is none.
func (s *Store) FindPlaylist(ctx context.Context, id string) (Playlist, error) {
	p, err := scanPlaylist(s.db.QueryRow(ctx, `SELECT `+playlistColumns+` FROM playlists p WHERE p.id = $1`, id))
	if err != nil {
		return Playlist{}, fmt.Errorf("find playlist %s: %w", id, err)
	}
	return p, nil
}

// PlaylistSorts are the orders FindPlaylists takes, by the Listen API's names.
var PlaylistSorts = map[string]string{
	"recent_added_first": "p.created_at DESC, p.id",
	"oldest_added_first": "p.created_at, p.id",
	"name_a_to_z":        "lower(p.name), p.id",
	"name_z_to_a":        "lower(p.name) DESC, p.id",
}

// FindPlaylists returns one page of the playlists of an API key and how many it has in all.
// sort is a key of PlaylistSorts.
func (s *Store) FindPlaylists(ctx context.Context, apiKeyID int64, sort string, offset, limit int) ([]Playlist, int, error) {
	order, ok := PlaylistSorts[sort]
	if !ok {
		return nil, 0, hark.Errorf(hark.ErrInvalid, "sort: unknown order %q", sort)
	}
	rows, err := s.db.Query(ctx, `SELECT `+playlistColumns+` FROM playlists p WHERE p.api_key_id = @key
		ORDER BY `+order+` OFFSET @offset LIMIT @limit`,
		pgx.NamedArgs{"key": apiKeyID, "offset": offset, "limit": limit})
	if err != nil {
		return nil, 0, fmt.Errorf("find playlists: %w", err)
	}
	list, err := collect(rows, scanPlaylist)
	if err != nil {
		return nil, 0, fmt.Errorf("find playlists: %w", err)
	}
	var total int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM playlists WHERE api_key_id = $1`, apiKeyID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count playlists: %w", err)
	}
	return list, total, nil
}

// UpdatePlaylist changes the fields u sets on a playlist of the API key. Returns ErrNotFound when
// the key has no such playlist.
func (s *Store) UpdatePlaylist(ctx context.Context, apiKeyID int64, id string, u PlaylistUpdate) (Playlist, error) {
	p, err := scanPlaylist(s.db.QueryRow(ctx, `
		WITH p AS (
			UPDATE playlists SET name = coalesce(@name, name), description = coalesce(@description, description),
				visibility = coalesce(@visibility, visibility), type = coalesce(@type, type), updated_at = now()
			WHERE id = @id AND api_key_id = @key RETURNING *
		) SELECT `+playlistColumns+` FROM p`,
		pgx.NamedArgs{"id": id, "key": apiKeyID, "name": u.Name, "description": u.Description,
			"visibility": u.Visibility, "type": u.Type}))
	if err != nil {
		return Playlist{}, fmt.Errorf("update playlist %s: %w", id, err)
	}
	return p, nil
}

// DeletePlaylist deletes a playlist of the API key with its items. Returns ErrNotFound when the
// key has no such playlist.
func (s *Store) DeletePlaylist(ctx context.Context, apiKeyID int64, id string) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM playlists WHERE id = $1 AND api_key_id = $2`, id, apiKeyID)
	if err != nil {
		return fmt.Errorf("delete playlist %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("delete playlist %s: %w", id, hark.ErrNotFound)
	}
	return nil
}
