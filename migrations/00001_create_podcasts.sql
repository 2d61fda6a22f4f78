-- +goose Up
CREATE TABLE podcasts (
    id                   text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
    feed_url             text NOT NULL UNIQUE,
    -- identity_key is the feed URL without scheme and "www.", so http/https and www variants of
    -- one show collide on the unique index instead of becoming two podcasts.
    identity_key         text NOT NULL UNIQUE,
    podcast_guid         text NOT NULL DEFAULT '',
    title                text NOT NULL DEFAULT '',
    publisher            text NOT NULL DEFAULT '',
    description          text NOT NULL DEFAULT '',
    image_url            text NOT NULL DEFAULT '',
    website_url          text NOT NULL DEFAULT '',
    language             text NOT NULL DEFAULT '',
    country              text NOT NULL DEFAULT '',
    explicit             boolean NOT NULL DEFAULT false,
    categories           text[] NOT NULL DEFAULT '{}',
    genre_ids            integer[] NOT NULL DEFAULT '{}',
    type                 text NOT NULL DEFAULT 'episodic',
    complete             boolean NOT NULL DEFAULT false,
    locked               boolean NOT NULL DEFAULT false,
    medium               text NOT NULL DEFAULT '',
    funding_url          text NOT NULL DEFAULT '',
    owner_email          text NOT NULL DEFAULT '',
    episode_count        integer NOT NULL DEFAULT 0,
    latest_pub_date      timestamptz,
    earliest_pub_date    timestamptz,
    update_freq_hours    integer NOT NULL DEFAULT 0,
    quality_score        double precision NOT NULL DEFAULT 0,
    etag                 text NOT NULL DEFAULT '',
    last_modified        text NOT NULL DEFAULT '',
    body_hash            text NOT NULL DEFAULT '',
    last_crawled_at      timestamptz,
    last_http_status     integer NOT NULL DEFAULT 0,
    last_error           text NOT NULL DEFAULT '',
    consecutive_failures integer NOT NULL DEFAULT 0,
    next_crawl_at        timestamptz NOT NULL DEFAULT now(),
    dead                 boolean NOT NULL DEFAULT false,
    -- index_pending is set in the same statement as any change the search index must see; the
    -- index job clears it after a successful import.
    index_pending        boolean NOT NULL DEFAULT true,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX podcasts_next_crawl_at_idx ON podcasts (next_crawl_at) WHERE NOT dead;
CREATE INDEX podcasts_podcast_guid_idx ON podcasts (podcast_guid) WHERE podcast_guid <> '';

-- podcast_aliases keeps the old URLs of podcasts that moved (301/308, itunes:new-feed-url), so a
-- submission of an old URL finds the podcast.
CREATE TABLE podcast_aliases (
    identity_key text PRIMARY KEY,
    url          text NOT NULL,
    podcast_id   text NOT NULL REFERENCES podcasts (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE podcast_aliases;
DROP TABLE podcasts;
