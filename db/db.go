// Package db stores Hark's podcasts, episodes and API keys in Postgres through pgx v5. It is the
// single source of truth: the search index can always be rebuilt from it.
package db

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"hark"
)

// DBTX is what Store needs of a connection: a pool or a transaction.
type DBTX interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Store reads and writes Hark's tables. Its zero value is not usable; use New or WithTx.
type Store struct {
	db   DBTX
	pool *pgxpool.Pool // nil for a Store bound to a transaction
	// clock says what time it is for metering; nil is time.Now (tests set it through
	// export_test.go to meter at a month's edge).
	clock func() time.Time
}

func (s *Store) now() time.Time {
	if s.clock != nil {
		return s.clock()
	}
	return time.Now()
}

// New returns a Store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{db: pool, pool: pool} }

// WithTx returns a Store whose statements run in tx, so callers can add their own writes (a River
// job insert, say) to the same transaction.
func (s *Store) WithTx(tx pgx.Tx) *Store { return &Store{db: tx, clock: s.clock} }

// Pool returns the pool the Store was made with, or nil when it is bound to a transaction.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// InTx runs fn in a transaction, committing when fn returns nil. On a Store bound to a
// transaction it runs fn in a savepoint of that transaction, so code that opens its own
// transaction also runs inside a test's rolled-back one (dbtest.TestStore).
func (s *Store) InTx(ctx context.Context, fn func(tx pgx.Tx, st *Store) error) error {
	b, ok := s.db.(interface {
		Begin(ctx context.Context) (pgx.Tx, error)
	})
	if !ok {
		return errors.New("store's connection cannot begin a transaction")
	}
	return pgx.BeginFunc(ctx, b, func(tx pgx.Tx) error { return fn(tx, s.WithTx(tx)) })
}

// Open connects to the database at url and checks the connection.
func Open(ctx context.Context, url string, maxConns int32) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, hark.Errorf(hark.ErrInvalid, "DATABASE_URL is not a valid Postgres URL: %v", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database %s@%s:%d/%s: %w",
			cfg.ConnConfig.User, cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, err)
	}
	return pool, nil
}

// interpretError maps driver errors onto Hark's sentinels, in one place.
func interpretError(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return hark.ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return fmt.Errorf("%w: %s", hark.ErrConflict, pgErr.ConstraintName)
	}
	return err
}

// timeOrZero turns a nullable timestamp into a time, zero for NULL.
func timeOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// nullTime turns the zero time into NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// collect scans every row with scan and closes rows.
func collect[T any](rows pgx.Rows, scan func(pgx.Row) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// scanString scans a row of one text column.
func scanString(row pgx.Row) (string, error) {
	var v string
	err := row.Scan(&v)
	return v, err
}

// queryAll runs sql and scans every row it returns with scan; its error starts with what.
func queryAll[T any](ctx context.Context, db DBTX, what string, scan func(pgx.Row) (T, error), sql string, args ...any) ([]T, error) {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out, err := collect(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}
