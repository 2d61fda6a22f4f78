package db_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"hark"
	"hark/db/dbtest"
	"hark/migrations"
)

// TestMigrationFillsCountry: podcasts crawled before Hark stored a country get the region of
// their language, and a new updated_at so that the reconcile job rewrites their search documents.
func TestMigrationFillsCountry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewEmptySchema(t)
	sqlDB := stdlib.OpenDBFromPool(pool)
	t.Cleanup(func() { sqlDB.Close() })
	provider, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.UpTo(ctx, 7); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{} // language -> podcast id
	for _, lang := range []string{"en-gb", "pt-br", "zh-hant-tw", "en", "es-419", ""} {
		id := hark.NewID()
		ids[lang] = id
		if _, err := pool.Exec(ctx, `INSERT INTO podcasts (id, feed_url, identity_key, language, index_pending, updated_at)
			VALUES ($1, $2, $2, $3, false, '2020-01-01')`, id, "https://example.com/"+id, lang); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := provider.UpTo(ctx, 8); err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"en-gb": "gb", "pt-br": "br", "zh-hant-tw": "tw", "en": "", "es-419": "", "": ""} {
		var country string
		var pending, touched bool
		if err := pool.QueryRow(ctx, `SELECT country, index_pending, updated_at > '2020-01-01' FROM podcasts WHERE id = $1`,
			ids[lang]).Scan(&country, &pending, &touched); err != nil {
			t.Fatal(err)
		}
		if country != want || pending != (want != "") || touched != (want != "") {
			t.Errorf("language %q: country %q, index_pending %v, updated_at moved %v; want %q, and both %v",
				lang, country, pending, touched, want, want != "")
		}
	}
}
