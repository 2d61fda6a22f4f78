package db

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"hark"
)

// CreateAPIKey makes a new API key and returns it with its record. The key is returned only
// here: Postgres keeps its SHA-256.
func (s *Store) CreateAPIKey(ctx context.Context, name string, monthlyQuota int) (string, hark.APIKey, error) {
	var raw [24]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", hark.APIKey{}, fmt.Errorf("create api key: %w", err)
	}
	key := hex.EncodeToString(raw[:])
	sum := sha256.Sum256([]byte(key))
	k := hark.APIKey{Prefix: key[:8], Name: name, MonthlyQuota: monthlyQuota}
	err := s.db.QueryRow(ctx, `
		INSERT INTO api_keys (key_hash, key_prefix, name, monthly_quota)
		VALUES (@key_hash, @key_prefix, @name, @monthly_quota)
		RETURNING id, created_at`,
		pgx.NamedArgs{"key_hash": sum[:], "key_prefix": k.Prefix, "name": name, "monthly_quota": monthlyQuota},
	).Scan(&k.ID, &k.CreatedAt)
	if err != nil {
		return "", hark.APIKey{}, fmt.Errorf("create api key: %w", interpretError(err))
	}
	return key, k, nil
}

// APIUsage is what AuthenticateAPIKey reports of a key's use this month.
type APIUsage struct {
	Requests int64 // including this request
	Quota    int   // 0 means unlimited
}

// AuthenticateAPIKey finds the live key whose hash matches key and counts one request against it
// for the current month. Returns ErrUnauthorized for an unknown or revoked key.
func (s *Store) AuthenticateAPIKey(ctx context.Context, key string) (hark.APIKey, APIUsage, error) {
	sum := sha256.Sum256([]byte(key))
	var k hark.APIKey
	var revoked *time.Time
	var u APIUsage
	// One round trip: find the key and meter the request with an upsert on (key, month).
	err := s.db.QueryRow(ctx, `
		WITH k AS (
			SELECT id, key_prefix, name, monthly_quota, rate_limit, created_at, revoked_at
			FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL
		), u AS (
			INSERT INTO api_usage (api_key_id, month, requests)
			SELECT id, date_trunc('month', now())::date, 1 FROM k
			ON CONFLICT (api_key_id, month) DO UPDATE SET requests = api_usage.requests + 1
			RETURNING requests
		)
		SELECT k.id, k.key_prefix, k.name, k.monthly_quota, k.rate_limit, k.created_at, k.revoked_at, u.requests
		FROM k, u`, sum[:]).Scan(&k.ID, &k.Prefix, &k.Name, &k.MonthlyQuota, &k.RateLimit, &k.CreatedAt, &revoked, &u.Requests)
	if err != nil {
		if interpretError(err) == hark.ErrNotFound {
			return hark.APIKey{}, u, hark.Errorf(hark.ErrUnauthorized, "wrong or revoked api key")
		}
		return hark.APIKey{}, u, fmt.Errorf("authenticate api key: %w", err)
	}
	k.RevokedAt = timeOrZero(revoked)
	u.Quota = k.MonthlyQuota
	return k, u, nil
}

// RevokeAPIKey revokes the key with that ID. Returns ErrNotFound if there is no live such key.
func (s *Store) RevokeAPIKey(ctx context.Context, id int64) error {
	tag, err := s.db.Exec(ctx, `UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, id)
	if err != nil {
		return fmt.Errorf("revoke api key %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("revoke api key %d: %w", id, hark.ErrNotFound)
	}
	return nil
}

// FindAPIKey returns the live key whose hash matches key, with its requests this month so far.
// Returns ErrUnauthorized for an unknown or revoked key.
func (s *Store) FindAPIKey(ctx context.Context, key string) (hark.APIKey, int64, error) {
	sum := sha256.Sum256([]byte(key))
	var k hark.APIKey
	var used int64
	err := s.db.QueryRow(ctx, `
		SELECT k.id, k.key_prefix, k.name, k.monthly_quota, k.rate_limit, k.created_at, coalesce(u.requests, 0)
		FROM api_keys k
		LEFT JOIN api_usage u ON u.api_key_id = k.id AND u.month = date_trunc('month', now())::date
		WHERE k.key_hash = $1 AND k.revoked_at IS NULL`, sum[:]).
		Scan(&k.ID, &k.Prefix, &k.Name, &k.MonthlyQuota, &k.RateLimit, &k.CreatedAt, &used)
	if err != nil {
		if interpretError(err) == hark.ErrNotFound {
			return hark.APIKey{}, 0, hark.Errorf(hark.ErrUnauthorized, "wrong or revoked api key")
		}
		return hark.APIKey{}, 0, fmt.Errorf("find api key: %w", err)
	}
	return k, used, nil
}

// SetAPIKeyRateLimit sets the requests per second the key with that ID may send; 0 takes the
// server's default. Returns ErrNotFound if there is no live such key.
func (s *Store) SetAPIKeyRateLimit(ctx context.Context, id int64, perSecond int) error {
	tag, err := s.db.Exec(ctx, `UPDATE api_keys SET rate_limit = $2 WHERE id = $1 AND revoked_at IS NULL`, id, perSecond)
	if err != nil {
		return fmt.Errorf("set rate limit of api key %d: %w", id, interpretError(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("set rate limit of api key %d: %w", id, hark.ErrNotFound)
	}
	return nil
}

// AddAPIUsage adds request counts to this month's usage of each key and returns the new totals.
func (s *Store) AddAPIUsage(ctx context.Context, counts map[int64]int64) (map[int64]int64, error) {
	ids := make([]int64, 0, len(counts))
	ns := make([]int64, 0, len(counts))
	for id, n := range counts {
		ids, ns = append(ids, id), append(ns, n)
	}
	rows, err := s.db.Query(ctx, `
		INSERT INTO api_usage (api_key_id, month, requests)
		SELECT id, date_trunc('month', now())::date, n FROM unnest($1::bigint[], $2::bigint[]) AS u(id, n)
		ON CONFLICT (api_key_id, month) DO UPDATE SET requests = api_usage.requests + excluded.requests
		RETURNING api_key_id, requests`, ids, ns)
	if err != nil {
		return nil, fmt.Errorf("add api usage: %w", err)
	}
	totals := make(map[int64]int64, len(counts))
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("add api usage: %w", err)
		}
		totals[id] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("add api usage: %w", interpretError(err))
	}
	return totals, nil
}
