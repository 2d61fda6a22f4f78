//go:build faults

package faults

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"hark/db/dbtest"
	"hark/demo"
	"hark/search"
	"hark/search/searchtest"
)

// recoveryTarget is the longest a case may take, once its fault is cleared, to be exact again.
const recoveryTarget = 3 * time.Minute

// rig is what a case runs against: a Postgres schema, a Typesense and a feed host of its own.
type rig struct {
	t       *testing.T
	dbURL   string
	pool    *pgxpool.Pool
	ts      *searchtest.Server
	ix      *search.Index
	feeds   *feedHost
	harkEnv []string
}

// newRig sets up a case on a new schema of the shared Postgres.
func newRig(t *testing.T, shows int) *rig {
	t.Helper()
	pool, dbURL := dbtest.NewSchemaURL(t)
	return newRigOn(t, pool, dbURL, shows)
}

// newRigOn sets up a case on the database at dbURL, already migrated.
func newRigOn(t *testing.T, pool *pgxpool.Pool, dbURL string, shows int) *rig {
	t.Helper()
	ts := searchtest.Start(t)
	r := newRigNodes(t, pool, dbURL, shows, []string{ts.URL()}, ts.APIKey)
	r.ts = ts
	return r
}

// newRigNodes sets up a case on the database at dbURL and the Typesense nodes at urls, which
// share apiKey (a cluster). Its ts is nil: the case owns the nodes.
func newRigNodes(t *testing.T, pool *pgxpool.Pool, dbURL string, shows int, urls []string, apiKey string) *rig {
	t.Helper()
	r := &rig{t: t, dbURL: dbURL, pool: pool, feeds: newFeedHost(t, shows)}
	var err error
	r.ix, err = search.New(search.Config{Nodes: urls, APIKey: apiKey}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	r.harkEnv = []string{
		"DATABASE_URL=" + dbURL, "TYPESENSE_URL=" + strings.Join(urls, ","), "TYPESENSE_API_KEY=" + apiKey,
		"TYPESENSE_PREFIX=", "API_REQUIRE_KEY=false", "CRAWL_ALLOW_LOOPBACK=true", "CRAWL_PER_HOST=32",
		"CRAWL_SCHEDULE_INTERVAL=5s", "RECONCILE_INTERVAL=1m", "LOG_LEVEL=info",
		// The cases submit their 46 feeds from one loopback address and keep a batch of first
		// crawls in flight when the fault lands: abuse limits off, and as many submission
		// workers as crawl workers.
		"SUBMIT_DAILY_PER_ADDR=0", "SUBMIT_DAILY_PER_KEY=0", "SUBMIT_QUEUE_MAX=0",
		"RATE_ADDR_PER_SECOND=0", "RATE_KEY_PER_SECOND=0", "SUBMIT_CRAWL_WORKERS=32",
	}
	return r
}

// hark is one `hark serve` process of a case.
type hark struct {
	*proc
	addr string // web address, "" for a worker-only process
}

// serve starts `hark serve` with args (-web=false, -workers=false) and, when it serves the web,
// waits until it answers.
func (r *rig) serve(args ...string) *hark {
	r.t.Helper()
	port := freePort(r.t)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	env := append(append([]string{}, r.harkEnv...), "HTTP_ADDR="+addr, "BASE_URL=http://"+addr)
	h := &hark{proc: start(r.t, harkBin, env, append([]string{"serve"}, args...)...)}
	if !strings.Contains(strings.Join(args, " "), "-web=false") {
		h.addr = addr
		waitHTTP(r.t, "http://"+addr+"/healthz", time.Minute)
	}
	return h
}

// submit adds every feed of the host through the API of h.
func (r *rig) submit(h *hark) { r.submitWithKey(h, "") }

// submitWithKey is submit with an API key.
func (r *rig) submitWithKey(h *hark, key string) {
	r.t.Helper()
	for _, u := range r.feeds.cat.FeedURLs() {
		req, _ := http.NewRequest(http.MethodPost, "http://"+h.addr+"/api/v2/podcasts/submit", strings.NewReader(url.Values{"rss": {u}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if key != "" {
			req.Header.Set("X-ListenAPI-Key", key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			r.t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			r.t.Fatalf("submit %s: %s %s", u, resp.Status, body)
		}
	}
}

// waitExact polls until the case is exact and returns how long that took since cleared. The
// test fails when it takes longer than limit.
func (r *rig) waitExact(cleared time.Time, limit time.Duration) time.Duration {
	r.t.Helper()
	var last string
	for {
		ok, summary := r.exact(context.Background())
		if ok {
			took := time.Since(cleared).Round(100 * time.Millisecond)
			r.t.Logf("RECOVERY %s: exact %s after the fault was cleared (%s)", r.t.Name(), took, summary)
			return took
		}
		if summary != last {
			r.t.Logf("%s: %s", time.Since(cleared).Round(time.Second), summary)
			last = summary
		}
		if time.Since(cleared) > limit {
			r.t.Fatalf("not exact %s after the fault was cleared (target %s): %s", limit, recoveryTarget, summary)
		}
		time.Sleep(time.Second)
	}
}

// exact compares Postgres with the feeds and the index with Postgres.
func (r *rig) exact(ctx context.Context) (bool, string) {
	rows, err := r.pool.Query(ctx, `
		SELECT p.id, p.feed_url, count(e.id) FILTER (WHERE NOT e.gone), count(e.id) - count(DISTINCT e.guid)
		FROM podcasts p LEFT JOIN episodes e ON e.podcast_id = p.id GROUP BY p.id`)
	if err != nil {
		return false, "postgres: " + err.Error()
	}
	live := map[string]int{}
	byURL := map[string]int{}
	var ids []string
	dupes, total := 0, 0
	for rows.Next() {
		var id, feedURL string
		var n, d int
		if err := rows.Scan(&id, &feedURL, &n, &d); err != nil {
			return false, "postgres: " + err.Error()
		}
		ids, live[id], byURL[feedURL] = append(ids, id), n, n
		dupes, total = dupes+d, total+n
	}
	if err := rows.Err(); err != nil {
		return false, "postgres: " + err.Error()
	}
	short := 0
	for i, u := range r.feeds.cat.FeedURLs() {
		if byURL[u] != r.feeds.cat.Shows()[i].Episodes {
			short++
		}
	}
	drift, err := r.drift(ctx, ids, live, total)
	if err != nil {
		return false, fmt.Sprintf("%d feeds not stored exactly, %d duplicated episodes, index: %v", short, dupes, err)
	}
	summary := fmt.Sprintf("%d podcasts, %d episodes; %d feeds not stored exactly, %d duplicated episodes, index drift %d",
		len(ids), total, short, dupes, drift)
	return short == 0 && dupes == 0 && drift == 0 && len(ids) == len(byURL), summary
}

// drift counts the podcasts whose episode documents differ in number from their live episodes,
// plus one for stray documents of podcasts Postgres does not have.
func (r *rig) drift(ctx context.Context, ids []string, live map[string]int, total int) (int, error) {
	stats, err := r.ix.PodcastEpisodeStats(ctx, ids)
	if err != nil {
		return 0, err
	}
	totals, err := r.ix.Totals(ctx)
	if err != nil {
		return 0, err
	}
	drift := 0
	for id, n := range live {
		if stats[id].Count != n {
			drift++
		}
	}
	if totals.Episodes != total || totals.Podcasts != len(ids) {
		drift++
	}
	return drift, nil
}

// feedHost serves a demo catalogue slowly, as a busy podcast host, so a fault lands while
// crawls wait on it.
type feedHost struct {
	cat      *demo.Catalogue
	delay    atomic.Int64 // before each feed's answer, in nanoseconds
	inFlight atomic.Int64
	served   atomic.Int64
}

func newFeedHost(t *testing.T, shows int) *feedHost {
	h := &feedHost{cat: demo.New(demo.Config{Seed: 21, Shows: shows, MaxEpisodes: 80})}
	inner := h.cat.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if strings.HasPrefix(req.URL.Path, "/feeds/") {
			h.inFlight.Add(1)
			defer h.inFlight.Add(-1)
			select {
			case <-time.After(time.Duration(h.delay.Load())):
			case <-req.Context().Done():
				return
			}
			defer h.served.Add(1)
		}
		inner.ServeHTTP(w, req)
	}))
	t.Cleanup(srv.Close)
	h.cat.SetBaseURL(srv.URL)
	return h
}

// waitInFlight waits until at least n feed requests are waiting on the host.
func (h *feedHost) waitInFlight(t *testing.T, n int64) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for h.inFlight.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d feed requests in flight after a minute, want %d", h.inFlight.Load(), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
