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
