-- +goose Up
-- checked_at is when a sitemap file was last written from the catalogue, whether or not its body
-- changed; built_at stays when the stored body was first written (its ETag's age). A file is
-- stale by checked_at: judged by built_at, a file whose pages did not change for two hours was
-- written again by every request for it.
ALTER TABLE sitemap_files ADD COLUMN IF NOT EXISTS checked_at timestamptz;
UPDATE sitemap_files SET checked_at = built_at WHERE checked_at IS NULL;
ALTER TABLE sitemap_files ALTER COLUMN checked_at SET DEFAULT now(),
    ALTER COLUMN checked_at SET NOT NULL;

-- +goose Down
ALTER TABLE sitemap_files DROP COLUMN IF EXISTS checked_at;
