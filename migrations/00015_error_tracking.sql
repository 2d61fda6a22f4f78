-- +goose Up
-- error_groups gathers the unexpected errors (panics, 5xx answers, jobs out of attempts) that
-- share a cause: the fingerprint of their stack, or of where they happened and their message
-- when they carry no stack. A resolved group that happens again is open again (reopened_at).
CREATE TABLE error_groups (
    id               bigserial PRIMARY KEY,
    fingerprint      text NOT NULL UNIQUE,
    kind             text NOT NULL,
    message          text NOT NULL,
    first_seen       timestamptz NOT NULL,
    last_seen        timestamptz NOT NULL,
    count            bigint NOT NULL DEFAULT 1,
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'ignored')),
    reopened_at      timestamptz,
    last_notified_at timestamptz
);
CREATE INDEX error_groups_last_seen_idx ON error_groups (last_seen DESC);

-- error_events are the occurrences, pruned after a retention period; their groups stay.
CREATE TABLE error_events (
    id       bigserial PRIMARY KEY,
    group_id bigint NOT NULL REFERENCES error_groups (id) ON DELETE CASCADE,
    at       timestamptz NOT NULL,
    stack    text NOT NULL DEFAULT '',
    context  jsonb NOT NULL DEFAULT '{}',
    release  text NOT NULL DEFAULT ''
);
CREATE INDEX error_events_group_idx ON error_events (group_id, at DESC);
CREATE INDEX error_events_at_idx ON error_events (at);

-- crawl_health keeps, each hour, how many podcasts were crawled in the hour before and how many
-- of those crawls failed: the baseline a crawl failure spike is measured against.
CREATE TABLE crawl_health (
    hour    timestamptz PRIMARY KEY,
    crawled bigint NOT NULL,
    failed  bigint NOT NULL
);

-- quota_notified_at marks the month in which the operator was told a key used its quota.
ALTER TABLE api_usage ADD COLUMN quota_notified_at timestamptz;

-- Autovacuum for the tables rewritten all day (see README, "Retention and autovacuum"). The
-- default scale factor (0.2) lets a fifth of a table be dead rows before it is vacuumed: on a
-- million podcasts, each crawl updating its row, that is 200,000 dead rows scanned by every
-- lookup. Small tables updated in place many times a second (usage counters, the search log)
-- are vacuumed after a fixed number of changes instead.
ALTER TABLE podcasts SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.01);
ALTER TABLE episodes SET (autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.02);
ALTER TABLE api_usage SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
ALTER TABLE api_usage_daily SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
ALTER TABLE search_log SET (autovacuum_vacuum_scale_factor = 0.05, autovacuum_vacuum_threshold = 1000);
ALTER TABLE submission_counts SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
ALTER TABLE error_groups SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);

-- +goose Down
ALTER TABLE error_groups RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold);
ALTER TABLE submission_counts RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold);
ALTER TABLE search_log RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold);
ALTER TABLE api_usage_daily RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold);
ALTER TABLE api_usage RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold);
ALTER TABLE episodes RESET (autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor);
ALTER TABLE podcasts RESET (autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor);
ALTER TABLE api_usage DROP COLUMN quota_notified_at;
DROP TABLE crawl_health;
DROP TABLE error_events;
DROP TABLE error_groups;
