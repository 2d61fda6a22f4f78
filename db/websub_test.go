package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"hark"
	"hark/db"
	"hark/db/dbtest"
)

func TestWebSubSubscriptionLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, _ := dbtest.TestStore(t)
	p, _, err := store.CreatePodcast(ctx, "https://example.com/websub", "example.com/websub", "")
	if err != nil {
		t.Fatal(err)
	}

	if _, err := store.FindWebSubSubscription(ctx, p.ID); !errors.Is(err, hark.ErrNotFound) {
		t.Fatalf("FindWebSubSubscription before any = %v; want ErrNotFound", err)
	}
	if _, err := store.UpsertWebSubSubscription(ctx, hark.NewID(), "https://hub.example/", "https://example.com/feed"); !errors.Is(err, hark.ErrNotFound) {
		t.Fatalf("UpsertWebSubSubscription of an unknown podcast = %v; want ErrNotFound", err)
	}

	sub, err := store.UpsertWebSubSubscription(ctx, p.ID, "https://hub.example/", "https://example.com/feed")
	if err != nil {
		t.Fatal(err)
	}
	if sub.State != db.WebSubPending || len(sub.Secret) != 64 || !sub.ExpiresAt.IsZero() {
		t.Fatalf("new subscription = state %q, secret of %d chars, expires %s", sub.State, len(sub.Secret), sub.ExpiresAt)
	}

	if err := store.MarkWebSubVerified(ctx, p.ID, "https://other.example/feed", 3600); !errors.Is(err, hark.ErrNotFound) {
		t.Fatalf("MarkWebSubVerified of another topic = %v; want ErrNotFound", err)
	}
	if err := store.MarkWebSubVerified(ctx, p.ID, "https://example.com/feed", 3600); err != nil {
		t.Fatal(err)
	}
	got, err := store.FindWebSubSubscription(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != db.WebSubVerified || got.LeaseSeconds != 3600 || time.Until(got.ExpiresAt) < 59*time.Minute || time.Until(got.ExpiresAt) > 61*time.Minute {
		t.Fatalf("verified subscription = state %q, lease %d, expires in %s", got.State, got.LeaseSeconds, time.Until(got.ExpiresAt))
	}

	// It expires within a day and was never re-requested: due for renewal.
	expiring, err := store.FindWebSubExpiring(ctx, time.Now().Add(24*time.Hour), time.Now().Add(-time.Hour), 10)
	if err != nil || len(expiring) != 1 || expiring[0].PodcastID != p.ID {
		t.Fatalf("FindWebSubExpiring = %+v, %v; want the subscription", expiring, err)
	}
	if err := store.MarkWebSubRequested(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if expiring, err := store.FindWebSubExpiring(ctx, time.Now().Add(24*time.Hour), time.Now().Add(-time.Hour), 10); err != nil || len(expiring) != 0 {
		t.Fatalf("FindWebSubExpiring right after a request = %d, %v; want none", len(expiring), err)
	}

	// A renewal for the same hub and topic keeps it verified and keeps the secret.
	renewed, err := store.UpsertWebSubSubscription(ctx, p.ID, "https://hub.example/", "https://example.com/feed")
	if err != nil || renewed.State != db.WebSubVerified || renewed.Secret != sub.Secret {
		t.Fatalf("renewal = state %q, same secret %v, err %v; want verified with the old secret", renewed.State, renewed.Secret == sub.Secret, err)
	}
	// A new hub starts over as pending, still with the old secret.
	moved, err := store.UpsertWebSubSubscription(ctx, p.ID, "https://hub2.example/", "https://example.com/feed")
	if err != nil || moved.State != db.WebSubPending || moved.HubURL != "https://hub2.example/" || moved.Secret != sub.Secret {
		t.Fatalf("new hub = %+v, %v; want pending at hub2", moved, err)
	}

	if err := store.MarkWebSubDenied(ctx, p.ID, "topic not allowed"); err != nil {
		t.Fatal(err)
	}
	if got, _ := store.FindWebSubSubscription(ctx, p.ID); got.State != db.WebSubDenied || got.DeniedReason != "topic not allowed" {
		t.Fatalf("denied subscription = state %q, reason %q", got.State, got.DeniedReason)
	}
}
