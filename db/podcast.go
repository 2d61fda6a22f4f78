package db

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"hark"
)

// podcastColumns lists the columns scanPodcast reads, in order.
const podcastColumns = `id, feed_url, podcast_guid, title, publisher, description, image_url, website_url,
	language, country, explicit, categories, genre_ids, type, complete, locked, medium, funding_url,
	owner_email, episode_count, latest_pub_date, earliest_pub_date, update_freq_hours, quality_score,
	etag, last_modified, body_hash, last_crawled_at, last_http_status, last_error,
	consecutive_failures, next_crawl_at, dead, created_at, updated_at`

// podcastRow is a podcasts row as scanned, before its nullable columns become Podcast fields.
type podcastRow struct {
	p                         hark.Podcast
	latest, earliest, crawled *time.Time
	genres                    []int32
}

// targets returns where the columns of podcastColumns go, in order.
func (r *podcastRow) targets() []any {
	p, c := &r.p, &r.p.Crawl
	return []any{&p.ID, &p.FeedURL, &p.PodcastGUID, &p.Title, &p.Publisher, &p.Description,
		&p.ImageURL, &p.WebsiteURL, &p.Language, &p.Country, &p.Explicit, &p.Categories, &r.genres,
		&p.Type, &p.Complete, &p.Locked, &p.Medium, &p.FundingURL, &p.OwnerEmail, &p.EpisodeCount,
		&r.latest, &r.earliest, &p.UpdateFreqHours, &p.QualityScore,
		&c.ETag, &c.LastModified, &c.BodyHash, &r.crawled, &c.LastHTTPStatus, &c.LastError,
		&c.ConsecutiveFailures, &c.NextCrawlAt, &c.Dead, &p.CreatedAt, &p.UpdatedAt}
}

func (r *podcastRow) podcast() hark.Podcast {
	p := r.p
	p.LatestPubDate, p.EarliestPubDate, p.Crawl.LastCrawledAt = timeOrZero(r.latest), timeOrZero(r.earliest), timeOrZero(r.crawled)
	for _, g := range r.genres {
		p.GenreIDs = append(p.GenreIDs, int(g))
	}
	return p
}

func scanPodcast(row pgx.Row) (hark.Podcast, error) {
	var r podcastRow
	if err := row.Scan(r.targets()...); err != nil {
		return hark.Podcast{}, interpretError(err)
	}
	return r.podcast(), nil
}

// FindPodcastByID returns the podcast with that public ID. Returns ErrNotFound if there is none.
func (s *Store) FindPodcastByID(ctx context.Context, id string) (hark.Podcast, error) {
	if !hark.ValidID(id) {
		return hark.Podcast{}, hark.ErrNotFound
	}
	p, err := scanPodcast(s.db.QueryRow(ctx, `SELECT `+podcastColumns+` FROM podcasts WHERE id = $1`, id))
	if err != nil {
		return hark.Podcast{}, fmt.Errorf("find podcast %s: %w", id, err)
	}
	return p, nil
}

// FindPodcastByIdentity returns the podcast whose feed URL, or an old URL of it, has the identity
// key (see feed.IdentityKey). Returns ErrNotFound if there is none.
func (s *Store) FindPodcastByIdentity(ctx context.Context, identityKey string) (hark.Podcast, error) {
	p, err := scanPodcast(s.db.QueryRow(ctx, `
		SELECT `+podcastColumns+` FROM podcasts
		WHERE identity_key = $1
		   OR id = (SELECT podcast_id FROM podcast_aliases WHERE identity_key = $1)
		LIMIT 1`, identityKey))
	if err != nil {
		return hark.Podcast{}, fmt.Errorf("find podcast by url: %w", err)
	}
	return p, nil
}

// FindPodcastsByIDs returns the podcasts with those IDs, in no particular order; unknown IDs are
// left out.
func (s *Store) FindPodcastsByIDs(ctx context.Context, ids []string) ([]hark.Podcast, error) {
	return queryAll(ctx, s.db, "find podcasts", scanPodcast, `SELECT `+podcastColumns+` FROM podcasts WHERE id = ANY($1)`, ids)
}

// PodcastFilter selects podcasts for FindPodcasts.
type PodcastFilter struct {
	AfterID string // keyset pagination: IDs greater than this
	Limit   int    // default 100
}

// FindPodcasts returns podcasts ordered by ID, for listings and reindexing.
func (s *Store) FindPodcasts(ctx context.Context, f PodcastFilter) ([]hark.Podcast, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	return queryAll(ctx, s.db, "find podcasts", scanPodcast, `SELECT `+podcastColumns+` FROM podcasts
		WHERE id > @after_id ORDER BY id LIMIT @limit`,
		pgx.NamedArgs{"after_id": f.AfterID, "limit": limit})
}

// firstCrawlLease keeps a new podcast away from the scheduler while the crawl enqueued with it
// waits; that crawl sets the real next time, and the scheduler takes over after the lease if the
// crawl was lost.
const firstCrawlLease = time.Hour

