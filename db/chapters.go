package db

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"hark"
)

// ChaptersDue is an episode whose chapters file is to be fetched: never fetched, its URL changed
// since, or its URL removed while chapters from an old one are still stored (URL is then "").
type ChaptersDue struct {
	EpisodeID string
	URL       string
}

// chaptersDueCond selects the live episodes whose stored chapters do not match chapters_url.
const chaptersDueCond = `NOT gone AND (
		(chapters_url <> '' AND (chapters_fetched_at IS NULL OR chapters_fetched_url <> chapters_url))
		OR (chapters_url = '' AND chapters_fetched_url <> ''))`

// HasChaptersDue reports whether any episode of the podcast has a chapters file to fetch.
func (s *Store) HasChaptersDue(ctx context.Context, podcastID string) (bool, error) {
	var due bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM episodes
		WHERE podcast_id = $1 AND `+chaptersDueCond+`)`, podcastID).Scan(&due)
	if err != nil {
		return false, fmt.Errorf("check chapters due of %s: %w", podcastID, err)
	}
	return due, nil
}

// FindChaptersDue returns up to limit episodes of the podcast whose chapters file is to be
// fetched, newest first.
func (s *Store) FindChaptersDue(ctx context.Context, podcastID string, limit int) ([]ChaptersDue, error) {
	return queryAll(ctx, s.db, "find chapters due of "+podcastID, func(row pgx.Row) (ChaptersDue, error) {
		var d ChaptersDue
		err := row.Scan(&d.EpisodeID, &d.URL)
		return d, err
	}, `SELECT id, chapters_url FROM episodes
		WHERE podcast_id = $1 AND `+chaptersDueCond+`
		ORDER BY published_at DESC NULLS LAST, id LIMIT $2`, podcastID, limit)
}

// SaveChapters stores the chapters read from url, or, when the file could not be fetched or
// read, why not (chapters are then none), so the URL is not fetched again until it changes. The
// row is written only while the episode still links url, so a URL that changed meanwhile stays
// due.
func (s *Store) SaveChapters(ctx context.Context, episodeID, url string, chapters []hark.Chapter, failure string) error {
	doc, err := jsonOrNull(chapters)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, `UPDATE episodes SET chapters = @chapters::jsonb, chapters_error = @failure,
			chapters_fetched_at = now(), chapters_fetched_url = @url
		WHERE id = @id AND chapters_url = @url`,
		pgx.StrictNamedArgs{"id": episodeID, "url": url, "chapters": doc, "failure": clean(failure)})
	if err != nil {
		return fmt.Errorf("save chapters of %s: %w", episodeID, err)
	}
	return nil
}

// SaveTranscriptCues stores the timed cues of the transcript fetched from url next to its text
// (see SaveTranscript); nil cues, for a transcript without times, clear them.
func (s *Store) SaveTranscriptCues(ctx context.Context, episodeID, url string, cues []hark.Cue) error {
	doc, err := jsonOrNull(cues)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, `UPDATE episodes SET transcript_cues = $3::jsonb WHERE id = $1 AND transcript_url = $2`,
		episodeID, url, doc)
	if err != nil {
		return fmt.Errorf("save transcript cues of %s: %w", episodeID, err)
	}
	return nil
}

// Timeline is what an episode's page shows along the audio: its chapters and its transcript's
// cues, each nil when there are none, and why the chapters file could not be read.
type Timeline struct {
	// Chapters are those of the podcast:chapters file, or, when none were read from one, those
	// the feed lists in the item (Podlove Simple Chapters).
	Chapters      []hark.Chapter
	ChaptersError string
	Cues          []hark.Cue
}

// FindTimeline returns the episode's chapters and transcript cues. Returns ErrNotFound if there
// is no such episode.
func (s *Store) FindTimeline(ctx context.Context, episodeID string) (Timeline, error) {
	var tl Timeline
	var chapters, cues []byte
	// The file's chapters win: a feed that links a file keeps it the richer, newer list.
	err := s.db.QueryRow(ctx, `SELECT CASE WHEN chapters IS NOT NULL AND chapters <> '[]'::jsonb
			THEN chapters ELSE feed_chapters END, chapters_error, transcript_cues
		FROM episodes WHERE id = $1`, episodeID).Scan(&chapters, &tl.ChaptersError, &cues)
	if errors.Is(err, pgx.ErrNoRows) {
		return tl, fmt.Errorf("find timeline of %s: %w", episodeID, hark.ErrNotFound)
	}
	if err == nil && chapters != nil {
		err = json.Unmarshal(chapters, &tl.Chapters)
	}
	if err == nil && cues != nil {
		err = json.Unmarshal(cues, &tl.Cues)
	}
	if err != nil {
		return tl, fmt.Errorf("find timeline of %s: %w", episodeID, err)
	}
	return tl, nil
}

// jsonOrNull encodes v for a jsonb parameter: nil (SQL NULL) for a nil slice.
func jsonOrNull[T any](v []T) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	s := string(b)
	return &s, nil
}
