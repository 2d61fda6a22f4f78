package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"hark"
	"hark/db"
	"hark/db/dbtest"
	podhttp "hark/http"
	"hark/jobs"
	"hark/search"
	"hark/search/searchtest"
)

const testBaseURL = "https://hark.test"

// testBundle is a server on a real Postgres schema and a real Typesense index of the test's own,
// with the jobs service enqueuing into the schema's River tables. No River worker runs, so the
// jobs a request enqueued stay for the test to see, and nothing crawls the made-up feed URLs.
type testBundle struct {
	pool   *pgxpool.Pool
	store  *db.Store
	index  *search.Index
	river  *river.Client[pgx.Tx] // inserts jobs only
	srv    *podhttp.Server
	logger *slog.Logger
	opts   setupOpts
	key    string // an API key without quota
}

type setupOpts struct {
	requireKey bool
	config     func(*podhttp.Config) // changes the server's Config
	limits     jobs.SubmitLimits     // caps the submissions
}

func setup(t *testing.T, opts setupOpts) *testBundle {
	t.Helper()
	pool := dbtest.NewSchema(t)
	store := db.New(pool)
	key, _, err := store.CreateAPIKey(context.Background(), "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	client, err := jobs.NewClient(pool, jobs.Config{Store: store, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	b := &testBundle{pool: pool, store: store, index: newTestIndex(t), river: client, logger: logger, opts: opts, key: key}
	b.srv = b.newServer()
	return b
}

var prefixSeq atomic.Int64

// newTestIndex returns a search index on the Typesense server of the environment, with a prefix
// of its own. It has no collections until reindex builds them; whatever it has is dropped when
// the test ends. See searchtest.Env for the server.
func newTestIndex(t *testing.T) *search.Index {
	t.Helper()
	url, key := searchtest.Env(t)
	ix := newIndexAt(t, url, key)
	t.Cleanup(func() {
		if err := searchtest.DropAll(context.Background(), ix); err != nil {
			t.Errorf("drop the test's search collections: %v", err)
		}
	})
	return ix
}

// newIndexAt returns a search index on the Typesense node at url, with a prefix of its own. It
// does not contact the node.
func newIndexAt(t *testing.T, url, key string) *search.Index {
	t.Helper()
	ix, err := search.New(search.Config{
		Nodes: []string{url}, APIKey: key,
		Prefix: fmt.Sprintf("h%d_%d_", time.Now().UnixNano(), prefixSeq.Add(1)),
		// Generous: tests run in parallel on small CI machines. downIndex keeps the default.
		QueryTimeout: 10 * time.Second,
	}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// downIndex returns a search index whose only node is a loopback port where nothing listens, as
// when Typesense is down, with the default query timeout.
func downIndex(t *testing.T) (ix *search.Index, addr string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr = ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = search.New(search.Config{Nodes: []string{"http://" + addr}, APIKey: "key"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return ix, addr
}

// withIndex returns the bundle with a server that searches ix instead: the same store, jobs
// service and API key.
func (b *testBundle) withIndex(ix *search.Index) *testBundle {
	c := *b
	c.index = ix
	c.srv = c.newServer()
	return &c
}

func (b *testBundle) newServer() *podhttp.Server {
	cfg := podhttp.Config{
		BaseURL:       testBaseURL + "/",
		RequireAPIKey: b.opts.requireKey,
		Registry:      prometheus.NewRegistry(),
	}
	if b.opts.config != nil {
		b.opts.config(&cfg)
	}
	service := jobs.NewService(b.store, b.river)
	service.Limits = b.opts.limits
	return podhttp.NewServer(cfg, b.store, b.index, service, b.logger)
}

// reindex builds the index's collections from what the test stored in Postgres, with the
// rebuild that `hark search reindex` runs. (In production the crawl also enqueues index jobs
// with its writes; no worker runs them here.) Typesense imports are synchronous: what it copied
// is searchable when it returns. Tests that search call it after storing their podcasts.
func (b *testBundle) reindex(t *testing.T) {
	t.Helper()
	if _, err := jobs.Reindex(context.Background(), b.store, b.index, b.river, b.logger, jobs.ReindexOpts{}); err != nil {
		t.Fatalf("reindex: %v", err)
	}
}

// takeCrawls returns the podcast IDs of the crawls enqueued since the last call, oldest first,
// and deletes those jobs: a podcast's crawl is unique while it waits, so a later request could
// otherwise not enqueue another. It checks that they went to a crawl queue: submissions have
// their own.
func (b *testBundle) takeCrawls(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	res, err := b.river.JobList(ctx, river.NewJobListParams().Kinds(jobs.CrawlFeedArgs{}.Kind()))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, j := range res.Jobs {
		var args jobs.CrawlFeedArgs
		if err := json.Unmarshal(j.EncodedArgs, &args); err != nil {
			t.Fatal(err)
		}
		if j.Queue != jobs.QueueCrawl && j.Queue != jobs.QueueSubmissions {
			t.Errorf("crawl of %s enqueued on queue %q, want %q or %q", args.PodcastID, j.Queue, jobs.QueueCrawl, jobs.QueueSubmissions)
		}
		ids = append(ids, args.PodcastID)
		if _, err := b.river.JobDelete(ctx, j.ID); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// do sends a request to the server. API requests carry the bundle's key.
func (b *testBundle) do(t *testing.T, method, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if strings.HasPrefix(target, "/api/") {
		req.Header.Set("X-ListenAPI-Key", b.key)
	}
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	return rec
}

// postForm posts form to target as a browser that loaded formPage first: with the CSRF cookie
// and token that page gave it.
func (b *testBundle) postForm(t *testing.T, formPage, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	return b.newBrowser(t, formPage, "").post(t, target, form)
}

// browser is a client that loaded a form page: it has the page's CSRF cookie and token.
type browser struct {
	b       *testBundle
	addr    string // RemoteAddr; "" keeps httptest's
	token   string
	cookies []*http.Cookie
}

func (b *testBundle) newBrowser(t *testing.T, formPage, addr string) *browser {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, formPage, nil)
	if addr != "" {
		req.RemoteAddr = addr
	}
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	doc := parsePage(t, rec, http.StatusOK)
	token, _ := doc.Find(`input[name="csrf_token"]`).Attr("value")
	return &browser{b: b, addr: addr, token: token, cookies: rec.Result().Cookies()}
}

// post sends form with the browser's token and cookie.
func (br *browser) post(t *testing.T, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	form.Set("csrf_token", br.token)
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if br.addr != "" {
		req.RemoteAddr = br.addr
	}
	for _, c := range br.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	br.b.srv.ServeHTTP(rec, req)
	return rec
}

func (b *testBundle) get(t *testing.T, target string) *httptest.ResponseRecorder {
	t.Helper()
	return b.do(t, http.MethodGet, target, nil)
}

// getJSON GETs target, checks the status and decodes the JSON body.
func (b *testBundle) getJSON(t *testing.T, target string, wantStatus int) map[string]any {
	t.Helper()
	return decodeJSON(t, b.get(t, target), wantStatus)
}

func decodeJSON(t *testing.T, rec *httptest.ResponseRecorder, wantStatus int) map[string]any {
	t.Helper()
	if rec.Code != wantStatus {
		t.Fatalf("status = %d, want %d; body: %s", rec.Code, wantStatus, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q, want JSON", ct)
	}
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, rec.Body)
	}
	return m
}

// getPage GETs an HTML page, checks the status and parses it.
func (b *testBundle) getPage(t *testing.T, target string, wantStatus int) *goquery.Document {
	t.Helper()
	return parsePage(t, b.get(t, target), wantStatus)
}

func parsePage(t *testing.T, rec *httptest.ResponseRecorder, wantStatus int) *goquery.Document {
	t.Helper()
	if rec.Code != wantStatus {
		t.Fatalf("status = %d, want %d; body: %s", rec.Code, wantStatus, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("Content-Type = %q, want HTML", ct)
	}
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// apiError checks an API error answer: status, JSON shape, and a message containing want.
func apiError(t *testing.T, rec *httptest.ResponseRecorder, status int, want string) {
	t.Helper()
	m := decodeJSON(t, rec, status)
	e, ok := m["error"].(map[string]any)
	if !ok {
		t.Fatalf("error body = %s, want {\"error\": {...}}", rec.Body)
	}
	if code, _ := e["code"].(float64); int(code) != status {
		t.Errorf("error.code = %v, want %d", e["code"], status)
	}
	msg, _ := e["message"].(string)
	if !strings.Contains(msg, want) {
		t.Errorf("error.message = %q, want it to contain %q", msg, want)
	}
}

// show is a podcast and its episodes as the tests store them.
type show struct {
	podcast  hark.Podcast
	episodes []hark.Episode // newest first
}

var day = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// hostileNotes is feed HTML that must never reach a page unsanitized.
const hostileNotes = `<p onclick="steal()">Great <b>jazz</b> talk.</p><script>alert(1)</script>` +
	`<a href="javascript:alert(2)">click</a><img src="https://img.example/x.png" onerror="alert(3)">`

// addJazzShow stores a podcast with three episodes through the crawl path (CreatePodcast, then
// SaveCrawl inside a transaction holding LockPodcast).
func addJazzShow(t *testing.T, store *db.Store) show {
	t.Helper()
	return addShow(t, store, "https://feeds.example.com/jazz.xml", &hark.Feed{
		Podcast: hark.Podcast{
			Title: "The Jazz Hour", Publisher: "Ann Example", Description: hostileNotes,
			ImageURL: "https://img.example/jazz.jpg", WebsiteURL: "https://jazz.example",
			Language: "en-US", Categories: []string{"Music", "Music > Music History"}, GenreIDs: []int{1310},
			OwnerEmail: "ann@example.com",
		},
		Episodes: []hark.Episode{
			{GUID: "1", Title: "Jazz in New Orleans", Description: "<p>Where <em>jazz</em> began.</p>",
				AudioURL: "https://audio.example/1.mp3", AudioLengthSec: 1800, PublishedAt: day},
			{GUID: "2", Title: "Bebop", Description: hostileNotes, AudioURL: "https://audio.example/2.mp3",
				AudioLengthSec: 3725, PublishedAt: day.AddDate(0, 0, 7), Explicit: true, Link: "https://jazz.example/2"},
			{GUID: "3", Title: "Cool jazz & modal", Description: "Plain text notes.\n\nSecond paragraph.",
				AudioURL: "https://audio.example/3.mp3", AudioLengthSec: 2400, PublishedAt: day.AddDate(0, 0, 14),
				ImageURL: "https://img.example/ep3.jpg"},
		},
	})
}

func addShow(t *testing.T, store *db.Store, feedURL string, f *hark.Feed) show {
	t.Helper()
	ctx := context.Background()
	p, _, err := store.CreatePodcast(ctx, feedURL, strings.TrimPrefix(feedURL, "https://"), "")
	if err != nil {
		t.Fatal(err)
	}
	crawl := hark.CrawlState{LastCrawledAt: day.AddDate(0, 0, 15), LastHTTPStatus: 200, NextCrawlAt: day.AddDate(0, 0, 16)}
	err = store.InTx(ctx, func(tx pgx.Tx, st *db.Store) error {
		if _, err := st.LockPodcast(ctx, p.ID); err != nil {
			return err
		}
		_, err := st.SaveCrawl(ctx, p.ID, f, crawl, db.Fingerprint{})
		return err
	})
	if err != nil {
		t.Fatalf("save crawl: %v", err)
	}
	if p, err = store.FindPodcastByID(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	eps, err := store.FindEpisodes(ctx, db.EpisodeFilter{PodcastID: p.ID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return show{podcast: p, episodes: eps}
}
