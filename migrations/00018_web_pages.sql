-- +goose NO TRANSACTION
-- Built CONCURRENTLY, so a live Hark keeps crawling and serving while the tables are indexed.
-- +goose Up
-- A publisher's page (/publishers/{name}) lists its shows best first.
CREATE INDEX CONCURRENTLY IF NOT EXISTS podcasts_publisher_idx ON podcasts (publisher, quality_score DESC)
    WHERE episode_count > 0;

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS podcasts_publisher_idx;
