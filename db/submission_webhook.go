package db

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// SubmissionWebhook is where to tell the submitter of a feed how its first crawl went.
type SubmissionWebhook struct {
	PodcastID string
	URL       string
	Secret    string // signs the post (HMAC-SHA256)
}

// SaveSubmissionWebhook keeps h until the podcast's first crawl; a later submission of the same
// new feed replaces it.
func (s *Store) SaveSubmissionWebhook(ctx context.Context, h SubmissionWebhook) error {
	_, err := s.db.Exec(ctx, `INSERT INTO submission_webhooks (podcast_id, webhook_url, secret) VALUES ($1, $2, $3)
		ON CONFLICT (podcast_id) DO UPDATE SET webhook_url = excluded.webhook_url, secret = excluded.secret`,
		h.PodcastID, h.URL, h.Secret)
	if err != nil {
		return fmt.Errorf("save submission webhook: %w", err)
	}
	return nil
}

// TakeSubmissionWebhook removes and returns the podcast's submission webhook; ok is false when
// it has none.
func (s *Store) TakeSubmissionWebhook(ctx context.Context, podcastID string) (h SubmissionWebhook, ok bool, err error) {
	err = s.db.QueryRow(ctx, `DELETE FROM submission_webhooks WHERE podcast_id = $1 RETURNING podcast_id, webhook_url, secret`,
		podcastID).Scan(&h.PodcastID, &h.URL, &h.Secret)
	if errors.Is(err, pgx.ErrNoRows) {
		return h, false, nil
	}
	if err != nil {
		return h, false, fmt.Errorf("take submission webhook: %w", err)
	}
	return h, true, nil
}
