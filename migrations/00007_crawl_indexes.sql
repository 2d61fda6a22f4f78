-- +goose NO TRANSACTION
-- Built CONCURRENTLY, so a live Hark keeps crawling and serving while a big table is indexed.

-- +goose Up
-- A podcast's live episodes, newest first as listings order them: serves episode pages and lets
-- the figures a crawl refreshes (count, first and last dates, recent gaps) come from an
-- index-only scan instead of reading every episode row of the show.
CREATE INDEX CONCURRENTLY IF NOT EXISTS episodes_live_idx
    ON episodes (podcast_id, published_at DESC NULLS LAST, id) WHERE NOT gone;
DROP INDEX CONCURRENTLY IF EXISTS episodes_podcast_id_published_at_idx;
-- Leasing due podcasts takes dead ones too (they are checked monthly), which the partial index
-- on live podcasts could not serve: the scheduler scanned the whole table.
CREATE INDEX CONCURRENTLY IF NOT EXISTS podcasts_next_crawl_idx ON podcasts (next_crawl_at);
DROP INDEX CONCURRENTLY IF EXISTS podcasts_next_crawl_at_idx;

-- +goose Down
CREATE INDEX CONCURRENTLY IF NOT EXISTS podcasts_next_crawl_at_idx ON podcasts (next_crawl_at) WHERE NOT dead;
DROP INDEX CONCURRENTLY IF EXISTS podcasts_next_crawl_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS episodes_podcast_id_published_at_idx ON episodes (podcast_id, published_at DESC);
DROP INDEX CONCURRENTLY IF EXISTS episodes_live_idx;
