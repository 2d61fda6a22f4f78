package http_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"hark"
	"hark/db"
	podhttp "hark/http"
)

// planBundle is a server with the plans given, requiring keys, with a key on each plan named.
func planBundle(t *testing.T, plans string, names ...string) (*testBundle, map[string]string) {
	t.Helper()
	ps, err := hark.ParsePlans(plans)
	if err != nil {
		t.Fatal(err)
	}
	b := setup(t, setupOpts{requireKey: true, config: func(c *podhttp.Config) { c.Plans = ps }})
	keys := map[string]string{}
	for _, name := range names {
		key, _, err := b.store.CreatePlanKey(context.Background(), db.NewAPIKey{Name: name, Plan: name})
		if err != nil {
			t.Fatal(err)
		}
		keys[name] = key
	}
	return b, keys
}

// call sends an API request with key.
func (b *testBundle) call(method, target, key string, form url.Values) *httptest.ResponseRecorder {
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	if key != "" {
		req.Header.Set("X-ListenAPI-Key", key)
	}
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	return rec
}

// usedBy returns the key's requests this month in Postgres.
func (b *testBundle) usedBy(t *testing.T, key string) int64 {
	t.Helper()
	_, used, err := b.store.FindAPIKey(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return used
}

func TestPlanPaidOperationsAndSearchDepth(t *testing.T) {
	t.Parallel()
	b, keys := planBundle(t, "free depth=30; pro depth=300 paid", "free", "pro")
	b.reindex(t)
	tests := []struct {
		name, plan, method, target string
		form                       url.Values
		status                     int
		want                       string
	}{
		{"batch episodes on free", "free", http.MethodPost, "/api/v2/episodes", url.Values{"ids": {"x"}}, 401, "paid plan"},
		{"batch podcasts on free", "free", http.MethodPost, "/api/v2/podcasts", url.Values{"ids": {"x"}}, 401, "paid plan"},
		{"spellcheck on free", "free", http.MethodGet, "/api/v2/spellcheck?q=jaz", nil, 401, "paid plan"},
		{"related searches on free", "free", http.MethodGet, "/api/v2/related_searches?q=jazz", nil, 401, "paid plan"},
		{"search past free depth", "free", http.MethodGet, "/api/v2/search?q=jazz&offset=30", nil, 400, "offset: the free plan"},
		{"search past pro depth", "pro", http.MethodGet, "/api/v2/search?q=jazz&offset=300", nil, 400, "offset: the pro plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := b.call(tt.method, tt.target, keys[tt.plan], tt.form)
			if rec.Header().Get("X-ListenAPI-Usage") == "" {
				t.Error("a refusal to a valid key has no X-ListenAPI-Usage")
			}
			apiError(t, rec, tt.status, tt.want)
		})
	}
	if n := b.usedBy(t, keys["free"]) + b.usedBy(t, keys["pro"]); n != 0 {
		t.Errorf("refused requests billed: %d requests counted, want 0", n)
	}
	allowed := []struct{ plan, method, target string }{
		{"free", http.MethodGet, "/api/v2/search?q=jazz&offset=20"},
		{"pro", http.MethodGet, "/api/v2/search?q=jazz&offset=290"},
		{"pro", http.MethodGet, "/api/v2/spellcheck?q=jaz"},
		{"pro", http.MethodGet, "/api/v2/related_searches?q=jazz"},
	}
	for _, a := range allowed {
		if rec := b.call(a.method, a.target, keys[a.plan], nil); rec.Code != http.StatusOK {
			t.Errorf("%s %s on %s: status %d, want 200; %s", a.method, a.target, a.plan, rec.Code, rec.Body)
		}
	}
	if rec := b.call(http.MethodPost, "/api/v2/episodes", keys["pro"], url.Values{"ids": {"x"}}); rec.Code == http.StatusUnauthorized {
		t.Errorf("POST /episodes on pro: 401 %s", rec.Body)
	}
	rows := b.getPage(t, "/docs/api", http.StatusOK).Find("table.plans tr td:first-child").
		Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if strings.Join(rows, ",") != "free,pro" {
		t.Errorf("the API page lists plans %v; want free and pro", rows)
	}
}

