-- +goose Up
-- podcast_plays counts the plays started in Hark's own player, per podcast, UTC day and the
-- listener's region (lower-case ISO 3166-1 alpha-2, '' when unknown), and nothing else about
-- them: GET /api/v2/podcasts/{id}/audience reads its ratios from here.
CREATE TABLE IF NOT EXISTS podcast_plays (
    podcast_id text NOT NULL REFERENCES podcasts (id) ON DELETE CASCADE,
    day        date NOT NULL,
    region     text NOT NULL,
    plays      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (podcast_id, day, region)
);

-- +goose Down
DROP TABLE IF EXISTS podcast_plays;
