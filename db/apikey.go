package db

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/jackc/pgx/v5"

	"hark"
)

// CreateAPIKey makes a new API key and returns it with its record. The key is returned only
// here: Postgres keeps its SHA-256. The key is on the plan keys had before plans existed
// (enterprise: no limits but its own quota).
func (s *Store) CreateAPIKey(ctx context.Context, name string, monthlyQuota int) (string, hark.APIKey, error) {
	return s.CreatePlanKey(ctx, NewAPIKey{Name: name, MonthlyQuota: monthlyQuota, Plan: legacyPlan})
}

// legacyPlan is the plan of keys made before plans existed, as migration 00011 sets it.
const legacyPlan = "enterprise"

// NewAPIKey is what CreatePlanKey stores of a new key.
type NewAPIKey struct {
	Name, Email, Plan string
	MonthlyQuota      int // 0 takes the plan's
	RateLimit         int // 0 takes the plan's
}

// CreatePlanKey makes a new API key as nk says and returns it with its record; Postgres keeps
// only its SHA-256.
func (s *Store) CreatePlanKey(ctx context.Context, nk NewAPIKey) (string, hark.APIKey, error) {
	var raw [24]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", hark.APIKey{}, fmt.Errorf("create api key: %w", err)
	}
	key := hex.EncodeToString(raw[:])
	sum := sha256.Sum256([]byte(key))
	k := hark.APIKey{Prefix: key[:8], Name: nk.Name, MonthlyQuota: nk.MonthlyQuota, RateLimit: nk.RateLimit, Plan: nk.Plan}
	err := s.db.QueryRow(ctx, `
		INSERT INTO api_keys (key_hash, key_prefix, name, email, plan, monthly_quota, rate_limit)
		VALUES (@key_hash, @key_prefix, @name, @email, @plan, @monthly_quota, @rate_limit)
		RETURNING id, created_at`,
		pgx.NamedArgs{"key_hash": sum[:], "key_prefix": k.Prefix, "name": nk.Name, "email": nk.Email,
			"plan": nk.Plan, "monthly_quota": nk.MonthlyQuota, "rate_limit": nk.RateLimit},
	).Scan(&k.ID, &k.CreatedAt)
	if err != nil {
		return "", hark.APIKey{}, fmt.Errorf("create api key: %w", interpretError(err))
	}
	return key, k, nil
}

// APIUsage is what MeterAPIKey reports of a key's use this month.
type APIUsage struct {
	Requests int64 // including this request, when it was counted
	Quota    int   // 0 means unlimited
	// Spent says the request was not counted because the key had used its quota.
	Spent bool
}

// AuthenticateAPIKey finds the live key whose hash matches key and counts one request against it
// for the current month, whatever its quota, which it reports. Returns ErrUnauthorized for an
// unknown or revoked key.
func (s *Store) AuthenticateAPIKey(ctx context.Context, key string) (hark.APIKey, APIUsage, error) {
	k, u, err := s.MeterAPIKey(ctx, key, 0)
	u.Quota = k.MonthlyQuota
	return k, u, err
}

