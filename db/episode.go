package db

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"hark"
)

const episodeColumns = `id, podcast_id, guid, title, description, audio_url, audio_type, audio_size,
	audio_length_sec, published_at, explicit, image_url, link, season, number, episode_type,
	transcript_url, transcript_type, chapters_url, persons, gone, created_at, updated_at, transcript_text`

// episodeRow is an episodes row as scanned, before its nullable columns become Episode fields.
type episodeRow struct {
	e         hark.Episode
	published *time.Time
	fields    []any // targets, kept for ScanIndex
}

// targets returns where the columns of episodeColumns go, in order.
func (r *episodeRow) targets() []any {
	if r.fields == nil {
		e := &r.e
		r.fields = []any{&e.ID, &e.PodcastID, &e.GUID, &e.Title, &e.Description, &e.AudioURL,
			&e.AudioType, &e.AudioSize, &e.AudioLengthSec, &r.published, &e.Explicit, &e.ImageURL,
			&e.Link, &e.Season, &e.Number, &e.EpisodeType, &e.TranscriptURL, &e.TranscriptType,
			&e.ChaptersURL, &e.Persons, &e.Gone, &e.CreatedAt, &e.UpdatedAt, &e.Transcript}
	}
	return r.fields
}

func (r *episodeRow) episode() hark.Episode {
	e := r.e
	e.PublishedAt = timeOrZero(r.published)
	return e
}

// ScanIndex and ScanNull let pgx scan a ROW(episodeColumns) value, an element of the episode
// arrays that FindIndexWork reads (pgtype.CompositeIndexScanner).
func (r *episodeRow) ScanIndex(i int) any { return r.targets()[i] }

// ScanNull refuses a NULL episode: the arrays are built from rows, never NULL.
func (r *episodeRow) ScanNull() error { return errors.New("episode row is NULL") }

func scanEpisode(row pgx.Row) (hark.Episode, error) {
	var r episodeRow
	if err := row.Scan(r.targets()...); err != nil {
		return hark.Episode{}, interpretError(err)
	}
	return r.episode(), nil
}

// FindEpisodeByID returns the episode with that public ID. Returns ErrNotFound if there is none.
func (s *Store) FindEpisodeByID(ctx context.Context, id string) (hark.Episode, error) {
	if !hark.ValidID(id) {
		return hark.Episode{}, hark.ErrNotFound
	}
	e, err := scanEpisode(s.db.QueryRow(ctx, `SELECT `+episodeColumns+` FROM episodes WHERE id = $1`, id))
	if err != nil {
		return hark.Episode{}, fmt.Errorf("find episode %s: %w", id, err)
	}
	return e, nil
}

// FindEpisodesByIDs returns the episodes with those IDs, gone ones included, in no particular
// order; unknown IDs are left out.
func (s *Store) FindEpisodesByIDs(ctx context.Context, ids []string) ([]hark.Episode, error) {
	return queryAll(ctx, s.db, "find episodes", scanEpisode, `SELECT `+episodeColumns+` FROM episodes WHERE id = ANY(@ids)`, pgx.NamedArgs{"ids": ids})
}

// EpisodeFilter selects the episodes of a podcast, or of several, for FindEpisodes.
type EpisodeFilter struct {
	PodcastID string
	// PodcastIDs selects the episodes of several podcasts at once, in place of PodcastID: Limit
	// applies to each podcast, and the episodes come podcast by podcast, in this order.
	PodcastIDs   []string
	Before       time.Time // only episodes published strictly before; zero means no bound
	After        time.Time // only episodes published strictly after; zero means no bound
	OldestFirst  bool
	IncludeGone  bool
	OnlyIndexDue bool // only episodes whose index_pending flag is set
	Limit        int  // default 10
}

// FindEpisodes returns a podcast's episodes (or, with f.PodcastIDs, several podcasts'), newest
// first unless f.OldestFirst.
func (s *Store) FindEpisodes(ctx context.Context, f EpisodeFilter) ([]hark.Episode, error) {
	ids := f.PodcastIDs
	if ids == nil {
		ids = []string{f.PodcastID}
	}
	where := []string{"podcast_id = u.id"}
	args := pgx.NamedArgs{"podcast_ids": ids, "limit": cmpInt(f.Limit, 10)}
	if !f.IncludeGone {
		where = append(where, "NOT gone")
	}
	if f.OnlyIndexDue {
		where = append(where, "index_pending")
	}
	if !f.Before.IsZero() {
		where, args["before"] = append(where, "published_at < @before"), f.Before
	}
	if !f.After.IsZero() {
		where, args["after"] = append(where, "published_at > @after"), f.After
	}
	dir := "DESC"
	if f.OldestFirst {
		dir = "ASC"
	}
	// A LIMIT per podcast in a lateral join: each podcast's page is read from the
	// (podcast_id, published_at) index, as a query of its own would be, all in one round trip.
	return queryAll(ctx, s.db, "find episodes of "+strings.Join(ids, ","), scanEpisode, `SELECT e.* FROM unnest(@podcast_ids::text[]) WITH ORDINALITY AS u(id, n)
		CROSS JOIN LATERAL (SELECT `+episodeColumns+` FROM episodes
			WHERE `+strings.Join(where, " AND ")+`
			ORDER BY published_at `+dir+` NULLS LAST, id LIMIT @limit) e
		ORDER BY u.n, e.published_at `+dir+` NULLS LAST, e.id`, args)
}

