package http_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"hark/db"
	podhttp "hark/http"
	"hark/jobs"
)

// loopback is the address of an operator's browser: with no operator account, the operator
// views answer loopback clients.
const loopback = "127.0.0.1:40000"

// errorsBundle is a test server whose panics and 5xx answers reach a running error recorder,
// which enqueues its chat notices (no worker sends them: the test reads them from river_job).
type errorsBundle struct {
	*testBundle
	recorder *jobs.ErrorRecorder
}

func setupErrors(t *testing.T) *errorsBundle {
	t.Helper()
	b := setup(t, setupOpts{})
	rec := jobs.NewErrorRecorder(b.store, b.logger)
	ops := jobs.NewOps(b.river, jobs.OpsConfig{WebhookURL: "http://127.0.0.1:9/chat", BaseURL: testBaseURL})
	b.opts.config = func(c *podhttp.Config) { c.Errors, c.Ops = rec, ops }
	b.srv = b.newServer()
	b.srv.Mount("/boom-a", http.HandlerFunc(panicA))
	b.srv.Mount("/boom-b", http.HandlerFunc(panicB))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { rec.Run(ctx, ops); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return &errorsBundle{testBundle: b, recorder: rec}
}

func panicA(http.ResponseWriter, *http.Request) { panic("boom a") }

func panicB(w http.ResponseWriter, r *http.Request) {
	var m map[string]int
	m[r.URL.Path]++ // a nil map: a runtime panic in another function
}

// request sends method target from the loopback operator's address.
func (b *errorsBundle) request(t *testing.T, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	req.RemoteAddr = loopback
	req.Header.Set("X-ListenAPI-Key", b.key)
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	return rec
}

// waitEvents waits until the recorder has written n error events in all.
func (b *errorsBundle) waitEvents(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var got int
		if err := b.pool.QueryRow(context.Background(), `SELECT count(*) FROM error_events`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got == n {
			return
		}
		if got > n || time.Now().After(deadline) {
			t.Fatalf("%d error events recorded, want %d", got, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// notices returns the bodies of the errorGroup chat posts enqueued, oldest first.
func (b *errorsBundle) notices(t *testing.T) []string {
	t.Helper()
	rows, err := b.pool.Query(context.Background(), `SELECT args->>'body' FROM river_job
		WHERE kind = 'deliver_webhook' AND args->>'event' = $1 ORDER BY id`, jobs.EventErrorGroup)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var bodies []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, s)
	}
	return bodies
}

func (b *errorsBundle) groups(t *testing.T) []db.ErrorGroup {
	t.Helper()
	gs, err := b.store.FindErrorGroups(context.Background(), db.ErrorGroupFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return gs
}

// TestHandlerPanicsRecorded: every panic is an event, the panics of one place are one group and
// of another place another, the chat hears of a group once an hour however often it happens,
// and the request context holds neither the API key nor query values.
func TestHandlerPanicsRecorded(t *testing.T) {
	t.Parallel()
	b := setupErrors(t)
	for range 3 {
		if rec := b.request(t, http.MethodGet, "/boom-a?q=secret+words"); rec.Code != http.StatusInternalServerError {
			t.Fatalf("panicking handler answered %d", rec.Code)
		}
	}
	b.request(t, http.MethodGet, "/boom-b")
	b.waitEvents(t, 4)
	gs := b.groups(t)
	if len(gs) != 2 {
		t.Fatalf("%d groups, want 2: %+v", len(gs), gs)
	}
	counts := map[string]int64{}
	for _, g := range gs {
		counts[g.Message] = g.Count
	}
	if counts["panic: boom a"] != 3 || counts["panic: assignment to entry in nil map"] != 1 {
		t.Errorf("group counts %v", counts)
	}
	if n := len(b.notices(t)); n != 2 {
		t.Fatalf("%d notices, want one per group", n)
	}

	var ctxJSON, stack, release string
	if err := b.pool.QueryRow(context.Background(), `SELECT context::text, stack, release FROM error_events
		ORDER BY id LIMIT 1`).Scan(&ctxJSON, &stack, &release); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(ctxJSON, b.key) || strings.Contains(ctxJSON, "secret") || !strings.Contains(ctxJSON, `"query_params": ["q"]`) ||
		!strings.Contains(ctxJSON, `"request_id"`) || !strings.Contains(ctxJSON, `"path": "/boom-a"`) {
		t.Errorf("request context %s", ctxJSON)
	}
	if !strings.Contains(stack, "http_test.panicA") || release == "" {
		t.Errorf("event stack %q, release %q", stack, release)
	}

	// An hour on, the same panic is told again, once.
	b.anHourLater(t)
	b.request(t, http.MethodGet, "/boom-a")
	b.request(t, http.MethodGet, "/boom-a")
	b.waitEvents(t, 6)
	notices := b.notices(t)
	if len(notices) != 3 || !strings.Contains(notices[2], "Error still happening") || !strings.Contains(notices[2], "4 times") {
		t.Errorf("notices after an hour: %q", notices)
	}
}

// TestServerErrorRecorded: an error a handler returns that becomes a 500 is recorded with its
// route; the answer does not wait for it.
func TestServerErrorRecorded(t *testing.T) {
	t.Parallel()
	b := setupErrors(t)
	if _, err := b.pool.Exec(context.Background(), `ALTER TABLE curated_lists RENAME TO curated_lists_gone`); err != nil {
		t.Fatal(err)
	}
	if rec := b.request(t, http.MethodGet, "/api/v2/curated_podcasts"); rec.Code != http.StatusInternalServerError {
		t.Fatalf("answered %d, want 500", rec.Code)
	}
	b.waitEvents(t, 1)
	gs := b.groups(t)
	if len(gs) != 1 || gs[0].Kind != "http_5xx" || !strings.Contains(gs[0].Message, "curated_lists") {
		t.Fatalf("groups %+v", gs)
	}
}

// TestErrorsPage: the page lists the groups; resolving takes the form's CSRF token; a resolved
// group that happens again is back, open, and told of as back once the hour is over.
func TestErrorsPage(t *testing.T) {
	t.Parallel()
	b := setupErrors(t)
	b.request(t, http.MethodGet, "/boom-a")
	b.waitEvents(t, 1)
	g := b.groups(t)[0]
	id := strconv.FormatInt(g.ID, 10)

	if rec := b.request(t, http.MethodGet, "/admin/errors"); rec.Code != http.StatusOK {
		t.Fatalf("errors page: %d", rec.Code)
	} else if doc := parsePage(t, rec, http.StatusOK); doc.Find(`tr[data-id="`+id+`"] .count`).Text() != "1" {
		t.Errorf("list row: %q", doc.Find(`tr[data-id="`+id+`"]`).Text())
	}
	req := httptest.NewRequest(http.MethodGet, "/admin/errors", nil) // from elsewhere, no password set
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Errorf("errors page from a remote address: %d, want 403", rec.Code)
	}
	detail := parsePage(t, b.request(t, http.MethodGet, "/admin/errors/"+id), http.StatusOK)
	if !strings.Contains(detail.Find(".stack").Text(), "panicA") || detail.Find(".status").Text() != "open" {
		t.Errorf("detail page: status %q, stack %q", detail.Find(".status").Text(), detail.Find(".stack").Text())
	}

	form := url.Values{"status": {"resolved"}}
	br := b.newBrowser(t, "/admin/errors/"+id, loopback)
	stale := &browser{b: b.testBundle, addr: loopback, token: "not-the-token", cookies: br.cookies}
	if rec := stale.post(t, "/admin/errors/"+id+"/status", form); rec.Code != http.StatusForbidden {
		t.Fatalf("resolve without the CSRF token: %d, want 403", rec.Code)
	}
	if rec := br.post(t, "/admin/errors/"+id+"/status", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("resolve: %d %s", rec.Code, rec.Body)
	}
	if g := b.groups(t)[0]; g.Status != db.ErrorResolved {
		t.Fatalf("status %q after resolving", g.Status)
	}

	// Back within the hour of the last notice: reopened, not told again yet.
	b.request(t, http.MethodGet, "/boom-a")
	b.waitEvents(t, 2)
	if g := b.groups(t)[0]; g.Status != db.ErrorOpen || g.ReopenedAt == nil {
		t.Fatalf("after it happened again: %+v", g)
	}
	if n := len(b.notices(t)); n != 1 {
		t.Fatalf("%d notices, want 1 within the hour", n)
	}
	// Resolved again, and back after the hour: told as back.
	b.setStatusAndRecurAfterAnHour(t, br, id, db.ErrorResolved, 3)
	if notices := b.notices(t); len(notices) != 2 || !strings.Contains(notices[1], "Error back") {
		t.Errorf("notices: %q", notices)
	}
	list := parsePage(t, b.request(t, http.MethodGet, "/admin/errors?status=open"), http.StatusOK)
	if st := list.Find(`tr[data-id="` + id + `"] .status`).Text(); st != "open (back)" {
		t.Errorf("list status %q", st)
	}
	// Ignored groups are never told of.
	b.setStatusAndRecurAfterAnHour(t, br, id, db.ErrorIgnored, 4)
	if n := len(b.notices(t)); n != 2 {
		t.Errorf("%d notices after an ignored group happened, want still 2", n)
	}
}

// anHourLater moves the groups' last notices an hour and a minute back, as if that time passed.
func (b *errorsBundle) anHourLater(t *testing.T) {
	t.Helper()
	if _, err := b.pool.Exec(context.Background(), `UPDATE error_groups SET last_notified_at = last_notified_at - interval '61 minutes'`); err != nil {
		t.Fatal(err)
	}
}

// setStatusAndRecurAfterAnHour sets the group's status through its form, lets an hour pass and
// has panicA happen again, waiting for the events to reach events.
func (b *errorsBundle) setStatusAndRecurAfterAnHour(t *testing.T, br *browser, id, status string, events int) {
	t.Helper()
	if rec := br.post(t, "/admin/errors/"+id+"/status", url.Values{"status": {status}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("set status %s: %d", status, rec.Code)
	}
	b.anHourLater(t)
	b.request(t, http.MethodGet, "/boom-a")
	b.waitEvents(t, events)
}
