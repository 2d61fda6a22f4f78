-- +goose Up
-- websub_subscriptions holds Hark's WebSub (PubSubHubbub) subscription to the hub a podcast's
-- feed names: at most one per podcast, for the hub and topic the feed named last.
CREATE TABLE websub_subscriptions (
    podcast_id    text PRIMARY KEY REFERENCES podcasts (id) ON DELETE CASCADE,
    hub_url       text NOT NULL,
    topic_url     text NOT NULL,
    -- secret is sent to the hub as hub.secret; the hub signs each notification with it
    -- (X-Hub-Signature), so the callback can tell real notifications from forged ones.
    secret        text NOT NULL,
    state         text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'verified', 'denied')),
    denied_reason text NOT NULL DEFAULT '',
    lease_seconds integer NOT NULL DEFAULT 0,
    expires_at    timestamptz,
    -- requested_at is when the hub last accepted a subscribe request (202).
    requested_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX websub_subscriptions_expires_at_idx ON websub_subscriptions (expires_at)
    WHERE state = 'verified';

-- +goose Down
DROP TABLE websub_subscriptions;
