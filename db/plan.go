package db

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"hark"
)

// billingMonth is the first day of now's month in UTC: the api_usage row a request counts in.
// It is computed here, not with date_trunc in SQL, whose result follows the session's TimeZone.
func billingMonth(now time.Time) time.Time {
	y, m, _ := now.UTC().Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
}

// utcDay is now's UTC date: the api_usage_daily row a request counts in.
func utcDay(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// KeyListing is a row of `hark apikeys list`.
type KeyListing struct {
	hark.APIKey
	Email    string
	Requests int64 // this month
}

// ListAPIKeys returns every key, revoked ones too, oldest first, with its requests this month.
func (s *Store) ListAPIKeys(ctx context.Context) ([]KeyListing, error) {
	return queryAll(ctx, s.db, "list api keys", func(row pgx.Row) (KeyListing, error) {
		var l KeyListing
		var revoked *time.Time
		err := row.Scan(&l.ID, &l.Prefix, &l.Name, &l.Email, &l.Plan, &l.MonthlyQuota, &l.RateLimit,
			&l.CreatedAt, &revoked, &l.Requests)
		l.RevokedAt = timeOrZero(revoked)
		return l, err
	}, `
		SELECT k.id, k.key_prefix, k.name, k.email, k.plan, k.monthly_quota, k.rate_limit, k.created_at,
			k.revoked_at, coalesce(u.requests, 0)
		FROM api_keys k
		LEFT JOIN api_usage u ON u.api_key_id = k.id AND u.month = $1::date
		ORDER BY k.id`, billingMonth(s.now()))
}

// SetAPIKeyPlan moves the live key with that ID to plan. Returns ErrNotFound if there is no
// live such key.
func (s *Store) SetAPIKeyPlan(ctx context.Context, id int64, plan string) error {
	return s.updateLiveKey(ctx, "set plan of", id, `plan = $2`, plan)
}

// updateLiveKey runs "UPDATE api_keys SET <set>" on the live key with that ID ($1; args follow
// from $2). Returns ErrNotFound if there is no live such key; what names the change in errors.
func (s *Store) updateLiveKey(ctx context.Context, what string, id int64, set string, args ...any) error {
	tag, err := s.db.Exec(ctx, `UPDATE api_keys SET `+set+` WHERE id = $1 AND revoked_at IS NULL`,
		append([]any{id}, args...)...)
	if err != nil {
		return fmt.Errorf("%s api key %d: %w", what, id, interpretError(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%s api key %d: %w", what, id, hark.ErrNotFound)
	}
	return nil
}

// DayUsage is a key's requests on one UTC day.
type DayUsage struct {
	Day      time.Time
	Requests int64
}

// APIUsageThisMonth returns the key's requests on each UTC day of this billing month up to
// today, days without requests included.
func (s *Store) APIUsageThisMonth(ctx context.Context, id int64) ([]DayUsage, error) {
	now := s.now()
	return queryAll(ctx, s.db, "api usage by day", func(row pgx.Row) (DayUsage, error) {
		var d DayUsage
		err := row.Scan(&d.Day, &d.Requests)
		return d, err
	}, `
		SELECT g.day::date, coalesce(u.requests, 0)
		FROM generate_series($2::date, $3::date, interval '1 day') AS g(day)
		LEFT JOIN api_usage_daily u ON u.api_key_id = $1 AND u.day = g.day::date
		ORDER BY g.day`, id, billingMonth(now), utcDay(now))
}

// CountSignups returns how many keys sign-up has made since the start of today, UTC.
func (s *Store) CountSignups(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM api_keys WHERE email <> '' AND created_at >= $1`,
		utcDay(s.now())).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count sign-ups: %w", err)
	}
	return n, nil
}
