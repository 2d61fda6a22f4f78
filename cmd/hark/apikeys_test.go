package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"hark/db"
	"hark/db/dbtest"
)

func TestAPIKeysCommands(t *testing.T) {
	t.Parallel()
	pool, dbURL := dbtest.NewSchemaURL(t)
	ctx := context.Background()
	env := map[string]string{"DATABASE_URL": dbURL, "TYPESENSE_API_KEY": "unused-by-apikeys"}
	hark := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, args, func(n string) string { return env[n] }, &out, &out)
		return out.String(), err
	}
	out, err := hark("apikeys", "create", "-rate", "3", "app")
	if err != nil || !strings.Contains(out, "free plan") {
		t.Fatalf("create: %v\n%s", err, out)
	}
	key := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
	store := db.New(pool)
	k, _, err := store.FindAPIKey(ctx, key)
	if err != nil || k.Plan != "free" || k.RateLimit != 3 {
		t.Fatalf("created key: %+v, %v", k, err)
	}
	id := strings.Fields(out)[2] // "API key ID (...)"
	if out, err = hark("apikeys", "plan", id, "pro"); err != nil {
		t.Fatalf("plan: %v\n%s", err, out)
	}
	if _, err := hark("apikeys", "plan", id, "gold"); err == nil || !strings.Contains(userMessage(err), `no plan "gold"`) {
		t.Errorf("plan gold: %v; want an error naming PLANS", err)
	}
	if _, err := hark("apikeys", "create", "-plan", "gold", "x"); err == nil {
		t.Error("create on an unknown plan succeeded")
	}
	if out, err = hark("apikeys", "list"); err != nil || !strings.Contains(out, key[:8]) || !strings.Contains(out, " pro ") {
		t.Fatalf("list: %v\n%s", err, out)
	}
	if _, err = hark("apikeys", "revoke", id); err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.FindAPIKey(ctx, key); err == nil {
		t.Error("revoked key still found")
	}
	if out, _ = hark("apikeys", "list"); !strings.Contains(out, key[:8]) || strings.Contains(out, " -\n") {
		t.Errorf("list after revoke should show the revocation date:\n%s", out)
	}
	if _, err := hark("apikeys", "revoke", "x"); err == nil {
		t.Error("revoke x succeeded")
	}
}
