-- +goose Up
-- rate_limit is the requests per second a key may send; 0 takes the server's default.
ALTER TABLE api_keys ADD COLUMN rate_limit integer NOT NULL DEFAULT 0;

-- submission_counts counts the feeds each submitter (an API key or a client address) added on
-- each UTC day, for the daily caps; the row lock makes the cap exact across web processes.
CREATE TABLE submission_counts (
    submitter   text NOT NULL,
    day         date NOT NULL,
    submissions integer NOT NULL,
    PRIMARY KEY (submitter, day)
);

-- +goose Down
DROP TABLE submission_counts;
ALTER TABLE api_keys DROP COLUMN rate_limit;
