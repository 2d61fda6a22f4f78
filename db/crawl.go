package db

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"hark"
)

// CrawlChanges says what a crawl changed.
type CrawlChanges struct {
	Inserted       int  // new episodes
	Updated        int  // episodes whose stored fields changed
	Gone           int  // episodes that vanished from the feed
	PodcastChanged bool // the show's own fields changed
}

// Any reports whether the search index has anything to learn from the crawl.
func (c CrawlChanges) Any() bool {
	return c.Inserted+c.Updated+c.Gone > 0 || c.PodcastChanged
}

// SaveCrawl stores a parsed feed for a podcast: the show's fields, its crawl state, every
// episode (inserted or updated by GUID) and the fingerprint of the body it came from (a zero one
// clears the stored one). Episodes missing from the feed are marked gone, never deleted. Call it
// inside a transaction, after LockPodcast.
func (s *Store) SaveCrawl(ctx context.Context, podcastID string, f *hark.Feed, crawl hark.CrawlState, fp Fingerprint) (CrawlChanges, error) {
	return s.saveCrawl(ctx, podcastID, f, crawl, fp, false)
}

// SaveNewEpisodes is SaveCrawl for a feed of which only the items new since the last crawl were
// parsed: it stores those and marks nothing gone, because the rest of the feed is unchanged.
func (s *Store) SaveNewEpisodes(ctx context.Context, podcastID string, f *hark.Feed, crawl hark.CrawlState, fp Fingerprint) (CrawlChanges, error) {
	return s.saveCrawl(ctx, podcastID, f, crawl, fp, true)
}

// saveCrawl sends its statements in one batch, one round trip: they run in order, each seeing
// the writes of those before it, so queueFinishCrawl's figures count the episodes just written.
func (s *Store) saveCrawl(ctx context.Context, podcastID string, f *hark.Feed, crawl hark.CrawlState, fp Fingerprint, partial bool) (CrawlChanges, error) {
	var ch CrawlChanges
	b := &pgx.Batch{}
	queuePodcastFields(b, podcastID, &f.Podcast, &ch.PodcastChanged)
	queueUpsertEpisodes(b, podcastID, f.Episodes, &ch.Inserted, &ch.Updated)
	if !partial {
		queueMarkGone(b, podcastID, f.Episodes, &ch.Gone)
	}
	queueFinishCrawl(b, podcastID, crawl, fp)
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return ch, fmt.Errorf("save crawl of %s: %w", podcastID, interpretError(err))
	}
	return ch, nil
}

// queuePodcastFields queues the update of the show's own fields; changed learns whether any did.
func queuePodcastFields(b *pgx.Batch, id string, p *hark.Podcast, changed *bool) {
	genres := p.GenreIDs
	if genres == nil {
		genres = []int{}
	}
	cats := p.Categories
	if cats == nil {
		cats = []string{}
	}
	// The WHERE clause makes an unchanged feed a no-op, so updated_at and index_pending move only
	// when something the index shows has changed.
	b.Queue(`
		UPDATE podcasts SET
			title = @title, publisher = @publisher, description = @description, image_url = @image_url,
			website_url = @website_url, language = @language, country = @country, explicit = @explicit,
			categories = @categories, genre_ids = @genre_ids, type = @type, complete = @complete,
			locked = @locked, medium = @medium, funding_url = @funding_url, owner_email = @owner_email,
			podcast_guid = CASE WHEN @podcast_guid = '' THEN podcast_guid ELSE @podcast_guid END,
			index_pending = true, updated_at = now()
		WHERE id = @id AND (title, publisher, description, image_url, website_url, language, country,
			explicit, categories, genre_ids, type, complete, locked, medium, funding_url, owner_email,
			podcast_guid)
			IS DISTINCT FROM (@title, @publisher, @description, @image_url, @website_url, @language,
			@country, @explicit, @categories::text[], @genre_ids::integer[], @type, @complete, @locked, @medium,
			@funding_url, @owner_email, CASE WHEN @podcast_guid = '' THEN podcast_guid ELSE @podcast_guid END)`,
		pgx.NamedArgs{
			"id": id, "title": clean(p.Title), "publisher": clean(p.Publisher),
			"description": clean(p.Description), "image_url": clean(p.ImageURL),
			"website_url": clean(p.WebsiteURL), "language": lowerCode(p.Language),
			"country": lowerCode(p.Country), "explicit": p.Explicit, "categories": cats, "genre_ids": genres,
			"type": cmpOr(p.Type, "episodic"), "complete": p.Complete, "locked": p.Locked,
			"medium": clean(p.Medium), "funding_url": clean(p.FundingURL),
			"owner_email": clean(p.OwnerEmail), "podcast_guid": clean(p.PodcastGUID),
		}).Exec(func(tag pgconn.CommandTag) error {
		*changed = tag.RowsAffected() > 0
		return nil
	})
}

