package db_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"testing/synctest"
	"time"

	"hark"
	"hark/db"
	"hark/db/dbtest"
)

func TestAPIKeyCacheMetersEveryRequest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, tx := dbtest.TestStore(t)
	key, k, err := store.CreateAPIKey(ctx, "dev", 5)
	if err != nil {
		t.Fatal(err)
	}
	cache := db.NewAPIKeyCache(store, time.Hour, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for want := int64(1); want <= 3; want++ {
		_, u, err := cache.AuthenticateAPIKey(ctx, key)
		if err != nil || u.Requests != want || u.Quota != 5 {
			t.Fatalf("request %d: usage %+v, err %v", want, u, err)
		}
	}
	// Another process (here: the store directly) uses the key meanwhile.
	if _, _, err := store.AuthenticateAPIKey(ctx, key); err != nil {
		t.Fatal(err)
	}
	if err := cache.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	var stored int64
	if err := tx.QueryRow(ctx, `SELECT requests FROM api_usage WHERE api_key_id = $1`, k.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != 4 {
		t.Fatalf("api_usage after flush = %d; want the 3 cached requests plus the 1 direct one", stored)
	}
	_, u, err := cache.AuthenticateAPIKey(ctx, key)
	if err != nil || u.Requests != 5 {
		t.Fatalf("after flush: usage %+v, err %v; want 5 requests, counting the other process's", u, err)
	}

	if _, _, err := cache.AuthenticateAPIKey(ctx, "not-a-key"); !errors.Is(err, hark.ErrUnauthorized) {
		t.Fatalf("unknown key: %v; want ErrUnauthorized", err)
	}
}

// TestAPIKeyCacheForgetsRevokedKeysAfterTTL runs the cache in a synctest bubble, whose clock moves
// only when the test sleeps: the TTL passes exactly, and without a wait in real time. The store's
// connection is made outside the bubble, since its goroutines outlive the test function.
func TestAPIKeyCacheForgetsRevokedKeysAfterTTL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, _ := dbtest.TestStore(t)
	key, k, err := store.CreateAPIKey(ctx, "dev", 0)
	if err != nil {
		t.Fatal(err)
	}
	synctest.Test(t, func(t *testing.T) {
		const ttl = time.Minute
		cache := db.NewAPIKeyCache(store, ttl, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if _, _, err := cache.AuthenticateAPIKey(ctx, key); err != nil {
			t.Fatal(err)
		}
		if err := store.RevokeAPIKey(ctx, k.ID); err != nil {
			t.Fatal(err)
		}
		time.Sleep(ttl - time.Second)
		if _, _, err := cache.AuthenticateAPIKey(ctx, key); err != nil {
			t.Fatalf("revoked key within the TTL: %v; want it still served from the cache", err)
		}
		time.Sleep(2 * time.Second)
		if _, _, err := cache.AuthenticateAPIKey(ctx, key); !errors.Is(err, hark.ErrUnauthorized) {
			t.Fatalf("revoked key after TTL: %v; want ErrUnauthorized", err)
		}
	})
}

// TestAPIKeyCacheFindCountsNothing: FindAPIKey, which the rate limit checks before a request is
// served, bills nothing, and carries the key's own rate.
func TestAPIKeyCacheFindCountsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, _ := dbtest.TestStore(t)
	key, k, err := store.CreateAPIKey(ctx, "dev", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SetAPIKeyRateLimit(ctx, k.ID, 7); err != nil {
		t.Fatal(err)
	}
	cache := db.NewAPIKeyCache(store, time.Hour, slog.New(slog.DiscardHandler))
	if _, _, err := cache.AuthenticateAPIKey(ctx, key); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		found, used, err := cache.FindAPIKey(ctx, key)
		if err != nil || used != 1 || found.RateLimit != 7 {
			t.Fatalf("FindAPIKey = rate %d, used %d, %v; want rate 7 and the 1 counted request", found.RateLimit, used, err)
		}
	}
	if err := cache.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, used, err := store.FindAPIKey(ctx, key); err != nil || used != 1 {
		t.Fatalf("stored usage %d, %v; want 1", used, err)
	}
	if _, _, err := cache.FindAPIKey(ctx, "not-a-key"); !errors.Is(err, hark.ErrUnauthorized) {
		t.Fatalf("unknown key: %v; want ErrUnauthorized", err)
	}
}
