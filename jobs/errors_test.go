package jobs_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"hark"
	"hark/db"
	"hark/db/dbtest"
	"hark/jobs"
)

// waitGroups waits until the recorder has written groups whose counts add up to n.
func waitGroups(t *testing.T, store *db.Store, n int64) []db.ErrorGroup {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		gs, err := store.FindErrorGroups(context.Background(), db.ErrorGroupFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		for _, g := range gs {
			sum += g.Count
		}
		if sum >= n || time.Now().After(deadline) {
			return gs
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// runRecorder runs rec until the test ends.
func runRecorder(t *testing.T, rec *jobs.ErrorRecorder, ops *jobs.Ops) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { rec.Run(ctx, ops); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// TestJobOutOfAttemptsRecorded: a webhook delivery whose receiver keeps failing is recorded once
// it has used its last attempt, not on the attempts River retries; its context names the job
// but not its arguments.
func TestJobOutOfAttemptsRecorded(t *testing.T) {
	t.Parallel()
	var rec *jobs.ErrorRecorder
	b := setupWith(t, func(cfg *jobs.Config) {
		rec = jobs.NewErrorRecorder(cfg.Store, cfg.Logger)
		cfg.Errors = rec
	})
	runRecorder(t, rec, nil)
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) }))
	t.Cleanup(failing.Close)
	args, err := jobs.NewWebhook(failing.URL+"/token-in-path", jobs.EventEpisodeMatched, "s", map[string]int{"n": 1})
	if err != nil {
		t.Fatal(err)
	}
	// Two attempts: the first is retried (not an error to record), the second is the last.
	if _, err := b.client.Insert(t.Context(), args, &river.InsertOpts{MaxAttempts: 2}); err != nil {
		t.Fatal(err)
	}
	gs := waitGroups(t, b.store, 1)
	if len(gs) != 1 || gs[0].Kind != hark.ErrorJobFailed || gs[0].Count != 1 || !strings.Contains(gs[0].Message, "receiver answered 502") {
		t.Fatalf("groups %+v", gs)
	}
	var attempt int
	var ctxJSON string
	if err := b.pool.QueryRow(t.Context(), `SELECT (context->>'attempt')::int, context::text FROM error_events`).Scan(&attempt, &ctxJSON); err != nil {
		t.Fatal(err)
	}
	if attempt != 2 || strings.Contains(ctxJSON, "token-in-path") || !strings.Contains(ctxJSON, `"job_kind": "deliver_webhook"`) {
		t.Errorf("event context %s", ctxJSON)
	}
}

// panicArgs is a job whose worker panics, on a River client of the test's own with the
// recorder as its error handler, as NewClient makes Hark's.
type panicArgs struct{}

func (panicArgs) Kind() string { return "test_panic" }

type panicWorker struct {
	river.WorkerDefaults[panicArgs]
}

func (panicWorker) Work(context.Context, *river.Job[panicArgs]) error { panic("job went wrong") }

// TestJobPanicRecorded: each panic of a job is an event of one group, with River's trace.
func TestJobPanicRecorded(t *testing.T) {
	t.Parallel()
	pool := dbtest.NewSchema(t)
	store := db.New(pool)
	rec := jobs.NewErrorRecorder(store, slog.New(slog.DiscardHandler))
	runRecorder(t, rec, nil)
	workers := river.NewWorkers()
	river.AddWorker(workers, panicWorker{})
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Logger: slog.New(slog.DiscardHandler), Workers: workers, ErrorHandler: rec,
		Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = client.Stop(ctx)
	})
	for range 2 {
		if _, err := client.Insert(t.Context(), panicArgs{}, &river.InsertOpts{MaxAttempts: 1}); err != nil {
			t.Fatal(err)
		}
	}
	gs := waitGroups(t, store, 2)
	if len(gs) != 1 || gs[0].Count != 2 || gs[0].Kind != hark.ErrorJobPanic || gs[0].Message != "panic: job went wrong" {
		t.Fatalf("groups %+v", gs)
	}
	events, err := store.FindErrorEvents(t.Context(), gs[0].ID, 5)
	if err != nil || len(events) != 2 || !strings.Contains(events[0].Stack, "jobs_test.panicWorker.Work") {
		t.Fatalf("events %+v, %v", events, err)
	}
}

// TestErrorRecorderNeverBlocks: with nothing writing, Record returns at once and drops what
// the queue cannot hold.
func TestErrorRecorderNeverBlocks(t *testing.T) {
	t.Parallel()
	rec := jobs.NewErrorRecorder(nil, slog.New(slog.DiscardHandler)) // Run never starts
	start := time.Now()
	for range 10000 {
		rec.Record(hark.ErrorEvent{Kind: hark.ErrorHTTP5xx, Message: "x"})
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("10,000 records took %s", d)
	}
	var nilRec *jobs.ErrorRecorder
	nilRec.Record(hark.ErrorEvent{}) // a server without a recorder
}

func stackOfA() (s string) {
	defer func() { _ = recover(); s = string(debug.Stack()) }()
	var p *struct{ n int }
	p.n++
	return ""
}

