package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"hark"
	"hark/db"
	"hark/jobs"
)

const operatorPassword = "correct horse battery"

// signIn makes the operator name in b's store and signs in through the form, returning the
// session cookie.
func signIn(t *testing.T, b *testBundle, name string) *http.Cookie {
	t.Helper()
	if _, err := b.store.CreateOperator(context.Background(), name, operatorPassword); err != nil {
		t.Fatal(err)
	}
	rec := b.newBrowser(t, "/admin/login", "").post(t, "/admin/login", url.Values{"name": {name}, "password": {operatorPassword}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("sign-in: status %d, want 303; body %s", rec.Code, rec.Body)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == "hark_operator" && c.Value != "" {
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie %+v: want HttpOnly and SameSite=Lax", c)
			}
			return c
		}
	}
	t.Fatalf("sign-in set no session cookie: %v", rec.Result().Cookies())
	return nil
}

// operatorBrowser is a signed-in browser that loaded page: it has the session and CSRF cookies.
func operatorBrowser(t *testing.T, b *testBundle, session *http.Cookie, page string) *browser {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, page, nil)
	req.AddCookie(session)
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	doc := parsePage(t, rec, http.StatusOK)
	token, _ := doc.Find(`input[name="csrf_token"]`).Attr("value")
	return &browser{b: b, token: token, cookies: append(rec.Result().Cookies(), session)}
}

// getAs GETs target with the session cookie.
func getAs(b *testBundle, session *http.Cookie, target string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	if session != nil {
		req.AddCookie(session)
	}
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	return rec
}

// TestAdminFormsRefuseWithoutCSRF posts every operator form, signed in, without the token.
func TestAdminFormsRefuseWithoutCSRF(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	session := signIn(t, b, "ada")
	show := addJazzShow(t, b.store)
	for _, target := range []string{
		"/admin/login", "/admin/logout", "/admin/podcasts/" + show.podcast.ID + "/recrawl",
		"/admin/deletions/1/approve", "/admin/deletions/1/reject", "/admin/keys/1/plan", "/admin/keys/1/revoke",
	} {
		br := operatorBrowser(t, b, session, "/admin")
		br.token = "forged-token-of-enough-length"
		rec := br.post(t, target, url.Values{"plan": {"pro"}})
		if rec.Code != http.StatusForbidden {
			t.Errorf("POST %s without the CSRF token: %d, want 403", target, rec.Code)
		}
	}
	if n := countJobs(t, b, "crawl_feed"); n != 0 {
		t.Errorf("a refused re-crawl enqueued %d crawls", n)
	}
	if keys, _ := b.store.ListAPIKeys(context.Background()); !keys[0].RevokedAt.IsZero() || keys[0].Plan != "enterprise" {
		t.Errorf("a refused form changed the key: %+v", keys[0])
	}
}

