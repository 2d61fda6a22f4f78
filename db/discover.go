package db

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"hark"
)

// BestPodcastSorts are the orders FindBestPodcasts takes, by the Listen API's names.
var BestPodcastSorts = map[string]string{
	"listen_score":           "quality_score DESC, id",
	"recent_added_first":     "created_at DESC, id",
	"oldest_added_first":     "created_at, id",
	"recent_published_first": "latest_pub_date DESC NULLS LAST, id",
	"oldest_published_first": "latest_pub_date NULLS LAST, id",
}

// BestPodcastFilter selects podcasts for FindBestPodcasts. Zero values mean no filter.
type BestPodcastFilter struct {
	GenreID    int
	Country    string // lower-case ISO code
	Language   string // language code prefix, "en" matches "en-us"
	Safe       bool   // no explicit podcasts
	Sort       string // a key of BestPodcastSorts
	AddedAfter time.Time
	Offset     int
	Limit      int
}

// FindBestPodcasts returns one page of podcasts with episodes that match f, and how many match
// in all. The page walks an index in the sort's order; the total is counted apart, as a window
// count over the page query would read every match first.
func (s *Store) FindBestPodcasts(ctx context.Context, f BestPodcastFilter) ([]hark.Podcast, int, error) {
	order, ok := BestPodcastSorts[f.Sort]
	if !ok {
		return nil, 0, hark.Errorf(hark.ErrInvalid, "sort: unknown order %q", f.Sort)
	}
	where, args := bestPodcastWhere(f)
	pods, err := queryAll(ctx, s.db, "find best podcasts", scanPodcast, `SELECT `+podcastColumns+` FROM podcasts
		WHERE `+where+` ORDER BY `+order+` OFFSET @offset LIMIT @limit`, args)
	if err != nil {
		return nil, 0, err
	}
	total := f.Offset + len(pods)
	if len(pods) == cmpInt(f.Limit, 20) || f.Offset > 0 {
		if err := s.db.QueryRow(ctx, `SELECT count(*) FROM podcasts WHERE `+where, args).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count best podcasts: %w", err)
		}
	}
	return pods, total, nil
}

func bestPodcastWhere(f BestPodcastFilter) (string, pgx.NamedArgs) {
	where := []string{"episode_count > 0", "NOT dead"}
	args := pgx.NamedArgs{"offset": f.Offset, "limit": cmpInt(f.Limit, 20)}
	if f.GenreID != 0 {
		where, args["genre"] = append(where, "genre_ids @> ARRAY[@genre::int]"), f.GenreID
	}
	if f.Country != "" {
		where, args["country"] = append(where, "country = @country"), f.Country
	}
	if f.Language != "" {
		where, args["language"] = append(where, "(language = @language OR language LIKE @language || '-%')"), f.Language
	}
	if f.Safe {
		where = append(where, "NOT explicit")
	}
	if !f.AddedAfter.IsZero() {
		where, args["added_after"] = append(where, "created_at > @added_after"), f.AddedAfter
	}
	return strings.Join(where, " AND "), args
}

// FindSimilarPodcasts returns up to limit other podcasts that share a genre with p (or, when p
// has none, its language), those in p's language first, each group by quality score.
func (s *Store) FindSimilarPodcasts(ctx context.Context, p hark.Podcast, safe bool, limit int) ([]hark.Podcast, error) {
	genres := make([]int32, 0, len(p.GenreIDs))
	for _, g := range p.GenreIDs {
		genres = append(genres, int32(g))
	}
	// Which plan is fast depends on the values: a rare genre is read from the GIN index of
	// genre_ids and sorted, a common one by walking podcasts_quality_idx (or, in a language
	// with few shows, podcasts_language_quality_idx) until limit match. So the condition is
	// chosen here, where a CASE in SQL hid the overlap from the planner, and the statement is
	// planned for its values at each run (an unnamed statement), not once for all of them.
	match := "genre_ids && @genres::int[]"
	if len(genres) == 0 {
		match = "language = @language"
	}
	like := `id <> @id AND episode_count > 0 AND NOT dead AND (NOT @safe OR NOT explicit) AND ` + match
	pods, err := queryAll(ctx, s.db, "find podcasts like "+p.ID, scanPodcast, `SELECT * FROM (
		(SELECT `+podcastColumns+` FROM podcasts WHERE `+like+` AND language = @language
			ORDER BY quality_score DESC, id LIMIT @limit)
		UNION ALL
		(SELECT `+podcastColumns+` FROM podcasts WHERE `+like+` AND language <> @language
			ORDER BY quality_score DESC, id LIMIT @limit)
		) liked LIMIT @limit`, pgx.QueryExecModeExec,
		pgx.NamedArgs{"id": p.ID, "safe": safe, "genres": genres, "language": p.Language, "limit": limit})
	if err != nil {
		return nil, err
	}
	return pods, nil
}

