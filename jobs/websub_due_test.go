package jobs

import (
	"testing"
	"time"

	"hark/db"
)

func TestWebSubDue(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	const hub, topic = "https://hub.example/", "https://example.com/feed"
	sub := func(state string, expiresIn, updatedAgo time.Duration) db.WebSubSubscription {
		s := db.WebSubSubscription{HubURL: hub, TopicURL: topic, State: state, UpdatedAt: now.Add(-updatedAgo)}
		if expiresIn != 0 {
			s.ExpiresAt = now.Add(expiresIn)
		}
		return s
	}
	tests := []struct {
		name  string
		sub   db.WebSubSubscription
		found bool
		hub   string
		want  bool
	}{
		{name: "none yet", found: false, hub: hub, want: true},
		{name: "verified, long lease", sub: sub(db.WebSubVerified, 5*24*time.Hour, 48*time.Hour), found: true, hub: hub, want: false},
		{name: "verified, lease ends tonight", sub: sub(db.WebSubVerified, 6*time.Hour, 48*time.Hour), found: true, hub: hub, want: true},
		{name: "verified, lease ends tonight, renewal just sent", sub: sub(db.WebSubVerified, 6*time.Hour, 10*time.Minute), found: true, hub: hub, want: false},
		{name: "verified, another hub now", sub: sub(db.WebSubVerified, 5*24*time.Hour, time.Minute), found: true, hub: "https://hub2.example/", want: true},
		{name: "pending, asked an hour ago", sub: sub(db.WebSubPending, 0, time.Hour), found: true, hub: hub, want: false},
		{name: "pending, never verified in two days", sub: sub(db.WebSubPending, 0, 48*time.Hour), found: true, hub: hub, want: true},
		{name: "denied today", sub: sub(db.WebSubDenied, 0, time.Hour), found: true, hub: hub, want: false},
		{name: "denied two days ago", sub: sub(db.WebSubDenied, 0, 48*time.Hour), found: true, hub: hub, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := webSubDue(tt.sub, tt.found, tt.hub, topic, now); got != tt.want {
				t.Errorf("webSubDue = %v; want %v", got, tt.want)
			}
		})
	}
}
