package querycount_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"hark/db/dbtest"
	"hark/db/querycount"
)

func TestCounterCountsStatementsRoundTripsAndLabels(t *testing.T) {
	t.Parallel()
	var n querycount.Counter
	pool := dbtest.NewCountedSchema(t, 2, &n)
	n.Take()

	ctx := t.Context()
	if _, err := pool.Exec(ctx, `SELECT 1`); err != nil {
		t.Fatal(err)
	}
	job := querycount.WithLabel(ctx, "crawl_feed")
	err := pgx.BeginFunc(job, pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(`SELECT 2`)
		b.Queue(`-- name: JobLike :one
			SELECT 3`)
		return tx.SendBatch(job, b).Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]querycount.Counts{
		"":           {Statements: 1, RoundTrips: 1},
		"crawl_feed": {Statements: 4, RoundTrips: 3, River: 1}, // BEGIN, a batch of two, COMMIT
	}
	if diff := cmp.Diff(want, n.TakeByLabel()); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if got := n.Take(); got != (querycount.Counts{}) {
		t.Errorf("after a take, counts = %v, want none", got)
	}
}
