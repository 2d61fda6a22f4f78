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

// Counter is a pgx tracer that counts statements and round trips, in all and by the label of
// the context they were sent with (see WithLabel). Its zero value is ready to use and it is safe
// for concurrent use.
type Counter struct {
	mu      sync.Mutex
	byLabel map[string]*Counts
}

type labelKey struct{}

// WithLabel returns a context whose statements a Counter counts under label: the kind of the
// job that sends them, say.
func WithLabel(ctx context.Context, label string) context.Context {
	return context.WithValue(ctx, labelKey{}, label)
}

var (
	_ pgx.QueryTracer = (*Counter)(nil)
	_ pgx.BatchTracer = (*Counter)(nil)
)

// Take returns the counts since the last Take or TakeByLabel, and starts again from zero.
func (n *Counter) Take() Counts {
	var all Counts
	for _, c := range n.TakeByLabel() {
		all.Statements, all.RoundTrips, all.River = all.Statements+c.Statements, all.RoundTrips+c.RoundTrips, all.River+c.River
	}
	return all
}

// TakeByLabel returns the counts by label since the last Take or TakeByLabel (statements sent
// with no label under ""), and starts again from zero.
func (n *Counter) TakeByLabel() map[string]Counts {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make(map[string]Counts, len(n.byLabel))
	for l, c := range n.byLabel {
		out[l] = *c
	}
	n.byLabel = nil
	return out
}

// at returns the counts of ctx's label. Call it with n.mu held.
func (n *Counter) at(ctx context.Context) *Counts {
	label, _ := ctx.Value(labelKey{}).(string)
	if n.byLabel == nil {
		n.byLabel = map[string]*Counts{}
	}
	c := n.byLabel[label]
	if c == nil {
		c = &Counts{}
		n.byLabel[label] = c
	}
	return c
}

func (n *Counter) add(ctx context.Context, sql string, roundTrips int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	c := n.at(ctx)
	c.Statements++
	c.RoundTrips += roundTrips
	if strings.HasPrefix(sql, "-- name: ") {
		c.River++
	}
}

// TraceQueryStart counts a Query, QueryRow or Exec: one statement, one round trip.
func (n *Counter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	n.add(ctx, data.SQL, 1)
	return ctx
}

// TraceQueryEnd does nothing: a statement is counted when it is sent.
func (n *Counter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart counts a batch as one round trip; its statements are counted one by one.
func (n *Counter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.at(ctx).RoundTrips++
	return ctx
}

// TraceBatchQuery counts one statement of a batch.
func (n *Counter) TraceBatchQuery(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchQueryData) {
	n.add(ctx, data.SQL, 0)
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