// CreatePodcast adds a podcast for a normalised feed URL, or returns the podcast that already has
// that identity. created says which happened. The caller enqueues the first crawl.
func (s *Store) CreatePodcast(ctx context.Context, feedURL, identityKey, podcastGUID string) (p hark.Podcast, created bool, err error) {
	p, err = scanPodcast(s.db.QueryRow(ctx, `
		INSERT INTO podcasts (id, feed_url, identity_key, podcast_guid, next_crawl_at)
		SELECT @id, @feed_url, @identity_key, @podcast_guid, now() + @first_crawl_lease::interval
		WHERE NOT EXISTS (SELECT 1 FROM podcast_aliases WHERE identity_key = @identity_key)
		ON CONFLICT DO NOTHING
		RETURNING `+podcastColumns,
		pgx.NamedArgs{"id": hark.NewID(), "feed_url": feedURL, "identity_key": identityKey, "podcast_guid": podcastGUID,
			"first_crawl_lease": firstCrawlLease}))
	if err == nil {
		return p, true, nil
	}
	if err != hark.ErrNotFound { // ON CONFLICT DO NOTHING returns no row
		return hark.Podcast{}, false, fmt.Errorf("create podcast: %w", err)
	}
	p, err = s.FindPodcastByIdentity(ctx, identityKey)
	if err != nil {
		return hark.Podcast{}, false, fmt.Errorf("create podcast: %w", err)
	}
	return p, false, nil
}

// CountPodcasts returns how many podcasts are stored.
func (s *Store) CountPodcasts(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM podcasts`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count podcasts: %w", err)
	}
	return n, nil
}

// lowerCode trims and lower-cases a language or country code ("en-US" -> "en-us"), as the
// search filters compare them exactly.
func lowerCode(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// MovePodcast gives a podcast a new feed URL, keeping the old one as an alias so that
// submissions of the old URL still find it. A move onto a URL that another podcast owns is
// skipped: the two are left for an operator to merge.
func (s *Store) MovePodcast(ctx context.Context, id, newURL, newKey, oldURL, oldKey string) error {
	var taken bool
	if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM podcasts WHERE identity_key = $1 AND id <> $2)`,
		newKey, id).Scan(&taken); err != nil {
		return fmt.Errorf("move podcast %s: %w", id, err)
	}
	if taken {
		return nil
	}
	batch := &pgx.Batch{}
	batch.Queue(`INSERT INTO podcast_aliases (identity_key, url, podcast_id) VALUES ($1, $2, $3)
		ON CONFLICT (identity_key) DO UPDATE SET podcast_id = excluded.podcast_id`, oldKey, oldURL, id)
	batch.Queue(`DELETE FROM podcast_aliases WHERE identity_key = $1`, newKey)
	batch.Queue(`UPDATE podcasts SET feed_url = $2, identity_key = $3, index_pending = true, updated_at = now() WHERE id = $1`,
		id, newURL, newKey)
	if err := s.db.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("move podcast %s: %w", id, interpretError(err))
	}
	return nil
}

// LeaseDuePodcasts returns up to limit podcasts whose next crawl is due, oldest first, and moves
// their next_crawl_at forward by lease so that they are not picked again while their crawl waits.
// SKIP LOCKED lets several schedulers (or a crawl holding a row) proceed without blocking.
func (s *Store) LeaseDuePodcasts(ctx context.Context, limit int, lease time.Duration) ([]string, error) {
	return queryAll(ctx, s.db, "lease due podcasts", scanString, `
		WITH due AS (
			SELECT id FROM podcasts
			WHERE next_crawl_at <= now()
			ORDER BY next_crawl_at
			LIMIT $1
			FOR UPDATE SKIP LOCKED
		)
		UPDATE podcasts p SET next_crawl_at = now() + $2::interval
		FROM due WHERE p.id = due.id
		RETURNING p.id`, limit, lease)
}

// FindPodcastByGUID returns a podcast other than excludeID whose podcast:guid is guid.
// Returns ErrNotFound if there is none.
func (s *Store) FindPodcastByGUID(ctx context.Context, guid, excludeID string) (hark.Podcast, error) {
	if guid == "" {
		return hark.Podcast{}, hark.ErrNotFound
	}
	p, err := scanPodcast(s.db.QueryRow(ctx, `SELECT `+podcastColumns+` FROM podcasts
		WHERE podcast_guid = $1 AND id <> $2 ORDER BY created_at LIMIT 1`, guid, excludeID))
	if err != nil {
		return hark.Podcast{}, fmt.Errorf("find podcast by guid: %w", err)
	}
	return p, nil
}

// MergePodcast folds the podcast dupID into intoID: dupID's feed URL becomes an alias of intoID,
// its own aliases move over, and dupID is deleted with its episodes. Call it in a transaction.
func (s *Store) MergePodcast(ctx context.Context, dupID, intoID, dupURL, dupKey string) error {
	batch := &pgx.Batch{}
	batch.Queue(`UPDATE podcast_aliases SET podcast_id = $2 WHERE podcast_id = $1`, dupID, intoID)
	batch.Queue(`DELETE FROM podcasts WHERE id = $1`, dupID)
	batch.Queue(`INSERT INTO podcast_aliases (identity_key, url, podcast_id) VALUES ($1, $2, $3)
		ON CONFLICT (identity_key) DO UPDATE SET podcast_id = excluded.podcast_id, url = excluded.url`, dupKey, dupURL, intoID)
	if err := s.db.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("merge podcast %s into %s: %w", dupID, intoID, interpretError(err))
	}
	return nil
}
