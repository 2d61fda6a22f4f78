package db

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"hark"
)

// GenreTop is the best podcasts of one genre: how many podcasts it has and the IDs of the first.
type GenreTop struct {
	GenreID    int
	Total      int
	PodcastIDs []string // best first
}

// FindGenreTops returns, for every genre with podcasts that have episodes, its podcast count and
// its top podcasts by quality score, counting only podcasts added after addedAfter unless it is
// zero.
func (s *Store) FindGenreTops(ctx context.Context, addedAfter time.Time, top int) ([]GenreTop, error) {
	rows, err := s.db.Query(ctx, `
		SELECT g, count(*), (array_agg(id ORDER BY quality_score DESC, id))[1:@top]
		FROM podcasts, unnest(genre_ids) AS g
		WHERE episode_count > 0 AND NOT dead AND (@after::timestamptz IS NULL OR created_at > @after)
		GROUP BY g ORDER BY g`,
		pgx.NamedArgs{"after": nullTime(addedAfter), "top": top})
	if err != nil {
		return nil, fmt.Errorf("find genre tops: %w", err)
	}
	tops, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (GenreTop, error) {
		var t GenreTop
		err := row.Scan(&t.GenreID, &t.Total, &t.PodcastIDs)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("find genre tops: %w", err)
	}
	return tops, nil
}

// CuratedList is a list of podcasts an operator made.
type CuratedList struct {
	ID          string // 11 characters, [0-9A-Za-z]
	Title       string
	Description string
	PodcastIDs  []string // in the operator's order
	CreatedAt   time.Time
}

const curatedIDChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// CuratedID returns an 11-character ID, the shape Listen API curated list IDs have, made from
// sum: random bytes for an operator's list, a hash for a generated one.
func CuratedID(sum []byte) string {
	b := make([]byte, 11)
	for i := range b {
		b[i] = curatedIDChars[int(sum[i%len(sum)])%len(curatedIDChars)]
	}
	return string(b)
}

// CreateCuratedList stores an operator's list. Returns ErrInvalid, naming them, when some of the
// podcasts do not exist.
func (s *Store) CreateCuratedList(ctx context.Context, title, description string, podcastIDs []string) (CuratedList, error) {
	var missing []string
	if err := s.db.QueryRow(ctx, `SELECT coalesce(array_agg(id), '{}') FROM unnest($1::text[]) AS u(id)
		WHERE NOT EXISTS (SELECT 1 FROM podcasts p WHERE p.id = u.id)`, podcastIDs).Scan(&missing); err != nil {
		return CuratedList{}, fmt.Errorf("create curated list: %w", err)
	}
	if len(missing) > 0 {
		return CuratedList{}, hark.Errorf(hark.ErrInvalid, "no podcast has the id %s", strings.Join(missing, ", "))
	}
	var raw [11]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never returns an error on Linux.
	l := CuratedList{ID: CuratedID(raw[:]), Title: title, Description: description, PodcastIDs: podcastIDs}
	err := s.db.QueryRow(ctx, `INSERT INTO curated_lists (id, title, description, podcast_ids)
		VALUES ($1, $2, $3, $4) RETURNING created_at`, l.ID, title, description, podcastIDs).Scan(&l.CreatedAt)
	if err != nil {
		return CuratedList{}, fmt.Errorf("create curated list: %w", interpretError(err))
	}
	return l, nil
}

// FindCuratedLists returns the operators' lists, the newest first.
func (s *Store) FindCuratedLists(ctx context.Context) ([]CuratedList, error) {
	rows, err := s.db.Query(ctx, `SELECT id, title, description, podcast_ids, created_at FROM curated_lists ORDER BY created_at DESC, id`)
	if err != nil {
		return nil, fmt.Errorf("find curated lists: %w", err)
	}
	lists, err := pgx.CollectRows(rows, pgx.RowToStructByPos[CuratedList])
	if err != nil {
		return nil, fmt.Errorf("find curated lists: %w", err)
	}
	return lists, nil
}

// DeleteCuratedList deletes an operator's list. Returns ErrNotFound when there is none.
func (s *Store) DeleteCuratedList(ctx context.Context, id string) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM curated_lists WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("delete curated list %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("delete curated list %s: %w", id, hark.ErrNotFound)
	}
	return nil
}
