-- +goose NO TRANSACTION
-- Built CONCURRENTLY, so a live Hark keeps crawling and serving while the big tables are indexed.
-- +goose Up
-- The change feed (GET /api/v2/changes) pages podcasts and episodes by (updated_at, id).
CREATE INDEX CONCURRENTLY IF NOT EXISTS podcasts_changes_idx ON podcasts (updated_at, id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS episodes_changes_idx ON episodes (updated_at, id);

-- alerts are saved searches: an episode indexed after the alert was made that matches it is
-- posted to webhook_url, signed with secret (HMAC-SHA256). The secret must be kept to sign.
CREATE TABLE IF NOT EXISTS alerts (
    id          bigserial PRIMARY KEY,
    api_key_id  bigint NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    query       text NOT NULL,
    language    text NOT NULL DEFAULT '',
    genre_ids   integer[] NOT NULL DEFAULT '{}',
    podcast_id  text NOT NULL DEFAULT '',
    webhook_url text NOT NULL,
    secret      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS alerts_api_key_id_idx ON alerts (api_key_id, id);

-- alert_deliveries holds one row per episode an alert matched: the primary key makes the post
-- at most once per episode per alert, however often the episode is indexed.
CREATE TABLE IF NOT EXISTS alert_deliveries (
    alert_id   bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    episode_id text NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (alert_id, episode_id)
);

-- submission_webhooks are the webhook URLs given with POST /api/v2/podcasts/submit, waiting for
-- the feed's first crawl to say podcastsSubmitAccepted or podcastsSubmitRejected.
CREATE TABLE IF NOT EXISTS submission_webhooks (
    podcast_id  text PRIMARY KEY REFERENCES podcasts (id) ON DELETE CASCADE,
    webhook_url text NOT NULL,
    secret      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE IF EXISTS submission_webhooks;
DROP TABLE IF EXISTS alert_deliveries;
DROP TABLE IF EXISTS alerts;
DROP INDEX CONCURRENTLY IF EXISTS episodes_changes_idx;
DROP INDEX CONCURRENTLY IF EXISTS podcasts_changes_idx;
