package db

import (
	"context"
	"fmt"
)

// FindFingerprint returns the stored fingerprint of the podcast's last fully parsed feed body:
// the channel hash and the item hashes (8 bytes each). Both are empty before the first crawl.
func (s *Store) FindFingerprint(ctx context.Context, podcastID string) (head string, items []byte, err error) {
	err = s.db.QueryRow(ctx, `SELECT head_hash, item_hashes FROM podcasts WHERE id = $1`, podcastID).Scan(&head, &items)
	if err != nil {
		return "", nil, fmt.Errorf("find fingerprint of %s: %w", podcastID, interpretError(err))
	}
	return head, items, nil
}

// SaveFingerprint stores the fingerprint of the body just crawled; an empty head clears it, so
// the next crawl parses in full.
func (s *Store) SaveFingerprint(ctx context.Context, podcastID, head string, items []byte) error {
	if items == nil {
		items = []byte{}
	}
	if _, err := s.db.Exec(ctx, `UPDATE podcasts SET head_hash = $2, item_hashes = $3 WHERE id = $1`,
		podcastID, head, items); err != nil {
		return fmt.Errorf("save fingerprint of %s: %w", podcastID, err)
	}
	return nil
}
