-- +goose Up
CREATE TABLE episodes (
    id               text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
    podcast_id       text NOT NULL REFERENCES podcasts (id) ON DELETE CASCADE,
    guid             text NOT NULL,
    title            text NOT NULL DEFAULT '',
    description      text NOT NULL DEFAULT '',
    audio_url        text NOT NULL DEFAULT '',
    audio_type       text NOT NULL DEFAULT '',
    audio_size       bigint NOT NULL DEFAULT 0,
    audio_length_sec integer NOT NULL DEFAULT 0,
    published_at     timestamptz,
    explicit         boolean NOT NULL DEFAULT false,
    image_url        text NOT NULL DEFAULT '',
    link             text NOT NULL DEFAULT '',
    season           integer NOT NULL DEFAULT 0,
    number           integer NOT NULL DEFAULT 0,
    episode_type     text NOT NULL DEFAULT '',
    transcript_url   text NOT NULL DEFAULT '',
    transcript_type  text NOT NULL DEFAULT '',
    chapters_url     text NOT NULL DEFAULT '',
    persons          text[] NOT NULL DEFAULT '{}',
    -- gone marks an episode that vanished from its feed: kept, hidden from search.
    gone             boolean NOT NULL DEFAULT false,
    index_pending    boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (podcast_id, guid)
);

CREATE INDEX episodes_podcast_id_published_at_idx ON episodes (podcast_id, published_at DESC);
CREATE INDEX episodes_index_pending_idx ON episodes (podcast_id) WHERE index_pending;

-- +goose Down
DROP TABLE episodes;
