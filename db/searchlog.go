package db

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// maxLoggedQuery bounds the queries search_log keeps, in bytes; longer ones are not trends.
const maxLoggedQuery = 100

// NormalizeQuery returns q as search_log keeps it: lower case, single spaces; "" for a query
// too long to keep.
func NormalizeQuery(q string) string {
	q = strings.ToLower(strings.Join(strings.Fields(q), " "))
	if len(q) > maxLoggedQuery {
		return ""
	}
	return q
}

// RecordSearches adds counts of searches asked today (UTC), by query, to search_log. Queries
// should be normalised with NormalizeQuery.
func (s *Store) RecordSearches(ctx context.Context, counts map[string]int64) error {
	if len(counts) == 0 {
		return nil
	}
	queries := make([]string, 0, len(counts))
	ns := make([]int64, 0, len(counts))
	for q, n := range counts {
		if q != "" {
			queries, ns = append(queries, q), append(ns, n)
		}
	}
	_, err := s.db.Exec(ctx, `
		INSERT INTO search_log (day, query, searches)
		SELECT (now() AT TIME ZONE 'UTC')::date, q, n FROM unnest(@queries::text[], @counts::bigint[]) AS t(q, n)
		ON CONFLICT (day, query) DO UPDATE SET searches = search_log.searches + EXCLUDED.searches`,
		pgx.NamedArgs{"queries": queries, "counts": ns})
	if err != nil {
		return fmt.Errorf("record searches: %w", err)
	}
	return nil
}

// TrendingSearches returns up to limit queries asked most over the last days days (UTC, today
// included), most asked first.
func (s *Store) TrendingSearches(ctx context.Context, days, limit int) ([]string, error) {
	return s.loggedQueries(ctx, `SELECT query FROM search_log
		WHERE day > (now() AT TIME ZONE 'UTC')::date - @days::int
		GROUP BY query ORDER BY sum(searches) DESC, query LIMIT @limit`,
		pgx.NamedArgs{"days": days, "limit": limit})
}

// RelatedSearches returns up to limit other queries of the last days days that share a word
// with q, most asked first.
func (s *Store) RelatedSearches(ctx context.Context, q string, days, limit int) ([]string, error) {
	q = NormalizeQuery(q)
	words := strings.Fields(q)
	if len(words) == 0 {
		return nil, nil
	}
	return s.loggedQueries(ctx, `SELECT query FROM search_log
		WHERE day > (now() AT TIME ZONE 'UTC')::date - @days::int AND query <> @q
		  AND string_to_array(query, ' ') && @words::text[]
		GROUP BY query ORDER BY sum(searches) DESC, query LIMIT @limit`,
		pgx.NamedArgs{"q": q, "words": words, "days": days, "limit": limit})
}

func (s *Store) loggedQueries(ctx context.Context, sql string, args pgx.NamedArgs) ([]string, error) {
	rows, err := s.db.Query(ctx, sql, args)
	if err != nil {
		return nil, fmt.Errorf("read search log: %w", err)
	}
	qs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("read search log: %w", err)
	}
	return qs, nil
}

// SearchLogFlushDefault is how often a SearchLog writes its counts.
const SearchLogFlushDefault = 10 * time.Second

// SearchLog counts searches in memory and writes the counts to search_log in one statement
// every flush, so a search costs no write of its own.
type SearchLog struct {
	store   *Store
	logger  *slog.Logger
	pending pendingCounts[string]
}

// NewSearchLog returns a SearchLog writing through store. Start Run to write.
func NewSearchLog(store *Store, logger *slog.Logger) *SearchLog {
	return &SearchLog{store: store, logger: logger}
}

// RecordSearch counts one search of q.
func (l *SearchLog) RecordSearch(_ context.Context, q string) {
	if q = NormalizeQuery(q); q == "" {
		return
	}
	l.pending.add(q, 1)
}

// Run writes the counts every interval until ctx is done, then once more.
func (l *SearchLog) Run(ctx context.Context, interval time.Duration) {
	flushEvery(ctx, interval, l.flush)
}

// flush writes the counts; on failure they are kept for the next flush.
func (l *SearchLog) flush(ctx context.Context) {
	err := l.pending.flush(func(counts map[string]int64) error { return l.store.RecordSearches(ctx, counts) })
	if err != nil {
		l.logger.WarnContext(ctx, "Search log not written yet; will retry", slog.Any("error", err))
	}
}
