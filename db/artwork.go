package db

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"hark"
)

// Artwork is one source image and what Hark made of it; see migrations/00016_create_artwork.sql.
type Artwork struct {
	Key         string // artwork.Key(SourceURL)
	SourceURL   string
	Title       string
	ContentType string
	ETag        string
	Width       int
	Height      int
	Small       []byte // nil when the fetch failed
	Large       []byte
	Digest      string
	Error       string // why there are no copies; "" after a success
	FetchedAt   time.Time
}

// ArtworkSource is an image URL that a podcast or its episodes name and Hark has not fetched.
type ArtworkSource struct {
	URL   string
	Title string // of the show, or of the first episode naming the URL
	Notes bool   // an image of show notes (episodes.notes_images), keyed by artwork.NotesKey
}

// artworkKeySQL computes artwork.Key of the column or expression url in SQL.
func artworkKeySQL(url string) string {
	return `left(encode(sha256(convert_to(` + url + `, 'UTF8')), 'hex'), 32)`
}

// FindArtworkDue returns up to limit image URLs that the podcast or its live episodes name and
// that have no artwork row (new shows, and images whose URL changed since the last fetch): the
// show's own first, then its episodes', newest first, then the images of their show notes.
func (s *Store) FindArtworkDue(ctx context.Context, podcastID string, limit int) ([]ArtworkSource, error) {
	return queryAll(ctx, s.db, "find artwork due of "+podcastID, func(row pgx.Row) (ArtworkSource, error) {
		var a ArtworkSource
		err := row.Scan(&a.URL, &a.Title, &a.Notes)
		return a, err
	}, `SELECT url, title, notes FROM (
			SELECT DISTINCT ON (src.key) src.url, src.title, src.notes, src.rank, src.published_at FROM (
				SELECT `+artworkKeySQL("image_url")+` AS key, image_url AS url, title, false AS notes,
					0 AS rank, NULL::timestamptz AS published_at
				FROM podcasts WHERE id = $1 AND image_url <> ''
				UNION ALL
				SELECT `+artworkKeySQL("image_url")+`, image_url, title, false, 1, published_at
				FROM episodes WHERE podcast_id = $1 AND NOT gone AND image_url <> ''
				UNION ALL
				SELECT `+artworkKeySQL(notesKeyPrefixSQL+" || n.url")+`, n.url, e.title, true, 2, e.published_at
				FROM episodes e CROSS JOIN unnest(e.notes_images) AS n(url)
				WHERE e.podcast_id = $1 AND NOT e.gone
			) src
			WHERE NOT EXISTS (SELECT 1 FROM artwork a WHERE a.key = src.key)
			ORDER BY src.key, src.rank, src.published_at DESC NULLS LAST
		) due
		ORDER BY rank, published_at DESC NULLS LAST
		LIMIT $2`, podcastID, limit)
}

// notesKeyPrefixSQL is artwork.NotesKey's prefix as an SQL literal.
const notesKeyPrefixSQL = `'notes:'`

// NotesImage is the stored copy of an image of show notes.
type NotesImage struct {
	Width, Height int // of the source; artwork.FitSize gives the copies'
}

// FindNotesImages returns, by key, the notes images with keys that Hark has copies of; images
// not fetched yet, or whose fetch failed, are left out.
func (s *Store) FindNotesImages(ctx context.Context, keys []string) (map[string]NotesImage, error) {
	rows, err := s.db.Query(ctx, `SELECT key, width, height FROM artwork
		WHERE key = ANY($1) AND large IS NOT NULL AND error = ''`, keys)
	if err != nil {
		return nil, fmt.Errorf("find notes images: %w", err)
	}
	defer rows.Close()
	out := make(map[string]NotesImage, len(keys))
	for rows.Next() {
		var key string
		var img NotesImage
		if err := rows.Scan(&key, &img.Width, &img.Height); err != nil {
			return nil, fmt.Errorf("find notes images: %w", err)
		}
		out[key] = img
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find notes images: %w", err)
	}
	return out, nil
}

// SaveArtwork stores a fetch's outcome, replacing what the key had.
func (s *Store) SaveArtwork(ctx context.Context, a Artwork) error {
	return s.SaveArtworks(ctx, []Artwork{a})
}

// SaveArtworks stores fetches' outcomes in one round trip, each replacing what its key had.
func (s *Store) SaveArtworks(ctx context.Context, as []Artwork) error {
	b := &pgx.Batch{}
	for _, a := range as {
		b.Queue(saveArtworkSQL, pgx.NamedArgs{"key": a.Key, "source_url": a.SourceURL, "title": a.Title, "content_type": a.ContentType,
			"etag": a.ETag, "width": a.Width, "height": a.Height, "small": a.Small, "large": a.Large,
			"digest": a.Digest, "error": a.Error})
	}
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("save %d artworks: %w", len(as), err)
	}
	return nil
}

const saveArtworkSQL = `INSERT INTO artwork (key, source_url, title, content_type, etag, width, height,
			small, large, digest, error, fetched_at)
		VALUES (@key, @source_url, @title, @content_type, @etag, @width, @height, @small, @large, @digest, @error, now())
		ON CONFLICT (key) DO UPDATE SET source_url = EXCLUDED.source_url, title = EXCLUDED.title,
			content_type = EXCLUDED.content_type, etag = EXCLUDED.etag, width = EXCLUDED.width,
			height = EXCLUDED.height, small = EXCLUDED.small, large = EXCLUDED.large,
			digest = EXCLUDED.digest, error = EXCLUDED.error, fetched_at = EXCLUDED.fetched_at`

// ArtworkCopy is one served copy of an artwork, or what to draw instead.
type ArtworkCopy struct {
	Bytes  []byte // JPEG; nil when the fetch failed or NotModified
	Digest string
	Title  string
	Error  string
	// NotModified says the caller's digest is current: Bytes were not read.
	NotModified bool
}

// artworkCopyColumns are the columns of each size, chosen from code, never from input.
var artworkCopyColumns = map[int]string{300: "small", 600: "large"}

// FindArtworkCopy returns the copy of the given size (300 or 600) of the artwork with key. When
// ifDigest is the stored digest, the bytes are not read (and not detoasted). Returns ErrNotFound
// when Hark has no row for key (not fetched yet, or no such image) and ErrInvalid for another size.
func (s *Store) FindArtworkCopy(ctx context.Context, key string, size int, ifDigest string) (ArtworkCopy, error) {
	col, ok := artworkCopyColumns[size]
	if !ok {
		return ArtworkCopy{}, hark.Errorf(hark.ErrInvalid, "no artwork of %d px", size)
	}
	var c ArtworkCopy
	err := s.db.QueryRow(ctx, `SELECT digest, title, error, digest = $2 AND digest <> '',
			CASE WHEN digest = $2 AND digest <> '' THEN NULL ELSE `+col+` END
		FROM artwork WHERE key = $1`, key, ifDigest).Scan(&c.Digest, &c.Title, &c.Error, &c.NotModified, &c.Bytes)
	if err != nil {
		return c, fmt.Errorf("find artwork %s: %w", key, interpretError(err))
	}
	return c, nil
}

// DeleteFailedArtwork forgets the fetches that failed, so the next artwork job of each podcast
// tries their URLs again. It returns how many it forgot.
func (s *Store) DeleteFailedArtwork(ctx context.Context) (int64, error) {
	tag, err := s.db.Exec(ctx, `DELETE FROM artwork WHERE error <> ''`)
	if err != nil {
		return 0, fmt.Errorf("delete failed artwork: %w", err)
	}
	return tag.RowsAffected(), nil
}
