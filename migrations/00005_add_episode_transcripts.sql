-- +goose Up
-- transcript_text is the plain text of the episode's transcript_url, indexed for only_in=audio.
-- transcript_fetched_at is when it was last fetched, failed fetches included (the text is then
-- empty); transcript_fetched_url is the URL fetched then, so a changed URL is fetched again.
ALTER TABLE episodes
    ADD COLUMN transcript_text        text NOT NULL DEFAULT '',
    ADD COLUMN transcript_fetched_at  timestamptz,
    ADD COLUMN transcript_fetched_url text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE episodes
    DROP COLUMN transcript_fetched_url,
    DROP COLUMN transcript_fetched_at,
    DROP COLUMN transcript_text;
