-- +goose Up
-- podcast_plays counts the plays started in Hark's own player, per podcast, UTC day and the
-- listener's region (lower-case ISO 3166-1 alpha-2, '' when unknown), and nothing else about
-- them: GET /api/v2/podcasts/{id}/audience reads its ratios from here.
CREATE TABLE podcast_plays (
    podcast_id text NOT NULL REFERENCES podcasts (id) ON DELETE CASCADE,
    day        date NOT NULL,
    region     text NOT NULL,
    plays      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (podcast_id, day, region)
);

-- itunes_id is the podcast's Apple Podcasts id, when its feed links to its Apple page.
ALTER TABLE podcasts ADD COLUMN itunes_id bigint;
CREATE INDEX podcasts_itunes_id_idx ON podcasts (itunes_id) WHERE itunes_id IS NOT NULL;

-- +goose Down
DROP INDEX podcasts_itunes_id_idx;
ALTER TABLE podcasts DROP COLUMN itunes_id;
DROP TABLE podcast_plays;