func TestPlanQuotaAndRate(t *testing.T) {
	t.Parallel()
	b, keys := planBundle(t, "free quota=3; slow rate=2", "free", "slow")
	for i := 1; i <= 5; i++ {
		rec := b.call(http.MethodGet, "/api/v2/genres", keys["free"], nil)
		if i <= 3 {
			decodeJSON(t, rec, http.StatusOK)
			continue
		}
		apiError(t, rec, http.StatusTooManyRequests, "monthly quota of 3")
		if s, _ := strconv.Atoi(rec.Header().Get("Retry-After")); s < 1 {
			t.Errorf("quota 429 Retry-After = %q", rec.Header().Get("Retry-After"))
		}
		if got := rec.Header().Get("X-ListenAPI-FreeQuota"); got != "3" {
			t.Errorf("X-ListenAPI-FreeQuota = %q, want 3", got)
		}
	}
	if n := b.usedBy(t, keys["free"]); n != 3 {
		t.Errorf("free key: %d requests billed, want 3 (refusals are not)", n)
	}
	// The slow plan's rate is 2 a second with a burst of 2: the third at once is refused.
	for i := 1; i <= 3; i++ {
		rec := b.call(http.MethodGet, "/api/v2/genres", keys["slow"], nil)
		if i <= 2 {
			decodeJSON(t, rec, http.StatusOK)
			continue
		}
		apiError(t, rec, http.StatusTooManyRequests, "requests a second")
		if rec.Header().Get("Retry-After") != "1" || rec.Header().Get("X-ListenAPI-Usage") != "2" {
			t.Errorf("rate 429: Retry-After %q, X-ListenAPI-Usage %q; want 1 and 2",
				rec.Header().Get("Retry-After"), rec.Header().Get("X-ListenAPI-Usage"))
		}
	}
	if n := b.usedBy(t, keys["slow"]); n != 2 {
		t.Errorf("slow key: %d requests billed, want 2", n)
	}
}

var errorShape401 = regexp.MustCompile(`^\{"error":\{"code":401,"message":"[^"]+"\}\}$`)

// TestUniform401: a missing, unknown or revoked key gets the same status and body shape; an
// unknown and a revoked key get the same body, so that a key's history cannot be probed.
func TestUniform401(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	revoked, k, err := b.store.CreateAPIKey(context.Background(), "gone", 0)
	if err != nil {
		t.Fatal(err)
	}
	if rec := b.call(http.MethodGet, "/api/v2/genres", revoked, nil); rec.Code != http.StatusOK {
		t.Fatalf("live key: status %d", rec.Code)
	}
	if err := b.store.RevokeAPIKey(context.Background(), k.ID); err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, key := range []string{"", "not-a-key", strings.Repeat("0", 48), revoked} {
		rec := b.call(http.MethodGet, "/api/v2/genres", key, nil)
		apiError(t, rec, http.StatusUnauthorized, "")
		if rec.Header().Get("X-ListenAPI-Usage") != "" {
			t.Errorf("key %q: usage headers on a 401 to a key that is not valid", key)
		}
		body := strings.TrimSpace(rec.Body.String())
		if !errorShape401.MatchString(body) {
			t.Errorf("key %q: 401 body %s; want {\"error\":{\"code\":401,\"message\":...}} and nothing else", key, body)
		}
		bodies = append(bodies, body)
	}
	for i, body := range bodies[2:] {
		if body != bodies[1] {
			t.Errorf("401 body %d = %s; want the same as for an unknown key: %s", i+2, body, bodies[1])
		}
	}
}

// TestUsageHeadersOnEveryAnswer: every answer to a valid key, errors after authentication
// included, carries the usage headers, the billing date in the Go client's layout.
func TestUsageHeadersOnEveryAnswer(t *testing.T) {
	t.Parallel()
	b, keys := planBundle(t, "free quota=1000 depth=30", "free")
	b.reindex(t)
	now := time.Now().UTC()
	next := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	targets := []struct{ method, target string }{
		{http.MethodGet, "/api/v2/genres"},
		{http.MethodGet, "/api/v2/search?q=jazz"},
		{http.MethodGet, "/api/v2/search"},             // 400
		{http.MethodGet, "/api/v2/search?offset=99"},   // 400 for the plan
		{http.MethodGet, "/api/v2/podcasts/nope"},      // 404
		{http.MethodGet, "/api/v2/no_such_operation"},  // 404 of the router
		{http.MethodPut, "/api/v2/genres"},             // 405
		{http.MethodPost, "/api/v2/episodes"},          // 401 for the plan
		{http.MethodGet, "/api/v2/playlists"},          // 200
		{http.MethodGet, "/api/v2/curated_podcasts/x"}, // 404
	}
	for _, tt := range targets {
		rec := b.call(tt.method, tt.target, keys["free"], nil)
		h := rec.Header()
		when, err := time.Parse("2006-01-02T15:04:05.999999-07:00", h.Get("X-ListenAPI-NextBillingDate"))
		if err != nil || !when.Equal(next) {
			t.Errorf("%s %s (%d): X-ListenAPI-NextBillingDate %q: %v; want %s", tt.method, tt.target, rec.Code,
				h.Get("X-ListenAPI-NextBillingDate"), err, next)
		}
		if _, err := strconv.Atoi(h.Get("X-ListenAPI-Usage")); err != nil || h.Get("X-ListenAPI-FreeQuota") != "1000" ||
			h.Get("X-listenAPI-Latency-Seconds") == "" {
			t.Errorf("%s %s (%d): usage %q, quota %q, latency %q", tt.method, tt.target, rec.Code,
				h.Get("X-ListenAPI-Usage"), h.Get("X-ListenAPI-FreeQuota"), h.Get("X-listenAPI-Latency-Seconds"))
		}
	}
}