// FindPodcastsByDomain returns one page of the podcasts whose website or feed is on domain or
// one of its subdomains, best first.
func (s *Store) FindPodcastsByDomain(ctx context.Context, domain string, offset, limit int) ([]hark.Podcast, error) {
	// The host of a URL: what follows the scheme, up to the port, path, query or fragment.
	const host = `lower(substring(%s from '^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^/@]*@)?([^/:?#]+)'))`
	matches := func(col string) string {
		h := fmt.Sprintf(host, col)
		return "(" + h + " = @domain OR " + h + " LIKE '%.' || @domain)"
	}
	pods, err := queryAll(ctx, s.db, "find podcasts of "+domain, scanPodcast, `SELECT `+podcastColumns+` FROM podcasts
		WHERE `+matches("website_url")+` OR `+matches("feed_url")+`
		ORDER BY quality_score DESC, id OFFSET @offset LIMIT @limit`,
		pgx.NamedArgs{"domain": strings.ToLower(domain), "offset": offset, "limit": limit})
	if err != nil {
		return nil, err
	}
	return pods, nil
}

// justListenPodcasts is how many of the podcasts that published last a random episode comes from.
const justListenPodcasts = 200

// FindRandomRecentEpisode returns a random episode among the latest ten of a random podcast among
// those that published last. Returns ErrNotFound when Hark has no episodes.
func (s *Store) FindRandomRecentEpisode(ctx context.Context) (hark.Episode, error) {
	e, err := scanEpisode(s.db.QueryRow(ctx, `
		WITH p AS (
			SELECT id FROM podcasts WHERE episode_count > 0 AND NOT explicit
			ORDER BY latest_pub_date DESC NULLS LAST LIMIT @pods
		)
		SELECT e.* FROM (SELECT id FROM p ORDER BY random() LIMIT 1) r
		CROSS JOIN LATERAL (SELECT `+episodeColumns+` FROM episodes
			WHERE podcast_id = r.id AND NOT gone ORDER BY published_at DESC NULLS LAST, id LIMIT 10) e
		ORDER BY random() LIMIT 1`, pgx.NamedArgs{"pods": justListenPodcasts}))
	if err != nil {
		return hark.Episode{}, fmt.Errorf("find a random episode: %w", err)
	}
	return e, nil
}

// DeletionAsk is a request to delete a podcast, as DELETE /podcasts/{id} makes it.
type DeletionAsk struct {
	PodcastID, Reason string
	APIKeyID          int64 // 0 means no key
	// WebhookURL, when set, gets podcastDeleted signed with WebhookSecret if an operator
	// approves; asking again while the request is open replaces them.
	WebhookURL, WebhookSecret string
}

// RequestPodcastDeletion records a request to delete a podcast, or finds the open one, and
// returns its status: "in review" until an operator decides. created is true when this call
// made the request (asking again while it is open only replaces its webhook). Returns
// ErrNotFound for an unknown podcast.
func (s *Store) RequestPodcastDeletion(ctx context.Context, a DeletionAsk) (status string, created bool, err error) {
	err = s.db.QueryRow(ctx, `
		WITH p AS (SELECT id FROM podcasts WHERE id = @id),
		added AS (
			INSERT INTO podcast_deletion_requests (podcast_id, reason, api_key_id, webhook_url, webhook_secret)
			SELECT id, @reason, @key, @webhook_url, @webhook_secret FROM p
			ON CONFLICT (podcast_id) WHERE status = 'in review' DO UPDATE SET
				webhook_url = excluded.webhook_url, webhook_secret = excluded.webhook_secret
				WHERE excluded.webhook_url <> ''
			RETURNING status, xmax = 0 AS inserted
		)
		SELECT status, inserted FROM added
		UNION ALL SELECT 'in review', false FROM p WHERE NOT EXISTS (SELECT 1 FROM added)
		LIMIT 1`,
		pgx.NamedArgs{"id": a.PodcastID, "reason": truncateUTF8(a.Reason, 1000), "key": nullKey(a.APIKeyID),
			"webhook_url": a.WebhookURL, "webhook_secret": a.WebhookSecret}).Scan(&status, &created)
	if err != nil {
		return "", false, fmt.Errorf("request deletion of %s: %w", a.PodcastID, interpretError(err))
	}
	return status, created, nil
}

func nullKey(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// QualityQuantiles returns the quality scores of the live podcasts with episodes at n+1 even
// steps of their distribution, lowest first (the minimum, n-1 cut points, the maximum); none
// when there are no such podcasts. One read of the podcasts table.
func (s *Store) QualityQuantiles(ctx context.Context, n int) ([]float64, error) {
	var qs []float64
	err := s.db.QueryRow(ctx, `
		SELECT coalesce(percentile_disc(array(SELECT g::float8 / @n FROM generate_series(0, @n) g))
			WITHIN GROUP (ORDER BY quality_score), '{}')
		FROM podcasts WHERE episode_count > 0 AND NOT dead`, pgx.NamedArgs{"n": n}).Scan(&qs)
	if err != nil {
		return nil, fmt.Errorf("read quality quantiles: %w", err)
	}
	return qs, nil
}
