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

// sitemapTable is how a sitemap reads a table: the rows it lists, the random ID whose ranges
// cut it into files, and the order in which an index hands the rows over.
type sitemapTable struct{ rows, rangeColumn, order string }

// sitemapTables are the tables a sitemap may list; chosen from code, never from input. Episodes
// are cut by their show's ID, not their own: a crawl writes a show's episodes together, so they
// lie on few heap pages, where a range of random episode IDs visited a page per row (15,700
// pages for a file of 15,700 episodes over a million).
var sitemapTables = map[string]sitemapTable{
	"podcasts": {"podcasts WHERE true", "id", "id"},
	"episodes": {"episodes WHERE NOT gone", "podcast_id", "podcast_id, published_at DESC"},
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
// only) whose podcast IDs are at least from and below to ("" is no bound): a keyset range read
// off an index on the podcast ID.
func (s *Store) FindSitemapEntries(ctx context.Context, table, from, to string, limit int) ([]SitemapEntry, error) {
	st, ok := sitemapTables[table]
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
	}, `SELECT id, title, updated_at FROM `+st.rows+` AND `+st.rangeColumn+` >= $1 AND `+st.rangeColumn+` < $2
		ORDER BY `+st.order+` LIMIT $3`, from, to, limit)
}
