-- +goose Up
-- operators are the named accounts that sign in to /admin, /riverui and /metrics. The password
-- is kept only as an argon2id hash in the PHC string format ($argon2id$v=19$m=..,t=..,p=..$salt$hash).
CREATE TABLE operators (
    id            bigserial PRIMARY KEY,
    name          text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz
);

-- operator_sessions are signed-in browsers: the cookie holds a random token, Postgres its SHA-256.
CREATE TABLE operator_sessions (
    token_hash  bytea PRIMARY KEY,
    operator_id bigint NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX operator_sessions_expires_at_idx ON operator_sessions (expires_at);

-- ops_counts holds per-hour figures for the /admin charts, so they need no Prometheus: each
-- process counts in memory and adds its counts every few seconds (crawls by outcome, episodes
-- added, API requests by plan and status, search latency by bucket), and gauges (index drift)
-- keep the last value of the hour.
CREATE TABLE ops_counts (
    metric text NOT NULL,
    hour   timestamptz NOT NULL,
    label  text NOT NULL DEFAULT '',
    n      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (metric, hour, label)
);

-- failing_since is when a feed's current run of failed crawls began (NULL while it crawls fine).
ALTER TABLE podcasts ADD COLUMN failing_since timestamptz;
UPDATE podcasts SET failing_since = coalesce(last_crawled_at, now()) WHERE consecutive_failures > 0;
CREATE INDEX podcasts_failing_idx ON podcasts (failing_since) WHERE consecutive_failures > 0;

-- A decided deletion request keeps what the podcast was (it is deleted, and with it the foreign
-- key's target), who decided and when, and where to send podcastDeleted.
ALTER TABLE podcast_deletion_requests
    DROP CONSTRAINT podcast_deletion_requests_podcast_id_fkey,
    ADD COLUMN podcast_title  text NOT NULL DEFAULT '',
    ADD COLUMN feed_url       text NOT NULL DEFAULT '',
    ADD COLUMN webhook_url    text NOT NULL DEFAULT '',
    ADD COLUMN webhook_secret text NOT NULL DEFAULT '',
    ADD COLUMN decided_by     text NOT NULL DEFAULT '',
    ADD COLUMN decided_at     timestamptz;

-- Views for operators who work in psql (README, "Running in production").
-- ops_crawl_health: one row, the podcasts by crawl state.
CREATE VIEW ops_crawl_health AS
SELECT count(*)                                                        AS podcasts,
       count(*) FILTER (WHERE last_crawled_at IS NULL AND NOT dead)    AS never_crawled,
       count(*) FILTER (WHERE consecutive_failures = 0 AND last_crawled_at IS NOT NULL AND NOT dead) AS ok,
       count(*) FILTER (WHERE consecutive_failures > 0 AND NOT dead)   AS failing,
       count(*) FILTER (WHERE dead)                                    AS dead,
       count(*) FILTER (WHERE next_crawl_at < now() AND NOT dead)      AS due,
       count(*) FILTER (WHERE next_crawl_at < now() - interval '10 minutes' AND NOT dead) AS overdue,
       count(*) FILTER (WHERE index_pending)                           AS index_pending
FROM podcasts;

-- ops_failing_feeds: the feeds failing now, longest failing first.
CREATE VIEW ops_failing_feeds AS
SELECT id, title, feed_url, consecutive_failures, failing_since, last_crawled_at, last_http_status,
       last_error, next_crawl_at, dead
FROM podcasts WHERE consecutive_failures > 0
ORDER BY failing_since NULLS LAST, id;

-- ops_queue: River's unfinished jobs by kind and state, with the oldest one's age.
CREATE VIEW ops_queue AS
SELECT kind, queue, state, count(*) AS jobs, now() - min(scheduled_at) AS oldest
FROM river_job
WHERE state IN ('available', 'pending', 'retryable', 'running', 'scheduled')
GROUP BY kind, queue, state
ORDER BY kind, state;

-- ops_api_usage_daily: API requests a day by plan, from the metering rows.
CREATE VIEW ops_api_usage_daily AS
SELECT u.day, k.plan, sum(u.requests) AS requests, count(DISTINCT u.api_key_id) AS keys
FROM api_usage_daily u JOIN api_keys k ON k.id = u.api_key_id
GROUP BY u.day, k.plan
ORDER BY u.day DESC, k.plan;

-- ops_hourly: the /admin charts' figures, an hour a row.
CREATE VIEW ops_hourly AS
SELECT hour, metric, label, n FROM ops_counts ORDER BY hour DESC, metric, label;

-- ops_deletion_requests: deletion requests still waiting for an operator.
CREATE VIEW ops_deletion_requests AS
SELECT r.id, r.podcast_id, p.title, r.reason, r.api_key_id, r.created_at
FROM podcast_deletion_requests r LEFT JOIN podcasts p ON p.id = r.podcast_id
WHERE r.status = 'in review'
ORDER BY r.created_at;

-- +goose Down
DROP VIEW ops_deletion_requests;
DROP VIEW ops_hourly;
DROP VIEW ops_api_usage_daily;
DROP VIEW ops_queue;
DROP VIEW ops_failing_feeds;
DROP VIEW ops_crawl_health;
DELETE FROM podcast_deletion_requests r WHERE NOT EXISTS (SELECT 1 FROM podcasts p WHERE p.id = r.podcast_id);
ALTER TABLE podcast_deletion_requests
    DROP COLUMN decided_at,
    DROP COLUMN decided_by,
    DROP COLUMN webhook_secret,
    DROP COLUMN webhook_url,
    DROP COLUMN feed_url,
    DROP COLUMN podcast_title,
    ADD CONSTRAINT podcast_deletion_requests_podcast_id_fkey
        FOREIGN KEY (podcast_id) REFERENCES podcasts (id) ON DELETE CASCADE;
DROP INDEX podcasts_failing_idx;
ALTER TABLE podcasts DROP COLUMN failing_since;
DROP TABLE ops_counts;
DROP TABLE operator_sessions;
DROP TABLE operators;