// MeterAPIKey finds the live key whose hash matches key and counts one request against it for
// the current UTC month, unless quota is above 0 and the key has used it: then it counts nothing
// and reports Spent. The check and the count are one statement, so concurrent requests from any
// number of processes never take a key past its quota. Returns ErrUnauthorized for an unknown or
// revoked key.
//
// The statement commits without waiting for its WAL to reach the disk (synchronous_commit off,
// for this transaction only): every request of a key updates the same rows, so each would hold
// their lock through an fsync and the key's requests would go one fsync at a time. A Postgres
// or machine crash can lose the last moments of counts (requests served, never billed); it
// cannot count a request twice or one that was refused.
func (s *Store) MeterAPIKey(ctx context.Context, key string, quota int) (hark.APIKey, APIUsage, error) {
	sum := sha256.Sum256([]byte(key))
	var k hark.APIKey
	var counted *int64
	var used int64
	now := s.now()
	err := s.db.QueryRow(ctx, `
		WITH k AS (
			SELECT id, key_prefix, name, monthly_quota, rate_limit, plan, created_at
			FROM api_keys, (SELECT set_config('synchronous_commit', 'off', true)) AS async
			WHERE key_hash = $1 AND revoked_at IS NULL
		), m AS (
			INSERT INTO api_usage (api_key_id, month, requests)
			SELECT id, $2::date, 1 FROM k
			ON CONFLICT (api_key_id, month) DO UPDATE SET requests = api_usage.requests + 1
				WHERE $3::int = 0 OR api_usage.requests < $3::int
			RETURNING requests
		), d AS (
			INSERT INTO api_usage_daily (api_key_id, day, requests)
			SELECT k.id, $4::date, 1 FROM k, m
			ON CONFLICT (api_key_id, day) DO UPDATE SET requests = api_usage_daily.requests + 1
		)
		SELECT k.id, k.key_prefix, k.name, k.monthly_quota, k.rate_limit, k.plan, k.created_at, m.requests,
			coalesce((SELECT requests FROM api_usage WHERE api_key_id = k.id AND month = $2::date), 0)
		FROM k LEFT JOIN m ON true`, sum[:], billingMonth(now), quota, utcDay(now)).
		Scan(&k.ID, &k.Prefix, &k.Name, &k.MonthlyQuota, &k.RateLimit, &k.Plan, &k.CreatedAt, &counted, &used)
	if err != nil {
		if interpretError(err) == hark.ErrNotFound {
			return hark.APIKey{}, APIUsage{}, hark.Errorf(hark.ErrUnauthorized, "wrong or revoked api key")
		}
		return hark.APIKey{}, APIUsage{}, fmt.Errorf("meter api key: %w", err)
	}
	u := APIUsage{Requests: used, Quota: quota, Spent: counted == nil}
	if counted != nil {
		u.Requests = *counted
	}
	return k, u, nil
}

// RevokeAPIKey revokes the key with that ID. Returns ErrNotFound if there is no live such key.
func (s *Store) RevokeAPIKey(ctx context.Context, id int64) error {
	return s.updateLiveKey(ctx, "revoke", id, `revoked_at = now()`)
}

// FindAPIKey returns the live key whose hash matches key, with its requests this month so far.
// Returns ErrUnauthorized for an unknown or revoked key.
func (s *Store) FindAPIKey(ctx context.Context, key string) (hark.APIKey, int64, error) {
	sum := sha256.Sum256([]byte(key))
	var k hark.APIKey
	var used int64
	err := s.db.QueryRow(ctx, `
		SELECT k.id, k.key_prefix, k.name, k.monthly_quota, k.rate_limit, k.plan, k.created_at, coalesce(u.requests, 0)
		FROM api_keys k
		LEFT JOIN api_usage u ON u.api_key_id = k.id AND u.month = $2::date
		WHERE k.key_hash = $1 AND k.revoked_at IS NULL`, sum[:], billingMonth(s.now())).
		Scan(&k.ID, &k.Prefix, &k.Name, &k.MonthlyQuota, &k.RateLimit, &k.Plan, &k.CreatedAt, &used)
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
	return s.updateLiveKey(ctx, "set rate limit of", id, `rate_limit = $2`, perSecond)
}

// AddAPIUsage adds request counts to this month's usage of each key and returns the new totals.
func (s *Store) AddAPIUsage(ctx context.Context, counts map[int64]int64) (map[int64]int64, error) {
	ids := make([]int64, 0, len(counts))
	ns := make([]int64, 0, len(counts))
	for id, n := range counts {
		ids, ns = append(ids, id), append(ns, n)
	}
	now := s.now()
	rows, err := s.db.Query(ctx, `
		WITH d AS (
			INSERT INTO api_usage_daily (api_key_id, day, requests)
			SELECT id, $4::date, n FROM unnest($1::bigint[], $2::bigint[]) AS u(id, n)
			ON CONFLICT (api_key_id, day) DO UPDATE SET requests = api_usage_daily.requests + excluded.requests
		)
		INSERT INTO api_usage (api_key_id, month, requests)
		SELECT id, $3::date, n FROM unnest($1::bigint[], $2::bigint[]) AS u(id, n)
		ON CONFLICT (api_key_id, month) DO UPDATE SET requests = api_usage.requests + excluded.requests
		RETURNING api_key_id, requests`, ids, ns, billingMonth(now), utcDay(now))
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
