package db

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Alert is a saved search whose new matches are posted to a webhook.
type Alert struct {
	ID         int64
	APIKeyID   int64
	Query      string // websearch syntax: words, "a phrase", or, -word
	Language   string // a lower-case language code ("en" takes "en-US" too), or "" for any
	GenreIDs   []int  // any of these genres, or none for any
	PodcastID  string // one podcast, or "" for any
	WebhookURL string
	Secret     string // signs the posts (HMAC-SHA256); shown to the key holder once
	CreatedAt  time.Time
}

// AlertMatch is an episode an alert matched for the first time.
type AlertMatch struct {
	Alert     Alert
	EpisodeID string
}

const alertColumns = `id, api_key_id, query, language, genre_ids, podcast_id, webhook_url, secret, created_at`

// targets are the scan targets of alertColumns.
func (a *Alert) targets() []any {
	return []any{&a.ID, &a.APIKeyID, &a.Query, &a.Language, &a.GenreIDs, &a.PodcastID, &a.WebhookURL, &a.Secret, &a.CreatedAt}
}

func scanAlert(row pgx.CollectableRow) (Alert, error) {
	var a Alert
	err := row.Scan(a.targets()...)
	return a, err
}

// CreateAlert saves a and returns it with its ID and creation time.
func (s *Store) CreateAlert(ctx context.Context, a Alert) (Alert, error) {
	rows, _ := s.db.Query(ctx, `INSERT INTO alerts (api_key_id, query, language, genre_ids, podcast_id, webhook_url, secret)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING `+alertColumns,
		a.APIKeyID, a.Query, a.Language, append([]int{}, a.GenreIDs...), a.PodcastID, a.WebhookURL, a.Secret)
	a, err := pgx.CollectExactlyOneRow(rows, scanAlert)
	if err != nil {
		return a, fmt.Errorf("create alert: %w", interpretError(err))
	}
	return a, nil
}

// FindAlerts returns the alerts of an API key, oldest first.
func (s *Store) FindAlerts(ctx context.Context, apiKeyID int64) ([]Alert, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+alertColumns+` FROM alerts WHERE api_key_id = $1 ORDER BY id`, apiKeyID)
	alerts, err := pgx.CollectRows(rows, scanAlert)
	if err != nil {
		return nil, fmt.Errorf("find alerts: %w", err)
	}
	return alerts, nil
}

// DeleteAlert deletes the key's alert id. Returns ErrNotFound if the key has no such alert.
func (s *Store) DeleteAlert(ctx context.Context, apiKeyID, id int64) (Alert, error) {
	rows, _ := s.db.Query(ctx, `DELETE FROM alerts WHERE api_key_id = $1 AND id = $2 RETURNING `+alertColumns, apiKeyID, id)
	a, err := pgx.CollectExactlyOneRow(rows, scanAlert)
	if err != nil {
		return a, fmt.Errorf("delete alert %d: %w", id, interpretError(err))
	}
	return a, nil
}

// alertMatchSQL selects the (alert, episode) pairs that match among the live episodes $1.
const alertMatchSQL = `
	SELECT a.id, e.id FROM (
		SELECT e.id, e.podcast_id, e.created_at, p.language, p.genre_ids,
			to_tsvector('simple', e.title || ' ' || e.description) AS doc
		FROM episodes e JOIN podcasts p ON p.id = e.podcast_id
		WHERE e.id = ANY($1) AND NOT e.gone
	) AS e JOIN alerts a ON e.created_at >= a.created_at
	WHERE (a.podcast_id = '' OR a.podcast_id = e.podcast_id)
	  AND (a.language = '' OR lower(e.language) = a.language OR lower(e.language) LIKE a.language || '-%')
	  AND (a.genre_ids = '{}' OR a.genre_ids && e.genre_ids)
	  AND e.doc @@ websearch_to_tsquery('simple', a.query)
	  AND NOT EXISTS (SELECT FROM alert_deliveries d WHERE d.alert_id = a.id AND d.episode_id = e.id)`

// AnyAlertMatches says whether MatchAlerts would find a new match among episodeIDs, with one
// read, so that the index job opens a transaction only when there is something to send.
func (s *Store) AnyAlertMatches(ctx context.Context, episodeIDs []string) (bool, error) {
	if len(episodeIDs) == 0 {
		return false, nil
	}
	var found bool
	if err := s.db.QueryRow(ctx, `SELECT EXISTS (`+alertMatchSQL+`)`, episodeIDs).Scan(&found); err != nil {
		return false, fmt.Errorf("match alerts: %w", err)
	}
	return found, nil
}

// MatchAlerts finds the alerts that the live episodes among episodeIDs match and records each
// (alert, episode) pair, returning only the pairs not recorded before: an episode is matched at
// most once per alert, however often it is indexed. An alert matches only episodes Hark added
// after it was made. The query matches the title and description with Postgres's full-text
// search ("simple" configuration: no stemming, as Typesense has none).
func (s *Store) MatchAlerts(ctx context.Context, episodeIDs []string) ([]AlertMatch, error) {
	if len(episodeIDs) == 0 {
		return nil, nil
	}
	rows, _ := s.db.Query(ctx, `
		WITH m AS (
			INSERT INTO alert_deliveries (alert_id, episode_id)
			`+alertMatchSQL+`
			ON CONFLICT DO NOTHING
			RETURNING alert_id, episode_id
		)
		SELECT a.id, a.api_key_id, a.query, a.language, a.genre_ids, a.podcast_id, a.webhook_url, a.secret,
			a.created_at, m.episode_id
		FROM m JOIN alerts a ON a.id = m.alert_id ORDER BY a.id, m.episode_id`, episodeIDs)
	matches, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (AlertMatch, error) {
		var m AlertMatch
		err := row.Scan(append(m.Alert.targets(), &m.EpisodeID)...)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("match alerts: %w", err)
	}
	return matches, nil
}