func stackOfB() (s string) {
	defer func() { _ = recover(); s = string(debug.Stack()) }()
	panic(errors.New("b"))
}

// TestErrorFingerprint: panics group by the functions of their stack, not the lines or the
// goroutine; errors without a stack by place and message with the numbers and IDs taken out.
func TestErrorFingerprint(t *testing.T) {
	t.Parallel()
	fp := func(kind, msg, stack, where string) string {
		return jobs.ErrorFingerprint(hark.ErrorEvent{Kind: kind, Message: msg, Stack: stack, Where: where})
	}
	a1, a2, b := stackOfA(), stackOfA(), stackOfB()
	moved := strings.ReplaceAll(a1, ".go:", ".go:1") // the same functions, other lines
	if fp("p", "x", a1, "") != fp("p", "y", a2, "") || fp("p", "", a1, "") != fp("p", "", moved, "") {
		t.Error("one panic site gave two fingerprints")
	}
	if fp("p", "", a1, "") == fp("p", "", b, "") {
		t.Error("two panic sites share a fingerprint")
	}
	id1, id2 := hark.NewID(), hark.NewID()
	if fp("e", "find podcast "+id1+": attempt 3", "", "GET /x") != fp("e", "find podcast "+id2+": attempt 12", "", "GET /x") {
		t.Error("IDs and numbers split a group")
	}
	if fp("e", "timeout", "", "GET /x") == fp("e", "timeout", "", "GET /y") || fp("e", "timeout", "", "GET /x") == fp("e", "refused", "", "GET /x") {
		t.Error("different places or messages share a fingerprint")
	}
}

// TestCrawlErrorSpike: an hour in which far more crawls fail than over the day before is told
// of, once however often the check runs in that hour; a normal hour is not.
func TestCrawlErrorSpike(t *testing.T) {
	t.Parallel()
	hook := newHookReceiver(t, 0)
	b := setupWith(t, func(cfg *jobs.Config) {
		cfg.Ops = jobs.OpsConfig{WebhookURL: hook.URL + "/chat", WebhookSecret: "ops", BaseURL: "https://hark.test"}
	})
	ctx := t.Context()
	hour := time.Now().UTC().Truncate(time.Hour)
	for h := 1; h <= 5; h++ { // the day before: 5% of crawls failed
		if _, err := b.pool.Exec(ctx, `INSERT INTO crawl_health (hour, crawled, failed) VALUES ($1, 100, 5)`, hour.Add(-time.Duration(h)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	// The last hour: 30 feeds crawled, 12 failing (40%).
	for i := range 30 {
		p, _, err := b.store.CreatePodcast(ctx, "https://feeds.example/"+hark.NewID(), "feeds.example/"+hark.NewID(), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.pool.Exec(ctx, `UPDATE podcasts SET last_crawled_at = $2, consecutive_failures = $3 WHERE id = $1`,
			p.ID, hour.Add(-30*time.Minute), map[bool]int{true: 2, false: 0}[i < 12]); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 { // the second check of the hour says nothing new
		if _, err := b.client.Insert(ctx, jobs.CheckCrawlErrorsArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		b.waitIdle(t, 30*time.Second)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(hook.all()) < 1 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	b.waitIdle(t, 30*time.Second)
	posts := hook.all()
	if len(posts) != 1 || posts[0].event != jobs.EventCrawlErrorSpike || !strings.Contains(string(posts[0].body), "40% of the 30 feeds") {
		t.Fatalf("posts %+v", posts)
	}
	verify(t, posts[0], "ops")
	var crawled, failed int64
	if err := b.pool.QueryRow(ctx, `SELECT crawled, failed FROM crawl_health WHERE hour = $1`, hour).Scan(&crawled, &failed); err != nil ||
		crawled != 30 || failed != 12 {
		t.Errorf("sample %d/%d (%v), want 12 failed of 30", failed, crawled, err)
	}
}

// TestCrawlHealthSample: the day an hour is compared with is the samples of the 24 hours
// before it, none older.
func TestCrawlHealthSample(t *testing.T) {
	t.Parallel()
	store, tx := dbtest.TestStore(t)
	ctx := t.Context()
	hour := time.Now().UTC().Truncate(time.Hour).Add(-48 * time.Hour) // clear of other tests' podcasts
	for _, h := range []int{1, 2, 3, 4, 24, 25} {
		if _, err := tx.Exec(ctx, `INSERT INTO crawl_health (hour, crawled, failed) VALUES ($1, 100, 30)`, hour.Add(-time.Duration(h)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	var last, day db.CrawlSample
	var hours int
	err := store.InTx(ctx, func(_ pgx.Tx, st *db.Store) error {
		var err error
		last, day, hours, _, err = st.SampleCrawlHealth(ctx, hour)
		return err
	})
	if err != nil || hours != 5 || day.Crawled != 500 || day.Failed != 150 || last.Crawled != 0 {
		t.Fatalf("sample %+v, day %+v over %d hours, %v", last, day, hours, err)
	}
}
