package db

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"hark"
)

// Deletion request statuses.
const (
	DeletionInReview = "in review"
	DeletionDeleted  = "deleted"
	DeletionRejected = "rejected"
)

// DeletionRequest is a request to delete a podcast (DELETE /api/v2/podcasts/{id}).
type DeletionRequest struct {
	ID             int64
	PodcastID      string
	Title, FeedURL string // the podcast's now, or when it was deleted
	Reason, Status string
	APIKeyID       int64 // 0 when asked without a key
	KeyName        string
	WebhookURL     string
	WebhookSecret  string
	CreatedAt      time.Time
	DecidedBy      string
	DecidedAt      time.Time // zero while in review
	Episodes       int
}

// FindDeletionRequests returns the open requests, oldest first, then up to limit decided ones,
// newest first.
func (s *Store) FindDeletionRequests(ctx context.Context, limit int) ([]DeletionRequest, error) {
	return queryAll(ctx, s.db, "find deletion requests", scanDeletion, `
		(SELECT `+deletionColumns+` FROM podcast_deletion_requests r
			LEFT JOIN podcasts p ON p.id = r.podcast_id LEFT JOIN api_keys k ON k.id = r.api_key_id
			WHERE r.status = 'in review' ORDER BY r.created_at, r.id)
		UNION ALL
		(SELECT `+deletionColumns+` FROM podcast_deletion_requests r
			LEFT JOIN podcasts p ON p.id = r.podcast_id LEFT JOIN api_keys k ON k.id = r.api_key_id
			WHERE r.status <> 'in review' ORDER BY r.decided_at DESC NULLS LAST, r.id DESC LIMIT $1)`, limit)
}

const deletionColumns = `r.id, r.podcast_id, coalesce(p.title, r.podcast_title), coalesce(p.feed_url, r.feed_url),
	r.reason, r.status, coalesce(r.api_key_id, 0), coalesce(k.name, ''), r.webhook_url, r.webhook_secret,
	r.created_at, r.decided_by, r.decided_at, coalesce(p.episode_count, 0)`

func scanDeletion(row pgx.Row) (DeletionRequest, error) {
	var d DeletionRequest
	var decided *time.Time
	err := row.Scan(&d.ID, &d.PodcastID, &d.Title, &d.FeedURL, &d.Reason, &d.Status, &d.APIKeyID, &d.KeyName,
		&d.WebhookURL, &d.WebhookSecret, &d.CreatedAt, &d.DecidedBy, &decided, &d.Episodes)
	d.DecidedAt = timeOrZero(decided)
	return d, err
}

// DecideDeletion records an operator's decision on an open request: status DeletionDeleted or
// DeletionRejected, with the podcast's title and feed URL kept for the record. It returns the
// request and the podcast as they were. It deletes nothing: on approval the caller deletes the
// podcast (DeletePodcast) in the same transaction. Returns ErrNotFound when no such request is
// open.
func (s *Store) DecideDeletion(ctx context.Context, id int64, status, operator string) (DeletionRequest, hark.Podcast, error) {
	if status != DeletionDeleted && status != DeletionRejected {
		return DeletionRequest{}, hark.Podcast{}, hark.Errorf(hark.ErrInvalid, "decide deletion: unknown status %q", status)
	}
	d, err := scanDeletion(s.db.QueryRow(ctx, `
		WITH r AS (
			UPDATE podcast_deletion_requests r SET status = $2, decided_by = $3, decided_at = now(),
				podcast_title = p.title, feed_url = p.feed_url
			FROM podcasts p
			WHERE r.id = $1 AND r.status = 'in review' AND p.id = r.podcast_id
			RETURNING r.*
		)
		SELECT `+deletionColumns+` FROM r LEFT JOIN podcasts p ON p.id = r.podcast_id
			LEFT JOIN api_keys k ON k.id = r.api_key_id`, id, status, operator))
	if err != nil {
		return DeletionRequest{}, hark.Podcast{}, fmt.Errorf("decide deletion request %d: %w", id, interpretError(err))
	}
	p, err := s.FindPodcastByID(ctx, d.PodcastID)
	if err != nil {
		return DeletionRequest{}, hark.Podcast{}, fmt.Errorf("decide deletion request %d: %w", id, err)
	}
	return d, p, nil
}

// DeletePodcast deletes a podcast with its episodes and aliases. Its search documents stay
// until an index job for it runs and finds it gone. Returns ErrNotFound for an unknown podcast.
func (s *Store) DeletePodcast(ctx context.Context, id string) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM podcasts WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("delete podcast %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("delete podcast %s: %w", id, hark.ErrNotFound)
	}
	return nil
}