// queueUpsertEpisodes queues one statement that inserts new episodes and updates changed ones,
// keyed by (podcast_id, guid). Unchanged rows are not written. inserted and updated learn how
// many were.
func queueUpsertEpisodes(b *pgx.Batch, podcastID string, eps []hark.Episode, inserted, updated *int) {
	if len(eps) == 0 {
		return
	}
	a := newEpisodeArrays(len(eps))
	for i := range eps {
		a.add(&eps[i])
	}
	// unnest over column arrays sends the whole feed in one round trip; ON CONFLICT ... WHERE
	// skips rows whose content is the same, so a re-crawl of an unchanged feed writes nothing.
	b.Queue(`
		INSERT INTO episodes (id, podcast_id, guid, title, description, audio_url, audio_type,
			audio_size, audio_length_sec, published_at, explicit, image_url, link, season, number,
			episode_type, transcript_url, transcript_type, chapters_url, persons, notes_images,
			feed_chapters)
		SELECT u.id, @podcast_id, u.guid, u.title, u.description, u.audio_url, u.audio_type,
			u.audio_size, u.audio_length_sec, u.published_at, u.explicit, u.image_url, u.link,
			u.season, u.number, u.episode_type, u.transcript_url, u.transcript_type, u.chapters_url,
			CASE WHEN u.persons = '' THEN '{}'::text[] ELSE string_to_array(u.persons, E'\x1f') END,
			CASE WHEN u.notes_images = '' THEN '{}'::text[] ELSE string_to_array(u.notes_images, E'\x1f') END,
			u.feed_chapters::jsonb
		FROM unnest(@ids::text[], @guids::text[], @titles::text[], @descriptions::text[],
			@audio_urls::text[], @audio_types::text[], @audio_sizes::bigint[], @lengths::integer[],
			@published::timestamptz[], @explicit::boolean[], @images::text[], @links::text[],
			@seasons::integer[], @numbers::integer[], @types::text[], @transcript_urls::text[],
			@transcript_types::text[], @chapters::text[], @persons::text[], @notes_images::text[],
			@feed_chapters::text[])
			AS u(id, guid, title, description, audio_url, audio_type, audio_size, audio_length_sec,
			published_at, explicit, image_url, link, season, number, episode_type, transcript_url,
			transcript_type, chapters_url, persons, notes_images, feed_chapters)
		ON CONFLICT (podcast_id, guid) DO UPDATE SET
			title = excluded.title, description = excluded.description,
			audio_url = excluded.audio_url, audio_type = excluded.audio_type,
			audio_size = excluded.audio_size, audio_length_sec = excluded.audio_length_sec,
			published_at = excluded.published_at, explicit = excluded.explicit,
			image_url = excluded.image_url, link = excluded.link, season = excluded.season,
			number = excluded.number, episode_type = excluded.episode_type,
			transcript_url = excluded.transcript_url, transcript_type = excluded.transcript_type,
			chapters_url = excluded.chapters_url, persons = excluded.persons,
			notes_images = excluded.notes_images, feed_chapters = excluded.feed_chapters, gone = false,
			index_pending = true, updated_at = now()
		WHERE (episodes.title, episodes.description, episodes.audio_url, episodes.audio_type,
			episodes.audio_size, episodes.audio_length_sec, episodes.published_at, episodes.explicit,
			episodes.image_url, episodes.link, episodes.season, episodes.number,
			episodes.episode_type, episodes.transcript_url, episodes.transcript_type,
			episodes.chapters_url, episodes.persons, episodes.notes_images, episodes.feed_chapters,
			episodes.gone)
		IS DISTINCT FROM (excluded.title, excluded.description, excluded.audio_url,
			excluded.audio_type, excluded.audio_size, excluded.audio_length_sec,
			excluded.published_at, excluded.explicit, excluded.image_url, excluded.link,
			excluded.season, excluded.number, excluded.episode_type, excluded.transcript_url,
			excluded.transcript_type, excluded.chapters_url, excluded.persons,
			excluded.notes_images, excluded.feed_chapters, false)
		RETURNING (xmax = 0) AS inserted`, a.args(podcastID)).Query(func(rows pgx.Rows) error {
		ins, err := pgx.CollectRows(rows, pgx.RowTo[bool])
		if err != nil {
			return fmt.Errorf("upsert episodes: %w", err)
		}
		for _, in := range ins {
			if in {
				*inserted++
			} else {
				*updated++
			}
		}
		return nil
	})
}

func cmpInt(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}
