package db

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// SitemapEntry is one page a sitemap lists.
type SitemapEntry struct {
	ID        string
	Title     string
	UpdatedAt time.Time
}

// sitemapTables are the tables a sitemap may list, with the rows it lists; chosen from code,
// never from input.
var sitemapTables = map[string]string{
	"podcasts": "podcasts WHERE true",
	"episodes": "episodes WHERE NOT gone",
}

// EstimateRows returns about how many rows table ("podcasts" or "episodes") has: the planner's
// estimate, which costs nothing, or a count while the table has never been analysed.
func (s *Store) EstimateRows(ctx context.Context, table string) (int, error) {
	if _, ok := sitemapTables[table]; !ok {
		return 0, fmt.Errorf("estimate rows: unknown table %q", table)
	}
	var n int64
	err := s.db.QueryRow(ctx, `SELECT CASE WHEN reltuples >= 0 THEN reltuples::bigint
			ELSE (SELECT count(*) FROM `+table+`) END
		FROM pg_class WHERE oid = $1::regclass`, table).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("estimate rows of %s: %w", table, err)
	}
	return int(n), nil
}

// FindSitemapEntries returns up to limit rows of table ("podcasts" or "episodes", live ones
// only) whose IDs are at least from and below to ("" is no bound), by ID: a keyset range read
// straight off the primary key.
func (s *Store) FindSitemapEntries(ctx context.Context, table, from, to string, limit int) ([]SitemapEntry, error) {
	rows, ok := sitemapTables[table]
	if !ok {
		return nil, fmt.Errorf("find sitemap entries: unknown table %q", table)
	}
	if to == "" {
		to = "g" // above every hex ID
	}
	return queryAll(ctx, s.db, "find sitemap entries of "+table, func(row pgx.Row) (SitemapEntry, error) {
		var e SitemapEntry
		err := row.Scan(&e.ID, &e.Title, &e.UpdatedAt)
		return e, err
	}, `SELECT id, title, updated_at FROM `+rows+` AND id >= $1 AND id < $2 ORDER BY id LIMIT $3`, from, to, limit)
}
