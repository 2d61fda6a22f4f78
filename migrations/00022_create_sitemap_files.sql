-- +goose Up
-- sitemap_files holds the sitemap files written ahead by the build_sitemaps job (and by a web
-- process that had to write one), so that a crawler's fetch reads one row. A file is file n of
-- files of its kind: when the count of files changes, every range does, and the rows of the old
-- count are deleted. base is the public URL the file's links start with; a process serving
-- under another one writes its own. body is gzipped, so Postgres does not compress it again.
CREATE TABLE IF NOT EXISTS sitemap_files (
    kind     text        NOT NULL,
    n        integer     NOT NULL,
    files    integer     NOT NULL,
    base     text        NOT NULL,
    urls     integer     NOT NULL,
    body     bytea       NOT NULL,
    digest   text        NOT NULL,
    built_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, n, files)
);
ALTER TABLE sitemap_files ALTER COLUMN body SET STORAGE EXTERNAL;

-- +goose Down
DROP TABLE IF EXISTS sitemap_files;
