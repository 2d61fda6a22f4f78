-- +goose Up
-- index_generation is bumped after every batch of writes to the search index (index jobs, a
-- reindex's alias swap, deletions), with a NOTIFY on the channel index_generation, so that each
-- web process drops the search answers it cached from before the batch.
CREATE SEQUENCE IF NOT EXISTS index_generation;

-- +goose Down
DROP SEQUENCE IF EXISTS index_generation;
