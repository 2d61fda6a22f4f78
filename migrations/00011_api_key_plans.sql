-- +goose Up
-- A key's plan names a plan of the PLANS setting. Keys made before plans existed keep what they
-- had (no limits but their own) on the enterprise plan; sign-up and the CLI name the plan.
ALTER TABLE api_keys ADD COLUMN plan text NOT NULL DEFAULT 'enterprise';
-- email is what a key holder gave at sign-up (empty for keys the CLI made).
ALTER TABLE api_keys ADD COLUMN email text NOT NULL DEFAULT '';
CREATE INDEX api_keys_signup_idx ON api_keys (created_at) WHERE email <> '';

-- api_usage_daily meters requests per key and UTC day, for the account page's chart; api_usage
-- stays the monthly total that quotas read.
CREATE TABLE api_usage_daily (
    api_key_id bigint NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    day        date NOT NULL,
    requests   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (api_key_id, day)
);

-- +goose Down
DROP TABLE api_usage_daily;
DROP INDEX api_keys_signup_idx;
ALTER TABLE api_keys DROP COLUMN email;
ALTER TABLE api_keys DROP COLUMN plan;
