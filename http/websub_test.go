package http_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // the hub side of the spec's sha1 signatures
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hark/db"
)

func TestWebSubCallback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, setupOpts{})
	jazz := addJazzShow(t, b.store)
	const topic = "https://feeds.example.com/jazz.xml"
	sub, err := b.store.UpsertWebSubSubscription(ctx, jazz.podcast.ID, "https://hub.example/", topic)
	if err != nil {
		t.Fatal(err)
	}
	callback := "/websub/callback/" + jazz.podcast.ID

	// Verification echoes the challenge as plain text and stores the lease.
	q := url.Values{"hub.mode": {"subscribe"}, "hub.topic": {topic}, "hub.challenge": {"<b>abc</b>"}, "hub.lease_seconds": {"7200"}}
	rec := b.get(t, callback+"?"+q.Encode())
	if rec.Code != http.StatusOK || rec.Body.String() != "<b>abc</b>" || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("verification = %d %q (%s); want 200 with the challenge as text/plain", rec.Code, rec.Body, rec.Header().Get("Content-Type"))
	}
	if got, _ := b.store.FindWebSubSubscription(ctx, jazz.podcast.ID); got.State != db.WebSubVerified || got.LeaseSeconds != 7200 {
		t.Fatalf("after verification: state %q lease %d; want verified for 7200s", got.State, got.LeaseSeconds)
	}

	body := "<rss>changed</rss>"
	tests := []struct {
		name      string
		signature string
		refreshed bool
	}{
		{"sha1", "sha1=" + mac(sha1.New, sub.Secret, body), true},
		{"sha256", "sha256=" + mac(sha256.New, sub.Secret, body), true},
		{"sha512", "sha512=" + mac(sha512.New, sub.Secret, body), true},
		{"wrong secret", "sha256=" + mac(sha256.New, "guess", body), false},
		{"signature of another body", "sha256=" + mac(sha256.New, sub.Secret, "<rss/>"), false},
		{"unknown algorithm", "md5=" + mac(sha256.New, sub.Secret, body), false},
		{"not hex", "sha256=zz", false},
		{"missing", "", false},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(http.MethodPost, callback, strings.NewReader(body))
		if tt.signature != "" {
			req.Header.Set("X-Hub-Signature", tt.signature)
		}
		rec := httptest.NewRecorder()
		b.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusAccepted {
			t.Errorf("%s: notification answered %d; want 202", tt.name, rec.Code)
		}
		var want []string
		if tt.refreshed {
			want = []string{jazz.podcast.ID}
		}
		if diff := cmp.Diff(want, b.takeCrawls(t)); diff != "" {
			t.Errorf("%s: crawls enqueued (-want +got):\n%s", tt.name, diff)
		}
	}

	// A hub's denial is recorded; the answer carries no challenge.
	q = url.Values{"hub.mode": {"denied"}, "hub.topic": {topic}, "hub.reason": {"topic not allowed"}}
	if rec := b.get(t, callback+"?"+q.Encode()); rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Fatalf("denial = %d %q; want 200 and no body", rec.Code, rec.Body)
	}
	if got, _ := b.store.FindWebSubSubscription(ctx, jazz.podcast.ID); got.State != db.WebSubDenied || got.DeniedReason != "topic not allowed" {
		t.Fatalf("after denial: state %q reason %q", got.State, got.DeniedReason)
	}

	// Notifications for a podcast without subscription are not found.
	req := httptest.NewRequest(http.MethodPost, "/websub/callback/0123456789abcdef0123456789abcdef", strings.NewReader(body))
	rec = httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotFound {
		t.Fatalf("notification for an unknown podcast = %d; want 404", rec.Code)
	}
}

func mac(h func() hash.Hash, secret, body string) string {
	m := hmac.New(h, []byte(secret))
	m.Write([]byte(body))
	return hex.EncodeToString(m.Sum(nil))
}
