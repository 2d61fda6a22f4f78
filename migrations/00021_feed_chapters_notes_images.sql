-- +goose Up
-- feed_chapters is the Podlove Simple Chapters the item lists itself ([{"start","title","url","img"}]),
-- NULL when none; pages show them when chapters (a fetched podcast:chapters file) has none.
-- notes_images is the first image URLs of the show notes, which Hark keeps copies of in
-- artwork (keyed by artwork.NotesKey) so that pages never load them from the feed's host.
ALTER TABLE episodes
    ADD COLUMN IF NOT EXISTS feed_chapters jsonb,
    ADD COLUMN IF NOT EXISTS notes_images  text[] NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE episodes
    DROP COLUMN IF EXISTS notes_images,
    DROP COLUMN IF EXISTS feed_chapters;
