// Package querycount counts the statements a pgx pool sends to Postgres, so tests can hold the
// data path to a number of queries and the bench can print it.
package querycount

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Counts is what a Counter saw.
type Counts struct {
	Statements int // SQL statements, BEGIN and COMMIT included, each statement of a batch counted
	RoundTrips int // statements and batches sent, a batch counted once
	River      int // of Statements, River's own (its queries start with an sqlc "-- name:" line)
}

// String reads like "12 statements in 9 round trips (2 of them River's)".
func (c Counts) String() string {
	return fmt.Sprintf("%d statements in %d round trips (%d of them River's)", c.Statements, c.RoundTrips, c.River)
}

// Counter is a pgx tracer that counts statements and round trips. Its zero value is ready to use
// and it is safe for concurrent use.
type Counter struct {
	mu sync.Mutex
	c  Counts
}

var (
	_ pgx.QueryTracer = (*Counter)(nil)
	_ pgx.BatchTracer = (*Counter)(nil)
)

// Take returns the counts since the last Take and starts again from zero.
func (n *Counter) Take() Counts {
	n.mu.Lock()
	defer n.mu.Unlock()
	c := n.c
	n.c = Counts{}
	return c
}

func (n *Counter) add(sql string, roundTrips int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.c.Statements++
	n.c.RoundTrips += roundTrips
	if strings.HasPrefix(sql, "-- name: ") {
		n.c.River++
	}
}

// TraceQueryStart counts a Query, QueryRow or Exec: one statement, one round trip.
func (n *Counter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	n.add(data.SQL, 1)
	return ctx
}

// TraceQueryEnd does nothing: a statement is counted when it is sent.
func (n *Counter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart counts a batch as one round trip; its statements are counted one by one.
func (n *Counter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.c.RoundTrips++
	return ctx
}

// TraceBatchQuery counts one statement of a batch.
func (n *Counter) TraceBatchQuery(_ context.Context, _ *pgx.Conn, data pgx.TraceBatchQueryData) {
	n.add(data.SQL, 0)
}

// TraceBatchEnd does nothing.
func (n *Counter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// NewPool opens a pool on the database at url whose statements n counts.
func NewPool(ctx context.Context, url string, maxConns int32, n *Counter) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("counting pool: %w", err)
	}
	cfg.MaxConns = maxConns
	cfg.ConnConfig.Tracer = n
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("counting pool: %w", err)
	}
	return pool, nil
}
