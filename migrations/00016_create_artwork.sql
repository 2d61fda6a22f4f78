-- +goose Up
-- artwork holds the copies Hark serves of the images feeds name (package artwork): one row per
-- source URL, keyed by the first 32 hex characters of the URL's SHA-256, shared by every show
-- and episode naming that URL. A new URL is a new row, so the bytes under a key never change
-- and may be cached for a year. A fetch that failed keeps its row with error set and no bytes,
-- and the placeholder is served from title.
CREATE TABLE artwork (
    key          text PRIMARY KEY CHECK (key ~ '^[0-9a-f]{32}$'),
    source_url   text NOT NULL,
    title        text NOT NULL DEFAULT '',  -- of the show or episode, for the placeholder
    content_type text NOT NULL DEFAULT '',  -- of the source image
    etag         text NOT NULL DEFAULT '',  -- the source host's ETag
    width        integer NOT NULL DEFAULT 0, -- of the source image
    height       integer NOT NULL DEFAULT 0,
    small        bytea,                     -- 300 px square JPEG
    large        bytea,                     -- 600 px square JPEG
    digest       text NOT NULL DEFAULT '',  -- of the copies, the ETag Hark serves
    error        text NOT NULL DEFAULT '',
    fetched_at   timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE artwork;
