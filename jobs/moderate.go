package jobs

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"hark/db"
)

// DecideDeletion carries out an operator's decision on a deletion request, in one transaction.
// Approval (status db.DeletionDeleted) deletes the podcast, enqueues the index job that removes
// its documents, and, when the request named a webhook, enqueues podcastDeleted to it; rejection
// only records the decision. Returns ErrNotFound when no such request is open.
func (s *Service) DecideDeletion(ctx context.Context, id int64, status, operator string) (db.DeletionRequest, error) {
	var req db.DeletionRequest
	err := s.store.InTx(ctx, func(tx pgx.Tx, st *db.Store) error {
		r, p, err := st.DecideDeletion(ctx, id, status, operator)
		if err != nil || status != db.DeletionDeleted {
			req = r
			return err
		}
		req = r
		if err := st.DeletePodcast(ctx, p.ID); err != nil {
			return err
		}
		// The index job finds the podcast gone and deletes its documents.
		if _, err := s.client.InsertTx(ctx, tx, IndexPodcastArgs{PodcastID: p.ID}, nil); err != nil {
			return fmt.Errorf("enqueue index job: %w", err)
		}
		if r.WebhookURL == "" {
			return nil
		}
		args, err := NewWebhook(r.WebhookURL, EventPodcastDeleted, r.WebhookSecret, minimumRSS(Config{BaseURL: s.BaseURL}, &p))
		if err != nil {
			return err
		}
		if _, err := s.client.InsertTx(ctx, tx, args, nil); err != nil {
			return fmt.Errorf("enqueue %s webhook: %w", EventPodcastDeleted, err)
		}
		return nil
	})
	if err != nil {
		return db.DeletionRequest{}, fmt.Errorf("decide deletion request %d: %w", id, err)
	}
	return req, nil
}
