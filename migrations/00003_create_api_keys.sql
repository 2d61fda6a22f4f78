-- +goose Up
CREATE TABLE api_keys (
    id            bigserial PRIMARY KEY,
    -- key_hash is the SHA-256 of the key; the key itself is shown once and never stored.
    key_hash      bytea NOT NULL UNIQUE,
    key_prefix    text NOT NULL,
    name          text NOT NULL DEFAULT '',
    monthly_quota integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz
);

-- api_usage meters requests per key and month; quota checks read it.
CREATE TABLE api_usage (
    api_key_id bigint NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    month      date NOT NULL,
    requests   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (api_key_id, month)
);

-- +goose Down
DROP TABLE api_usage;
DROP TABLE api_keys;
