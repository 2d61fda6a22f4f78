-- +goose NO TRANSACTION
-- Built CONCURRENTLY, so a live Hark keeps crawling and serving while the table is indexed.
-- +goose Up
-- A podcast's recommendations list the shows of its genres in its own language first, best
-- first: for a language with few shows, this index reads them in order where the quality index
-- would be walked through every show of the other languages.
CREATE INDEX CONCURRENTLY IF NOT EXISTS podcasts_language_quality_idx ON podcasts (language, quality_score DESC)
    WHERE episode_count > 0;

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS podcasts_language_quality_idx;