// SaveCrawlState records the outcome of a fetch: validators, status, error and next crawl time.
func (s *Store) SaveCrawlState(ctx context.Context, id string, c hark.CrawlState) error {
	return s.SaveCrawlStates(ctx, []string{id}, []hark.CrawlState{c})
}

// SaveCrawlStates records the crawl states of many podcasts in one statement: states[i] is the
// state of ids[i]. It is SaveCrawlState for a batch of crawls that stored no content.
func (s *Store) SaveCrawlStates(ctx context.Context, ids []string, states []hark.CrawlState) error {
	if len(ids) != len(states) {
		return fmt.Errorf("save crawl states: %d ids for %d states", len(ids), len(states))
	}
	if len(ids) == 0 {
		return nil
	}
	n := len(ids)
	etags, modified, hashes, errs := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	crawled, next := make([]*time.Time, n), make([]time.Time, n)
	statuses, failures, dead := make([]int32, n), make([]int32, n), make([]bool, n)
	for i, c := range states {
		etags[i], modified[i], hashes[i], errs[i] = clean(c.ETag), clean(c.LastModified), c.BodyHash, clean(c.LastError)
		crawled[i], next[i] = nullTime(c.LastCrawledAt), c.NextCrawlAt
		statuses[i], failures[i], dead[i] = int32(c.LastHTTPStatus), int32(c.ConsecutiveFailures), c.Dead
	}
	_, err := s.db.Exec(ctx, `
		UPDATE podcasts p SET
			etag = c.etag, last_modified = c.last_modified, body_hash = c.body_hash,
			last_crawled_at = c.last_crawled_at, last_http_status = c.last_http_status,
			last_error = c.last_error, consecutive_failures = c.consecutive_failures,
			next_crawl_at = c.next_crawl_at, dead = c.dead,
			failing_since = CASE WHEN c.consecutive_failures = 0 THEN NULL
				ELSE coalesce(p.failing_since, c.last_crawled_at, now()) END
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
			$6::int[], $7::text[], $8::int[], $9::timestamptz[], $10::bool[])
			AS c(id, etag, last_modified, body_hash, last_crawled_at,
				last_http_status, last_error, consecutive_failures, next_crawl_at, dead)
		WHERE p.id = c.id`,
		ids, etags, modified, hashes, crawled, statuses, errs, failures, next, dead)
	if err != nil {
		return fmt.Errorf("save crawl states of %d podcasts: %w", n, err)
	}
	return nil
}

// queueMarkGone queues marking gone the podcast's episodes missing from eps; gone learns how many.
func queueMarkGone(b *pgx.Batch, podcastID string, eps []hark.Episode, gone *int) {
	guids := make([]string, len(eps))
	for i := range eps {
		guids[i] = clean(eps[i].GUID)
	}
	b.Queue(`
		UPDATE episodes SET gone = true, index_pending = true, updated_at = now()
		WHERE podcast_id = $1 AND NOT gone AND NOT (guid = ANY($2))`, podcastID, guids).Exec(func(tag pgconn.CommandTag) error {
		*gone = int(tag.RowsAffected())
		return nil
	})
}

