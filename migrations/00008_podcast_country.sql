-- +goose Up
-- A podcast's country is the region of its feed's language (see feed.languageRegion): "en-gb"
-- is "gb". Hark stored none before, so the region filter of search found nothing. Fill it in for
-- podcasts crawled before; the new updated_at makes the reconcile job rewrite their search
-- documents, episodes included.
UPDATE podcasts p SET country = r.region, index_pending = true, updated_at = now()
FROM (
    SELECT id, (SELECT s FROM unnest(string_to_array(language, '-')) WITH ORDINALITY AS t(s, i)
                WHERE i > 1 AND s ~ '^[a-z]{2}$' ORDER BY i LIMIT 1) AS region
    FROM podcasts WHERE country = ''
) r
WHERE p.id = r.id AND r.region IS NOT NULL;

-- +goose Down
-- The countries stay: they are what a crawl stores now.
SELECT 1;
