package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"hark/db"
)

// txSchemaPrefix names the schemas TestTx shares; txSchemaMaxAge is how old one must be before a
// later run drops it. A package's run cannot drop its own shared schema (no test knows it is the
// last), so each run sweeps up what finished runs left. The age keeps it off the schema of a run
// still going in another process, which Go's default test timeout ends long before an hour.
const (
	txSchemaPrefix = "testtx_"
	txSchemaMaxAge = time.Hour
)

// txSchema is the package run's shared schema, made on the first TestTx.
var txSchema struct {
	once sync.Once
	pool *pgxpool.Pool
	err  error
}

// TestTx returns a transaction on a migrated schema shared by the package's tests, rolled back
// when the test ends. The schema is created and migrated once per package run, so a test on a
// transaction costs a BEGIN rather than a migration. Use it for code that does not commit and
// starts no River client; use NewSchema for the rest.
//
// Tests running in parallel share the schema, and a row one inserts is invisible to the others
// but still holds its unique keys until the rollback: give each test values of its own (feed URLs,
// say) or one waits for the other to end.
func TestTx(t testing.TB) pgx.Tx {
	t.Helper()
	url := URL(t)
	txSchema.once.Do(func() { txSchema.pool, txSchema.err = newTxSchema(url) })
	if txSchema.err != nil {
		t.Fatal(txSchema.err)
	}
	ctx := context.Background()
	tx, err := txSchema.pool.Begin(ctx)
	if err != nil {
		t.Fatalf("begin test transaction: %v", err)
	}
	t.Cleanup(func() {
		if err := tx.Rollback(context.Background()); err != nil && !errors.Is(err, pgx.ErrTxClosed) {
			t.Errorf("roll back test transaction: %v", err)
		}
	})
	return tx
}

// TestStore is TestTx with a Store bound to the transaction. Store.InTx on it runs in a savepoint,
// so code under test that opens its own transaction still rolls back with the test.
func TestStore(t testing.TB) (*db.Store, pgx.Tx) {
	t.Helper()
	tx := TestTx(t)
	return db.New(nil).WithTx(tx), tx
}

// newTxSchema drops the shared schemas of finished runs, then creates and migrates this run's.
// The pool is never closed: it lives as long as the test process.
func newTxSchema(url string) (*pgxpool.Pool, error) {
	ctx := context.Background()
	admin, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("connect to test database: %w", err)
	}
	defer admin.Close()
	if err := dropStaleTxSchemas(ctx, admin); err != nil {
		return nil, err
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	schema := txSchemaPrefix + strconv.FormatInt(time.Now().Unix(), 10) + "_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return nil, fmt.Errorf("create schema: %w", err)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse TEST_DATABASE_URL: %w", err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to test schema: %w", err)
	}
	if err := db.Migrate(ctx, pool, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrate test schema: %w", err)
	}
	return pool, nil
}

// dropStaleTxSchemas drops the shared schemas older than txSchemaMaxAge, which their runs, long
// over, could not drop themselves.
func dropStaleTxSchemas(ctx context.Context, admin *pgxpool.Pool) error {
	rows, err := admin.Query(ctx, `SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`, txSchemaPrefix)
	if err != nil {
		return fmt.Errorf("list test schemas: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("list test schemas: %w", err)
	}
	cutoff := time.Now().Add(-txSchemaMaxAge).Unix()
	for _, name := range names {
		created, _, _ := strings.Cut(strings.TrimPrefix(name, txSchemaPrefix), "_")
		if sec, err := strconv.ParseInt(created, 10, 64); err != nil || sec >= cutoff {
			continue
		}
		// Another run may be sweeping the same schema at once: the sweep is best effort, and
		// what one run misses the next one drops.
		_, _ = admin.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE")
	}
	return nil
}