// queueFinishCrawl queues the record of a crawl that stored feed content, in one UPDATE of the
// podcast row: the crawl state and body fingerprint, and the figures derived from the episodes (counts, first and
// last dates, the typical gap between episodes and the quality score that ranks search results).
// The figures come from episodes_live_idx, an index-only scan on a vacuumed table.
func queueFinishCrawl(b *pgx.Batch, id string, c hark.CrawlState, fp Fingerprint) {
	items := []byte{}
	if fp.Head != "" {
		items = encodeItemHashes(fp.Items)
	}
	// On the right of SET, p.* are the old values: when the figures a podcast document shows
	// moved, the same statement flags it for indexing. The quality score alone drifts a little
	// every day and rides along with the next real change.
	b.Queue(`
		WITH live AS (
			SELECT published_at FROM episodes WHERE podcast_id = @id AND NOT gone
		), recent AS (
			SELECT published_at - lead(published_at) OVER (ORDER BY published_at DESC) AS gap
			FROM (SELECT published_at FROM live WHERE published_at IS NOT NULL
			      ORDER BY published_at DESC LIMIT 20) r
		), stats AS (
			SELECT (SELECT count(*) FROM live)::integer AS n,
			       (SELECT max(published_at) FROM live) AS latest,
			       (SELECT min(published_at) FROM live) AS earliest,
			       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM gap))
			          FROM recent WHERE gap IS NOT NULL) AS median_gap
		), next AS (
			SELECT stats.*, coalesce(round(stats.median_gap / 3600), 0)::integer AS freq FROM stats
		)
		UPDATE podcasts p SET
			etag = @etag, last_modified = @last_modified, body_hash = @body_hash,
			last_crawled_at = @last_crawled_at, last_http_status = @last_http_status,
			last_error = @last_error, consecutive_failures = @consecutive_failures,
			next_crawl_at = @next_crawl_at, dead = @dead,
			failing_since = CASE WHEN @consecutive_failures = 0 THEN NULL ELSE p.failing_since END,
			head_hash = @head_hash, item_hashes = @item_hashes,
			episode_count = next.n,
			latest_pub_date = next.latest,
			earliest_pub_date = next.earliest,
			update_freq_hours = next.freq,
			quality_score = round((
				0.35 * least(1, ln(1 + next.n) / ln(500))
			  + 0.35 * coalesce(exp(-extract(epoch FROM now() - next.latest) / 86400 / 180), 0)
			  + 0.15 * CASE WHEN next.median_gap IS NULL THEN 0
			                WHEN next.median_gap <= 8 * 86400 THEN 1 ELSE 0.5 END
			  + 0.15 * CASE WHEN @consecutive_failures = 0 THEN 1 ELSE 0 END
			)::numeric, 4)::double precision,
			index_pending = p.index_pending OR (p.episode_count, p.latest_pub_date, p.earliest_pub_date, p.update_freq_hours)
				IS DISTINCT FROM (next.n, next.latest, next.earliest, next.freq),
			updated_at = CASE WHEN (p.episode_count, p.latest_pub_date, p.earliest_pub_date, p.update_freq_hours)
				IS DISTINCT FROM (next.n, next.latest, next.earliest, next.freq) THEN now() ELSE p.updated_at END
		FROM next WHERE p.id = @id`,
		pgx.NamedArgs{
			"id": id, "etag": clean(c.ETag), "last_modified": clean(c.LastModified),
			"body_hash": c.BodyHash, "last_crawled_at": nullTime(c.LastCrawledAt),
			"last_http_status": c.LastHTTPStatus, "last_error": clean(c.LastError),
			"consecutive_failures": c.ConsecutiveFailures, "next_crawl_at": c.NextCrawlAt, "dead": c.Dead,
			"head_hash": fp.Head, "item_hashes": items,
		})
}

// clean removes NUL bytes, which Postgres text rejects, and surrounding space.
func clean(s string) string {
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	return strings.TrimSpace(s)
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
