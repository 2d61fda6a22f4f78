-- +goose Up
-- search_log counts the searches asked each day, by normalised query, for trending_searches and
-- related_searches. Only counts are kept: no key, address or time of day.
CREATE TABLE search_log (
    day      date NOT NULL,
    query    text NOT NULL,
    searches bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (day, query)
);

-- podcast_deletion_requests records DELETE /podcasts/{id}; an operator approves or rejects them.
CREATE TABLE podcast_deletion_requests (
    id         bigserial PRIMARY KEY,
    podcast_id text NOT NULL REFERENCES podcasts (id) ON DELETE CASCADE,
    reason     text NOT NULL DEFAULT '',
    api_key_id bigint REFERENCES api_keys (id) ON DELETE SET NULL,
    status     text NOT NULL DEFAULT 'in review' CHECK (status IN ('in review', 'deleted', 'rejected')),
    created_at timestamptz NOT NULL DEFAULT now()
);
-- One open request per podcast: asking again returns the open one.
CREATE UNIQUE INDEX podcast_deletion_requests_open_idx ON podcast_deletion_requests (podcast_id)
    WHERE status = 'in review';

-- playlists belong to the API key that created them.
CREATE TABLE playlists (
    id          text PRIMARY KEY CHECK (id ~ '^[0-9a-z]{11}$'),
    api_key_id  bigint NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    visibility  text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'unlisted', 'private')),
    type        text NOT NULL DEFAULT 'episode_list' CHECK (type IN ('episode_list', 'podcast_list')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX playlists_api_key_id_idx ON playlists (api_key_id, created_at);

-- playlist_items holds one episode or one podcast each.
CREATE TABLE playlist_items (
    id          bigserial PRIMARY KEY,
    playlist_id text NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    episode_id  text REFERENCES episodes (id) ON DELETE CASCADE,
    podcast_id  text REFERENCES podcasts (id) ON DELETE CASCADE,
    notes       text NOT NULL DEFAULT '',
    added_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((episode_id IS NULL) <> (podcast_id IS NULL))
);
CREATE UNIQUE INDEX playlist_items_episode_idx ON playlist_items (playlist_id, episode_id) WHERE episode_id IS NOT NULL;
CREATE UNIQUE INDEX playlist_items_podcast_idx ON playlist_items (playlist_id, podcast_id) WHERE podcast_id IS NOT NULL;

-- curated_lists are the lists operators make with `hark curated create`, beside the ones Hark
-- generates from its data.
CREATE TABLE curated_lists (
    id          text PRIMARY KEY CHECK (id ~ '^[0-9A-Za-z]{11}$'),
    title       text NOT NULL,
    description text NOT NULL DEFAULT '',
    podcast_ids text[] NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Recommendations and best_podcasts select podcasts by genre, best first.
CREATE INDEX podcasts_genre_ids_idx ON podcasts USING gin (genre_ids);
CREATE INDEX podcasts_quality_idx ON podcasts (quality_score DESC) WHERE episode_count > 0;

-- +goose Down
DROP INDEX podcasts_quality_idx;
DROP INDEX podcasts_genre_ids_idx;
DROP TABLE curated_lists;
DROP TABLE playlist_items;
DROP TABLE playlists;
DROP TABLE podcast_deletion_requests;
DROP TABLE search_log;
