-- +goose Up
-- chapters is the parsed podcast:chapters JSON of chapters_url ([{"start","title","url","img"}]),
-- NULL until fetched or when the file could not be read; chapters_error says why it could not.
-- chapters_fetched_url is the URL fetched then, so a changed URL is fetched again.
-- transcript_cues is the transcript's cues with their start times ([{"start","text"}]), for
-- transcripts that have times (WebVTT, SRT, JSON); transcript_text stays what search reads.
ALTER TABLE episodes
    ADD COLUMN chapters             jsonb,
    ADD COLUMN chapters_error       text NOT NULL DEFAULT '',
    ADD COLUMN chapters_fetched_at  timestamptz,
    ADD COLUMN chapters_fetched_url text NOT NULL DEFAULT '',
    ADD COLUMN transcript_cues      jsonb;

-- +goose Down
ALTER TABLE episodes
    DROP COLUMN transcript_cues,
    DROP COLUMN chapters_fetched_url,
    DROP COLUMN chapters_fetched_at,
    DROP COLUMN chapters_error,
    DROP COLUMN chapters;
