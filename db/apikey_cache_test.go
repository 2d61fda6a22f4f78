package db_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"hark"
	"hark/db"
	"hark/db/dbtest"
)

func TestAPIKeyCacheMetersEveryRequest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewSchema(t)
	store := db.New(pool)
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
	if err := pool.QueryRow(ctx, `SELECT requests FROM api_usage WHERE api_key_id = $1`, k.ID).Scan(&stored); err != nil {
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

func TestAPIKeyCacheForgetsRevokedKeysAfterTTL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := db.New(dbtest.NewSchema(t))
	key, k, err := store.CreateAPIKey(ctx, "dev", 0)
	if err != nil {
		t.Fatal(err)
	}
	cache := db.NewAPIKeyCache(store, 100*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, _, err := cache.AuthenticateAPIKey(ctx, key); err != nil {
		t.Fatal(err)
	}
	if err := store.RevokeAPIKey(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond)
	if _, _, err := cache.AuthenticateAPIKey(ctx, key); !errors.Is(err, hark.ErrUnauthorized) {
		t.Fatalf("revoked key after TTL: %v; want ErrUnauthorized", err)
	}
}