func countJobs(t *testing.T, b *testBundle, kind string) int {
	t.Helper()
	var n int
	if err := b.pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = $1`, kind).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAdminPagesRender(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	ctx := context.Background()
	session := signIn(t, b, "ada")
	show := addJazzShow(t, b.store)
	failing := addShow(t, b.store, "https://feeds.example.com/broken.xml", &hark.Feed{Podcast: hark.Podcast{Title: "Broken Show"}})
	if err := b.store.SaveCrawlState(ctx, failing.podcast.ID, hark.CrawlState{LastCrawledAt: time.Now(), LastHTTPStatus: 500,
		LastError: "the host answered 500", ConsecutiveFailures: 3, NextCrawlAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.store.RequestPodcastDeletion(ctx, db.DeletionAsk{PodcastID: show.podcast.ID, Reason: "I am the owner"}); err != nil {
		t.Fatal(err)
	}
	tally := db.NewTally(b.store, b.logger)
	tally.Add(db.MetricCrawls, "failed", 4)
	tally.Add(db.MetricCrawls, "unchanged", 40)
	tally.Add(db.MetricEpisodesAdded, "", 12)
	tally.Add(db.MetricAPIRequests, "free 2xx", 90)
	tally.Add(db.MetricSearchLatency, "25", 9)
	if err := tally.Flush(ctx); err != nil {
		t.Fatal(err)
	}

	doc := parsePage(t, getAs(b, session, "/admin"), http.StatusOK)
	if n := doc.Find("svg.chart rect").Length(); n == 0 {
		t.Errorf("the overview draws no bars")
	}
	for _, want := range []string{"failing feeds", "deletions to decide", "Crawls by outcome", "Search latency", "Sign-ups"} {
		if !strings.Contains(doc.Text(), want) {
			t.Errorf("overview lacks %q", want)
		}
	}
	if got := doc.Find(`.row svg title`).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Text(), "failed: 4")
	}).Length(); got == 0 {
		t.Errorf("no bar says the 4 failed crawls")
	}

	doc = parsePage(t, getAs(b, session, "/admin/crawl"), http.StatusOK)
	if row := doc.Find("table.list tr:contains('Broken Show')"); row.Length() != 1 || !strings.Contains(row.Text(), "the host answered 500") {
		t.Errorf("crawl health does not list the failing feed with its error: %q", doc.Find("table.list").Text())
	}
	doc = parsePage(t, getAs(b, session, "/admin/moderation"), http.StatusOK)
	if !strings.Contains(doc.Text(), "I am the owner") || doc.Find(`form[action$="/approve"]`).Length() != 1 {
		t.Errorf("moderation does not show the request to approve")
	}
	doc = parsePage(t, getAs(b, session, "/admin/keys"), http.StatusOK)
	if doc.Find(`form[action$="/revoke"]`).Length() != 1 {
		t.Errorf("keys page: want one revoke form")
	}

	// The plan change and the revocation take.
	br := operatorBrowser(t, b, session, "/admin/keys")
	keys, _ := b.store.ListAPIKeys(ctx)
	id := keys[0].ID
	if rec := br.post(t, "/admin/keys/"+itoa(id)+"/plan", url.Values{"plan": {"pro"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("plan change: %d %s", rec.Code, rec.Body)
	}
	if rec := br.post(t, "/admin/keys/"+itoa(id)+"/revoke", url.Values{}); rec.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
	}
	keys, _ = b.store.ListAPIKeys(ctx)
	if keys[0].Plan != "pro" || keys[0].RevokedAt.IsZero() {
		t.Errorf("key after the forms: plan %s, revoked %v", keys[0].Plan, keys[0].RevokedAt)
	}
}

func TestAdminRecrawl(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	session := signIn(t, b, "ada")
	show := addJazzShow(t, b.store)
	rec := operatorBrowser(t, b, session, "/admin/crawl").post(t, "/admin/podcasts/"+show.podcast.ID+"/recrawl", url.Values{"back": {"/admin/crawl"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/crawl?done=recrawl" {
		t.Fatalf("re-crawl: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	var args string
	if err := b.pool.QueryRow(context.Background(), `SELECT args::text FROM river_job WHERE kind = 'crawl_feed'`).Scan(&args); err != nil {
		t.Fatalf("no crawl_feed job: %v", err)
	}
	if !strings.Contains(args, show.podcast.ID) {
		t.Errorf("crawl job args %s, want the podcast", args)
	}
}

// TestAdminApproveDeletion asks for a deletion through the API with a webhook, approves it and
// runs the jobs it enqueued: the podcast leaves Postgres and the index, and podcastDeleted is
// queued for the requester.
func TestAdminApproveDeletion(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	ctx := context.Background()
	session := signIn(t, b, "ada")
	show := addJazzShow(t, b.store)
	b.reindex(t)
	if docs, err := b.index.PodcastDocs(ctx, []string{show.podcast.ID}); err != nil || len(docs) != 1 {
		t.Fatalf("before: index has %v (%v)", docs, err)
	}
	ans := decodeJSON(t, b.do(t, http.MethodDelete, "/api/v2/podcasts/"+show.podcast.ID+
		"?reason=mine&webhook_url="+url.QueryEscape("https://hooks.example/deleted"), nil), http.StatusOK)
	if ans["status"] != "in review" || ans["webhook_secret"] == "" {
		t.Fatalf("DELETE answered %v", ans)
	}
	reqs, _ := b.store.FindDeletionRequests(ctx, 0)
	rec := operatorBrowser(t, b, session, "/admin/moderation").post(t, "/admin/deletions/"+itoa(reqs[0].ID)+"/approve", url.Values{})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", rec.Code, rec.Body)
	}
	if _, err := b.store.FindPodcastByID(ctx, show.podcast.ID); err == nil {
		t.Errorf("the podcast is still in Postgres")
	}
	var body string
	if err := b.pool.QueryRow(ctx, `SELECT args->>'body' FROM river_job WHERE kind = 'deliver_webhook' AND args->>'event' = 'podcastDeleted'
		AND args->>'url' = 'https://hooks.example/deleted'`).Scan(&body); err != nil {
		t.Fatalf("no podcastDeleted webhook queued: %v", err)
	}
	var payload map[string]any
	if err := json.Unmarshal([]byte(body), &payload); err != nil || payload["id"] != show.podcast.ID || payload["title"] != "The Jazz Hour" {
		t.Errorf("podcastDeleted body %s", body)
	}
	workIndexJobs(t, b)
	if docs, err := b.index.PodcastDocs(ctx, []string{show.podcast.ID}); err != nil || len(docs) != 0 {
		t.Errorf("after: index still has %v (%v)", docs, err)
	}
	doc := parsePage(t, getAs(b, session, "/admin/moderation?done=deleted"), http.StatusOK)
	if !strings.Contains(doc.Find(".flash").Text(), "Deletion approved") || !strings.Contains(doc.Text(), "by ada") {
		t.Errorf("moderation page after approval: %q", doc.Find("main").Text())
	}
	// A decided request cannot be decided again.
	if rec := operatorBrowser(t, b, session, "/admin/moderation").post(t, "/admin/deletions/"+itoa(reqs[0].ID)+"/reject", url.Values{}); rec.Code != http.StatusNotFound {
		t.Errorf("rejecting a decided request: %d, want 404", rec.Code)
	}
}

// workIndexJobs runs a River client with Hark's workers on the bundle's schema until the queued
// index jobs are done.
func workIndexJobs(t *testing.T, b *testBundle) {
	t.Helper()
	client, err := jobs.NewClient(b.pool, jobs.Config{Store: b.store, Index: b.index, Logger: b.logger, Work: true})
	if err != nil {
		t.Fatal(err)
	}
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	ctx, stop := context.WithTimeout(context.Background(), time.Minute)
	defer stop()
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Stop(context.Background()) }()
	for {
		select {
		case ev := <-events:
			if ev.Job.Kind == (jobs.IndexPodcastArgs{}).Kind() {
				if ev.Job.State != rivertype.JobStateCompleted {
					t.Fatalf("index job %s", ev.Job.State)
				}
				return
			}
		case <-ctx.Done():
			t.Fatal("the index job did not run")
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
