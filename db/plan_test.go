package db_test

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"hark"
	"hark/db"
	"hark/db/dbtest"
)

// TestBillingMonthIsUTC meters requests at the edges of a month on sessions whose TimeZone is
// far from UTC: the month and day counted are UTC's, not the session's.
func TestBillingMonthIsUTC(t *testing.T) {
	t.Parallel()
	tests := []struct {
		zone      string
		at        time.Time
		month     string // the UTC month the request counts in
		day       string
		zoneMonth string // what date_trunc('month', ...) gives in the zone: the old bug
	}{
		{"Pacific/Kiritimati", time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC), "2026-11-01", "2026-11-30", "2026-12-01"},
		{"Etc/GMT+12", time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC), "2026-12-01", "2026-12-01", "2026-11-01"},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			store, tx := dbtest.TestStore(t)
			if _, err := tx.Exec(ctx, "SET LOCAL TimeZone = '"+tt.zone+"'"); err != nil {
				t.Fatal(err)
			}
			var zoneMonth string
			if err := tx.QueryRow(ctx, "SELECT date_trunc('month', $1::timestamptz)::date::text", tt.at).Scan(&zoneMonth); err != nil {
				t.Fatal(err)
			}
			if zoneMonth != tt.zoneMonth {
				t.Fatalf("the session's zone gives month %s, want %s: the test would not show the bug", zoneMonth, tt.zoneMonth)
			}
			db.SetClock(store, func() time.Time { return tt.at })
			key, k, err := store.CreateAPIKey(ctx, "edge", 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := store.MeterAPIKey(ctx, key, 0); err != nil {
				t.Fatal(err)
			}
			var month, day string
			err = tx.QueryRow(ctx, `SELECT u.month::text, d.day::text FROM api_usage u
				JOIN api_usage_daily d USING (api_key_id) WHERE u.api_key_id = $1`, k.ID).Scan(&month, &day)
			if err != nil {
				t.Fatal(err)
			}
			if month != tt.month || day != tt.day {
				t.Errorf("counted in month %s day %s; want %s %s (UTC)", month, day, tt.month, tt.day)
			}
			if _, used, err := store.FindAPIKey(ctx, key); err != nil || used != 1 {
				t.Errorf("FindAPIKey = %d requests, %v; want 1", used, err)
			}
		})
	}
}

// TestMeterAPIKeyHoldsQuota: concurrent requests on many connections count exactly up to the
// quota; the rest are refused and not counted.
func TestMeterAPIKeyHoldsQuota(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := db.New(dbtest.NewSchema(t))
	key, k, err := store.CreatePlanKey(ctx, db.NewAPIKey{Name: "q", Plan: hark.PlanFree})
	if err != nil {
		t.Fatal(err)
	}
	const quota, tries = 25, 60
	var mu sync.Mutex
	counted, spent := 0, 0
	var wg sync.WaitGroup
	for range tries {
		wg.Go(func() {
			_, u, err := store.MeterAPIKey(ctx, key, quota)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				t.Error(err)
			case u.Spent:
				spent++
			default:
				counted++
			}
		})
	}
	wg.Wait()
	if counted != quota || spent != tries-quota {
		t.Errorf("counted %d, refused %d; want %d and %d", counted, spent, quota, tries-quota)
	}
	keys, err := store.ListAPIKeys(ctx)
	if err != nil || len(keys) != 1 || keys[0].Requests != quota || keys[0].ID != k.ID {
		t.Fatalf("ListAPIKeys = %+v, %v; want the key with %d requests", keys, err, quota)
	}
	days, err := store.APIUsageThisMonth(ctx, k.ID)
	if err != nil || len(days) != time.Now().UTC().Day() || days[len(days)-1].Requests != quota {
		t.Errorf("APIUsageThisMonth = %+v, %v; want every day of the month so far, today %d", days, err, quota)
	}
}

func TestSetAPIKeyPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, _ := dbtest.TestStore(t)
	key, k, err := store.CreatePlanKey(ctx, db.NewAPIKey{Name: "up", Email: "a@example.com", Plan: hark.PlanFree})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := store.CountSignups(ctx); err != nil || n != 1 {
		t.Errorf("CountSignups = %d, %v; want 1", n, err)
	}
	if err := store.SetAPIKeyPlan(ctx, k.ID, "pro"); err != nil {
		t.Fatal(err)
	}
	if got, _, err := store.FindAPIKey(ctx, key); err != nil || got.Plan != "pro" {
		t.Errorf("after SetAPIKeyPlan: plan %q, %v; want pro", got.Plan, err)
	}
	if err := store.RevokeAPIKey(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	if err := store.SetAPIKeyPlan(ctx, k.ID, "free"); !errors.Is(err, hark.ErrNotFound) {
		t.Errorf("SetAPIKeyPlan on a revoked key: %v; want ErrNotFound", err)
	}
}

// BenchmarkAPIKeyCacheMeter compares metering a key without a quota (counted in memory,
// flushed later) with one with a quota (checked and counted in Postgres each request).
func BenchmarkAPIKeyCacheMeter(b *testing.B) {
	ctx := context.Background()
	store := db.New(dbtest.NewSchema(b))
	cache := db.NewAPIKeyCache(store, time.Minute, slog.New(slog.DiscardHandler))
	key, _, err := store.CreateAPIKey(ctx, "bench", 0)
	if err != nil {
		b.Fatal(err)
	}
	for _, quota := range []int{0, 1 << 30} {
		b.Run("quota="+strconv.Itoa(quota), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := cache.MeterAPIKey(ctx, key, quota); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
