package db

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// Figures the /admin charts read from ops_counts, by metric name.
const (
	MetricCrawls        = "crawls"         // label: changed, unchanged or failed
	MetricEpisodesAdded = "episodes_added" // no label
	MetricAPIRequests   = "api_requests"   // label: "<plan> <status class>", like "free 2xx"
	MetricSearchLatency = "search_ms"      // label: the bucket's upper bound in ms, or "inf"
	MetricIndexDrift    = "index_drift"    // a gauge: podcasts drifted in the hour's last reconcile run
)

// OpsFlushDefault is how often a Tally writes its counts.
const OpsFlushDefault = 10 * time.Second

// opsKey is one ops_counts row: a metric, an hour and a label.
type opsKey struct {
	metric string
	hour   time.Time
	label  string
}

// Tally counts operational figures in memory and adds them to ops_counts, an hour a row, every
// flush: a crawl or a request costs no write of its own. Its methods are safe for concurrent use;
// a nil *Tally counts nothing.
type Tally struct {
	store   *Store
	logger  *slog.Logger
	pending pendingCounts[opsKey]
}

// NewTally returns a Tally writing through store. Start Run to write.
func NewTally(store *Store, logger *slog.Logger) *Tally {
	return &Tally{store: store, logger: logger}
}

// Add counts n of metric under label in the current hour.
func (t *Tally) Add(metric, label string, n int64) {
	if t == nil || n == 0 {
		return
	}
	t.pending.add(opsKey{metric, time.Now().UTC().Truncate(time.Hour), label}, n)
}

// Run writes the counts every interval until ctx is done, then once more.
func (t *Tally) Run(ctx context.Context, interval time.Duration) {
	flushEvery(ctx, interval, t.flushLogged)
}

// Flush writes the counts now; on failure they are kept for the next flush.
func (t *Tally) Flush(ctx context.Context) error {
	return t.pending.flush(func(counts map[opsKey]int64) error { return t.store.addOpsCounts(ctx, counts) })
}

func (t *Tally) flushLogged(ctx context.Context) {
	if err := t.Flush(ctx); err != nil {
		t.logger.WarnContext(ctx, "Operations counts not written yet; will retry", slog.Any("error", err))
	}
}

// addOpsCounts adds counts to their ops_counts rows in one statement.
func (s *Store) addOpsCounts(ctx context.Context, counts map[opsKey]int64) error {
	if len(counts) == 0 {
		return nil
	}
	var metrics, labels []string
	var hours []time.Time
	var ns []int64
	for k, n := range counts {
		metrics, hours, labels, ns = append(metrics, k.metric), append(hours, k.hour), append(labels, k.label), append(ns, n)
	}
	_, err := s.db.Exec(ctx, `
		INSERT INTO ops_counts (metric, hour, label, n)
		SELECT * FROM unnest(@metrics::text[], @hours::timestamptz[], @labels::text[], @ns::bigint[])
		ON CONFLICT (metric, hour, label) DO UPDATE SET n = ops_counts.n + excluded.n`,
		pgx.NamedArgs{"metrics": metrics, "hours": hours, "labels": labels, "ns": ns})
	if err != nil {
		return fmt.Errorf("add ops counts: %w", err)
	}
	return nil
}

// SetOpsGauge sets metric's value for the current hour: the last value set in an hour stays.
func (s *Store) SetOpsGauge(ctx context.Context, metric string, v int64) error {
	_, err := s.db.Exec(ctx, `
		INSERT INTO ops_counts (metric, hour, label, n) VALUES ($1, $2, '', $3)
		ON CONFLICT (metric, hour, label) DO UPDATE SET n = excluded.n`, metric, s.now().UTC().Truncate(time.Hour), v)
	if err != nil {
		return fmt.Errorf("set ops gauge %s: %w", metric, err)
	}
	return nil
}

// OpsCount is one ops_counts row.
type OpsCount struct {
	Hour  time.Time
	Label string
	N     int64
}

// FindOpsCounts returns metric's rows since since, oldest first.
func (s *Store) FindOpsCounts(ctx context.Context, metric string, since time.Time) ([]OpsCount, error) {
	return queryAll(ctx, s.db, "find ops counts", func(row pgx.Row) (OpsCount, error) {
		var c OpsCount
		err := row.Scan(&c.Hour, &c.Label, &c.N)
		return c, err
	}, `SELECT hour, label, n FROM ops_counts WHERE metric = $1 AND hour >= $2 ORDER BY hour, label`, metric, since)
}
