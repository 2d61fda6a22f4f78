// Package dbtest gives tests a real, migrated Postgres schema: TestTx a transaction on one schema
// shared by the package's tests and rolled back when the test ends, NewSchema a schema of the
// test's own for code that commits or starts a River client.
//
// Tests read TEST_DATABASE_URL. When it is unset they fail under `make test` and CI (which set
// HARK_REQUIRE_SERVICES=1) and skip, saying why, on a developer's own run.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"hark/db"
	"hark/db/querycount"
	"hark/internal/sharedtest"
)

// URL returns TEST_DATABASE_URL, failing or skipping the test when it is unset.
func URL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("TEST_DATABASE_URL")
	if url == "" {
		sharedtest.Missing(t, "TEST_DATABASE_URL is not set; `make test` starts Postgres and sets it")
	}
	return url
}

// NewSchema creates a fresh schema, migrates Hark's and River's tables into it, and returns a
// pool whose connections use it. The schema is dropped when the test ends. Use it for tests
// that commit or start a River client.
func NewSchema(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, _ := NewSchemaURL(t)
	return pool
}

// NewEmptySchema returns a pool on a new schema with no tables, dropped when the test ends, for
// tests of the migrations themselves.
func NewEmptySchema(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, _ := newSchema(t, false)
	return pool
}

// NewSchemaURL is NewSchema that also returns a database URL whose connections use the schema,
// for code under test that opens its own pool.
func NewSchemaURL(t testing.TB) (*pgxpool.Pool, string) {
	t.Helper()
	return newSchema(t, true)
}

// NewCountedSchema is NewSchema with a pool of maxConns connections whose statements n counts
// (see querycount), for tests that hold code to a number of queries.
func NewCountedSchema(t testing.TB, maxConns int32, n *querycount.Counter) *pgxpool.Pool {
	t.Helper()
	_, url := NewSchemaURL(t)
	pool, err := querycount.NewPool(t.Context(), url, maxConns, n)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func newSchema(t testing.TB, migrate bool) (*pgxpool.Pool, string) {
	t.Helper()
	ctx := context.Background()
	url := URL(t)
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "test_" + hex.EncodeToString(b[:])

	admin, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatalf("connect to test database: %v", err)
	}
	t.Cleanup(admin.Close)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Logf("drop schema %s: %v", schema, err)
		}
	})

	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatalf("parse TEST_DATABASE_URL: %v", err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.MaxConns = 10
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("connect to test schema: %v", err)
	}
	t.Cleanup(pool.Close)
	if !migrate {
		return pool, ""
	}
	if err := db.Migrate(ctx, pool, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatalf("migrate test schema: %v", err)
	}
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	// pgx passes unknown URL parameters to the server as run-time settings.
	return pool, url + sep + "search_path=" + schema
}
