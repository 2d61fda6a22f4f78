package db

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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

// SitemapFile is one written sitemap file; see migrations/00022_create_sitemap_files.sql and
// 00023_sitemap_files_checked_at.sql.
type SitemapFile struct {
	Kind     string
	N, Files int
	Base     string
	URLs     int
	Body     []byte // gzipped
	Digest   string // of Body, for ETags; set by SaveSitemapFile
	// BuiltAt is when the body was written: SaveSitemapFile keeps the stored time when the body
	// did not change.
	BuiltAt time.Time
	// CheckedAt is when the file was last written from the catalogue, changed or not (BuiltAt
	// of the last SaveSitemapFile); read by FindSitemapFile.
	CheckedAt time.Time
}

// SaveSitemapFile stores f, replacing what was stored for its kind, number and count of files,
// and sets its digest. It reports whether the body changed. An unchanged body keeps its row's
// body and built_at (no bytea is written again, and the ETag's age stays); checked_at becomes
// f.BuiltAt either way.
func (s *Store) SaveSitemapFile(ctx context.Context, f *SitemapFile) (changed bool, err error) {
	sum := sha256.Sum256(f.Body)
	f.Digest = hex.EncodeToString(sum[:16])
	// Setting body to the stored value keeps its TOAST pointer: Postgres writes no new copy.
	err = s.db.QueryRow(ctx, `INSERT INTO sitemap_files (kind, n, files, base, urls, body, digest, built_at, checked_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
		ON CONFLICT (kind, n, files) DO UPDATE SET base = EXCLUDED.base, urls = EXCLUDED.urls,
			checked_at = EXCLUDED.checked_at,
			body = CASE WHEN sitemap_files.digest <> EXCLUDED.digest OR sitemap_files.base <> EXCLUDED.base
				THEN EXCLUDED.body ELSE sitemap_files.body END,
			built_at = CASE WHEN sitemap_files.digest <> EXCLUDED.digest OR sitemap_files.base <> EXCLUDED.base
				THEN EXCLUDED.built_at ELSE sitemap_files.built_at END,
			digest = EXCLUDED.digest
		RETURNING built_at = $8`,
		f.Kind, f.N, f.Files, f.Base, f.URLs, f.Body, f.Digest, f.BuiltAt).Scan(&changed)
	if err != nil {
		return false, fmt.Errorf("save sitemap %s-%d of %d: %w", f.Kind, f.N, f.Files, err)
	}
	return changed, nil
}

// FindSitemapFile returns the stored file n of files of kind written under base. When
// ifDigest is its digest, the body is not read. It returns ErrNotFound when none is stored.
func (s *Store) FindSitemapFile(ctx context.Context, kind string, n, files int, base, ifDigest string) (SitemapFile, bool, error) {
	f := SitemapFile{Kind: kind, N: n, Files: files, Base: base}
	var notModified bool
	err := s.db.QueryRow(ctx, `SELECT urls, digest, built_at, checked_at, digest = $5,
			CASE WHEN digest = $5 THEN NULL ELSE body END
		FROM sitemap_files WHERE kind = $1 AND n = $2 AND files = $3 AND base = $4`,
		kind, n, files, base, ifDigest).Scan(&f.URLs, &f.Digest, &f.BuiltAt, &f.CheckedAt, &notModified, &f.Body)
	if err != nil {
		return f, false, fmt.Errorf("find sitemap %s-%d of %d: %w", kind, n, files, interpretError(err))
	}
	return f, notModified, nil
}

// DeleteSitemapFilesExcept deletes the stored files of kind that are not of files files (the
// ranges of an old count), and returns how many it deleted.
func (s *Store) DeleteSitemapFilesExcept(ctx context.Context, kind string, files int) (int64, error) {
	tag, err := s.db.Exec(ctx, `DELETE FROM sitemap_files WHERE kind = $1 AND files <> $2`, kind, files)
	if err != nil {
		return 0, fmt.Errorf("delete old sitemaps of %s: %w", kind, err)
	}
	return tag.RowsAffected(), nil
}
