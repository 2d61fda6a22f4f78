-- +goose Up
-- The fingerprint of the last feed body parsed in full: a hash of the channel outside its items
-- and one 8-byte hash per item, so a re-crawl can parse only the items that are new.
ALTER TABLE podcasts ADD COLUMN head_hash text NOT NULL DEFAULT '';
ALTER TABLE podcasts ADD COLUMN item_hashes bytea NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE podcasts DROP COLUMN item_hashes;
ALTER TABLE podcasts DROP COLUMN head_hash;
