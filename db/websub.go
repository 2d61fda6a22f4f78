package db

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"hark"
)

// WebSub subscription states.
const (
	WebSubPending  = "pending"  // asked for; the hub has not verified it yet
	WebSubVerified = "verified" // the hub verified it; notifications come until ExpiresAt
	WebSubDenied   = "denied"   // the hub refused it, or unsubscribed us
)

// WebSubSubscription is Hark's subscription to the WebSub hub a podcast's feed names.
type WebSubSubscription struct {
	PodcastID    string
	HubURL       string
	TopicURL     string // the feed's rel="self" URL, else its feed URL
	Secret       string // HMAC key of the hub's X-Hub-Signature; never log it
	State        string // WebSubPending, WebSubVerified or WebSubDenied
	DeniedReason string
	LeaseSeconds int
	ExpiresAt    time.Time // zero until verified
	RequestedAt  time.Time // when the hub last accepted a subscribe request; zero before that
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

const webSubColumns = `podcast_id, hub_url, topic_url, secret, state, denied_reason, lease_seconds,
	expires_at, requested_at, created_at, updated_at`

func scanWebSub(row pgx.Row) (WebSubSubscription, error) {
	var s WebSubSubscription
	var expires, requested *time.Time
	err := row.Scan(&s.PodcastID, &s.HubURL, &s.TopicURL, &s.Secret, &s.State, &s.DeniedReason,
		&s.LeaseSeconds, &expires, &requested, &s.CreatedAt, &s.UpdatedAt)
	if err != nil {
		return WebSubSubscription{}, interpretError(err)
	}
	s.ExpiresAt, s.RequestedAt = timeOrZero(expires), timeOrZero(requested)
	return s, nil
}

// UpsertWebSubSubscription records that Hark wants to subscribe to topicURL at hubURL for the
// podcast. A new subscription is pending with a fresh random secret. An existing one keeps its
// secret, so notifications signed before a renewal still verify; it stays verified when hub and
// topic are unchanged (a renewal) and becomes pending otherwise. Returns ErrNotFound if the
// podcast does not exist.
func (s *Store) UpsertWebSubSubscription(ctx context.Context, podcastID, hubURL, topicURL string) (WebSubSubscription, error) {
	sub, err := scanWebSub(s.db.QueryRow(ctx, `
		INSERT INTO websub_subscriptions (podcast_id, hub_url, topic_url, secret)
		SELECT id, @hub_url, @topic_url, @secret FROM podcasts WHERE id = @podcast_id
		ON CONFLICT (podcast_id) DO UPDATE SET
			hub_url = excluded.hub_url, topic_url = excluded.topic_url,
			state = CASE WHEN websub_subscriptions.state = 'verified'
				AND (websub_subscriptions.hub_url, websub_subscriptions.topic_url) = (excluded.hub_url, excluded.topic_url)
				THEN 'verified' ELSE 'pending' END,
			denied_reason = '', updated_at = now()
		RETURNING `+webSubColumns,
		pgx.StrictNamedArgs{"podcast_id": podcastID, "hub_url": clean(hubURL), "topic_url": clean(topicURL), "secret": newSecret()}))
	if err != nil {
		return WebSubSubscription{}, fmt.Errorf("upsert websub subscription of %s: %w", podcastID, err)
	}
	return sub, nil
}

// FindWebSubSubscription returns the podcast's subscription. Returns ErrNotFound if it has none.
func (s *Store) FindWebSubSubscription(ctx context.Context, podcastID string) (WebSubSubscription, error) {
	if !hark.ValidID(podcastID) {
		return WebSubSubscription{}, fmt.Errorf("find websub subscription of %s: %w", podcastID, hark.ErrNotFound)
	}
	sub, err := scanWebSub(s.db.QueryRow(ctx, `SELECT `+webSubColumns+` FROM websub_subscriptions WHERE podcast_id = $1`, podcastID))
	if err != nil {
		return WebSubSubscription{}, fmt.Errorf("find websub subscription of %s: %w", podcastID, err)
	}
	return sub, nil
}

// MarkWebSubRequested records that the hub accepted a subscribe request just now.
func (s *Store) MarkWebSubRequested(ctx context.Context, podcastID string) error {
	if _, err := s.db.Exec(ctx, `UPDATE websub_subscriptions SET requested_at = now(), updated_at = now()
		WHERE podcast_id = $1`, podcastID); err != nil {
		return fmt.Errorf("mark websub requested of %s: %w", podcastID, err)
	}
	return nil
}

// MarkWebSubVerified records the hub's verification of the subscription to topicURL: it is
// verified for leaseSeconds from now. Returns ErrNotFound if the podcast has no subscription
// to that topic.
func (s *Store) MarkWebSubVerified(ctx context.Context, podcastID, topicURL string, leaseSeconds int) error {
	tag, err := s.db.Exec(ctx, `UPDATE websub_subscriptions SET state = 'verified', denied_reason = '',
			lease_seconds = @lease::integer, expires_at = now() + @lease::integer * interval '1 second',
			updated_at = now()
		WHERE podcast_id = @podcast_id AND topic_url = @topic_url`,
		pgx.StrictNamedArgs{"podcast_id": podcastID, "topic_url": topicURL, "lease": leaseSeconds})
	if err != nil {
		return fmt.Errorf("mark websub verified of %s: %w", podcastID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("mark websub verified of %s: %w", podcastID, hark.ErrNotFound)
	}
	return nil
}

// MarkWebSubDenied records that the hub refused the subscription, or ended it, and why.
// Returns ErrNotFound if the podcast has no subscription.
func (s *Store) MarkWebSubDenied(ctx context.Context, podcastID, reason string) error {
	tag, err := s.db.Exec(ctx, `UPDATE websub_subscriptions SET state = 'denied', denied_reason = $2,
			expires_at = NULL, updated_at = now()
		WHERE podcast_id = $1`, podcastID, clean(truncateUTF8(reason, 500)))
	if err != nil {
		return fmt.Errorf("mark websub denied of %s: %w", podcastID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("mark websub denied of %s: %w", podcastID, hark.ErrNotFound)
	}
	return nil
}

// FindWebSubExpiring returns up to limit verified subscriptions whose lease ends before t and
// for which no subscribe request was accepted since notBefore, soonest first: the ones to renew.
func (s *Store) FindWebSubExpiring(ctx context.Context, t, notBefore time.Time, limit int) ([]WebSubSubscription, error) {
	rows, err := s.db.Query(ctx, `SELECT `+webSubColumns+` FROM websub_subscriptions
		WHERE state = 'verified' AND expires_at < @before
		  AND (requested_at IS NULL OR requested_at < @not_before)
		ORDER BY expires_at LIMIT @limit`,
		pgx.StrictNamedArgs{"before": t, "not_before": notBefore, "limit": limit})
	if err != nil {
		return nil, fmt.Errorf("find expiring websub subscriptions: %w", err)
	}
	defer rows.Close()
	var subs []WebSubSubscription
	for rows.Next() {
		sub, err := scanWebSub(rows)
		if err != nil {
			return nil, fmt.Errorf("find expiring websub subscriptions: %w", err)
		}
		subs = append(subs, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find expiring websub subscriptions: %w", err)
	}
	return subs, nil
}

// newSecret returns 32 random bytes in hex: the WebSub spec allows secrets under 200 bytes.
func newSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error on Linux.
	return hex.EncodeToString(b[:])
}

// truncateUTF8 cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n]
}
