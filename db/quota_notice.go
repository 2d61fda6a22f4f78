package db

import (
	"context"
	"fmt"
)

// ClaimQuotaNotice marks that the operator is told the key used its quota this billing month,
// and reports whether this call made the mark: true once per key and month, however many
// processes ask.
func (s *Store) ClaimQuotaNotice(ctx context.Context, keyID int64) (bool, error) {
	tag, err := s.db.Exec(ctx, `UPDATE api_usage SET quota_notified_at = now()
		WHERE api_key_id = $1 AND month = $2 AND quota_notified_at IS NULL`, keyID, billingMonth(s.now()))
	if err != nil {
		return false, fmt.Errorf("claim quota notice of key %d: %w", keyID, err)
	}
	return tag.RowsAffected() == 1, nil
}
