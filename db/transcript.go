package db

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// TranscriptDue is an episode whose transcript is to be fetched: never fetched, its URL changed
// since, or its URL removed while text from an old one is still stored (URL is then "").
type TranscriptDue struct {
	EpisodeID string
	URL       string
	Type      string // MIME type the feed gave, lower case; may be ""
}

// transcriptDueCond selects the live episodes whose stored transcript does not match their
// transcript_url.
const transcriptDueCond = `NOT gone AND (
		(transcript_url <> '' AND (transcript_fetched_at IS NULL OR transcript_fetched_url <> transcript_url))
		OR (transcript_url = '' AND transcript_text <> ''))`

// HasTranscriptsDue reports whether any episode of the podcast has a transcript to fetch.
func (s *Store) HasTranscriptsDue(ctx context.Context, podcastID string) (bool, error) {
	var due bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM episodes
		WHERE podcast_id = $1 AND `+transcriptDueCond+`)`, podcastID).Scan(&due)
	if err != nil {
		return false, fmt.Errorf("check transcripts due of %s: %w", podcastID, err)
	}
	return due, nil
}

// FindTranscriptsDue returns up to limit episodes of the podcast whose transcript is to be
// fetched, newest first.
func (s *Store) FindTranscriptsDue(ctx context.Context, podcastID string, limit int) ([]TranscriptDue, error) {
	return queryAll(ctx, s.db, "find transcripts due of "+podcastID, func(row pgx.Row) (TranscriptDue, error) {
		var d TranscriptDue
		err := row.Scan(&d.EpisodeID, &d.URL, &d.Type)
		return d, err
	}, `SELECT id, transcript_url, transcript_type FROM episodes
		WHERE podcast_id = $1 AND `+transcriptDueCond+`
		ORDER BY published_at DESC NULLS LAST, id LIMIT $2`, podcastID, limit)
}

// SaveTranscript stores the text fetched from url as the episode's transcript; text is "" when
// the fetch failed, which is recorded too so the URL is not fetched again. The row is written
// only while the episode still links url, so a URL that changed meanwhile stays due. When the
// text differs from the stored one, the episode is flagged for the index and its updated_at
// moves (the index job's race check and drift repair read it); otherwise those stay as they are.
// It reports whether the text changed.
func (s *Store) SaveTranscript(ctx context.Context, episodeID, url, text string) (bool, error) {
	var changed bool
	err := s.db.QueryRow(ctx, `
		WITH old AS (
			SELECT id, transcript_text FROM episodes WHERE id = @id AND transcript_url = @url FOR UPDATE
		)
		UPDATE episodes e SET
			transcript_text = @text, transcript_fetched_at = now(), transcript_fetched_url = @url,
			index_pending = e.index_pending OR old.transcript_text <> @text,
			updated_at = CASE WHEN old.transcript_text <> @text THEN now() ELSE e.updated_at END
		FROM old WHERE e.id = old.id
		RETURNING old.transcript_text <> @text`,
		pgx.StrictNamedArgs{"id": episodeID, "url": url, "text": clean(text)}).Scan(&changed)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil // the episode no longer links url
	}
	if err != nil {
		return false, fmt.Errorf("save transcript of %s: %w", episodeID, err)
	}
	return changed, nil
}
