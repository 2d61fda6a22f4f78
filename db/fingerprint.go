package db

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Fingerprint is what Hark keeps of the feed body a crawl last parsed in full, so that the next
// crawl of a feed that merely gained items parses only those (feed.Fingerprint computes it and
// converts to and from this type). How it is stored is this package's business.
type Fingerprint struct {
	Head  string   // hash of the channel outside its items; "" when the body could not be cut
	Items []uint64 // one hash per item, in feed order
}

// LockPodcast locks the podcast's row until the transaction ends, so two crawls of one feed run
// one after the other, and returns the fingerprint of the body last stored, read under the lock:
// the one the stored episodes match. Call it on a Store bound to a transaction. Returns
// ErrNotFound if there is no such podcast.
func (s *Store) LockPodcast(ctx context.Context, id string) (Fingerprint, error) {
	var fp Fingerprint
	var items []byte
	err := s.db.QueryRow(ctx, `SELECT head_hash, item_hashes FROM podcasts WHERE id = @id FOR UPDATE`,
		pgx.NamedArgs{"id": id}).Scan(&fp.Head, &items)
	if err != nil {
		return Fingerprint{}, fmt.Errorf("lock podcast %s: %w", id, interpretError(err))
	}
	fp.Items = decodeItemHashes(items)
	return fp, nil
}

// encodeItemHashes stores item hashes as 8 bytes each, big-endian.
func encodeItemHashes(hs []uint64) []byte {
	b := make([]byte, 8*len(hs))
	for i, h := range hs {
		binary.BigEndian.PutUint64(b[8*i:], h)
	}
	return b
}

// decodeItemHashes is the inverse of encodeItemHashes.
func decodeItemHashes(b []byte) []uint64 {
	hs := make([]uint64, 0, len(b)/8)
	for i := 0; i+8 <= len(b); i += 8 {
		hs = append(hs, binary.BigEndian.Uint64(b[i:]))
	}
	return hs
}
