package http_test

import (
	"context"
	"crypto/sha256"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"hark"
	podhttp "hark/http"
)

var hexKey = regexp.MustCompile(`^[0-9a-f]{48}$`)

// signUp posts the sign-up form from addr and returns the response.
func (b *testBundle) signUp(t *testing.T, addr, email string) (int, *goquery.Document, http.Header) {
	t.Helper()
	rec := b.newBrowser(t, "/signup", addr).post(t, "/signup", url.Values{"email": {email}, "name": {"my app"}})
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rec.Code, doc, rec.Header()
}

func TestSignupIssuesAFreeKeyOnce(t *testing.T) {
	t.Parallel()
	ps, _ := hark.ParsePlans("free quota=50 depth=30 rate=9")
	b := setup(t, setupOpts{requireKey: true, config: func(c *podhttp.Config) { c.Plans = ps }})
	form := b.getPage(t, "/signup", http.StatusOK)
	if form.Find(`form[action="/signup"][method="post"] input[name="email"]`).Length() != 1 ||
		form.Find(`input[name="csrf_token"]`).AttrOr("value", "") == "" {
		t.Fatal("the sign-up page has no form with an email field and a CSRF token")
	}
	if !strings.Contains(form.Find("main, body").Text(), "50 requests a month") {
		t.Error("the sign-up page does not say the free plan's quota")
	}
	status, doc, h := b.signUp(t, "192.0.2.1:1000", "dev@example.com")
	key := strings.TrimSpace(doc.Find("code.api-key").Text())
	if status != http.StatusCreated || !hexKey.MatchString(key) {
		t.Fatalf("sign-up: status %d, key %q", status, key)
	}
	if h.Get("Cache-Control") != "no-store" || !strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Errorf("the page with the key: Cache-Control %q, CSP %q", h.Get("Cache-Control"), h.Get("Content-Security-Policy"))
	}
	sum := sha256.Sum256([]byte(key))
	var plan, email string
	var stored int
	err := b.pool.QueryRow(context.Background(), `SELECT plan, email,
		(SELECT count(*) FROM api_keys WHERE key_prefix = $2 OR name = $2 OR email = $2)
		FROM api_keys WHERE key_hash = $1`, sum[:], key).Scan(&plan, &email, &stored)
	if err != nil || plan != hark.PlanFree || email != "dev@example.com" || stored != 0 {
		t.Errorf("stored key: plan %q, email %q, rows holding the key itself %d, %v", plan, email, stored, err)
	}
	rec := b.call(http.MethodGet, "/api/v2/genres", key, nil)
	if rec.Code != http.StatusOK || rec.Header().Get("X-ListenAPI-FreeQuota") != "50" {
		t.Errorf("the new key on the API: status %d, X-ListenAPI-FreeQuota %q", rec.Code, rec.Header().Get("X-ListenAPI-FreeQuota"))
	}
	// The form page itself never shows a key again.
	if b.getPage(t, "/signup", http.StatusOK).Find("code.api-key").Length() != 0 {
		t.Error("GET /signup shows a key")
	}
}

func TestSignupRefusals(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{config: func(c *podhttp.Config) { c.SignupDailyCap = 4 }})
	status, doc, _ := b.signUp(t, "192.0.2.2:1", "not an email")
	if status != http.StatusBadRequest || !strings.Contains(doc.Find(".notice.error").Text(), "email address") {
		t.Errorf("bad email: status %d, error %q", status, doc.Find(".notice.error").Text())
	}
	rec := b.do(t, http.MethodPost, "/signup", url.Values{"email": {"x@example.com"}})
	if rec.Code != http.StatusForbidden {
		t.Errorf("sign-up without the CSRF token: status %d, want 403", rec.Code)
	}
	// Three from one address, then that address waits.
	for i := range 4 {
		status, doc, h := b.signUp(t, "192.0.2.3:1", "a"+strconv.Itoa(i)+"@example.com")
		if i < 3 && status != http.StatusCreated {
			t.Fatalf("sign-up %d from one address: status %d", i+1, status)
		}
		if i == 3 && (status != http.StatusTooManyRequests || h.Get("Retry-After") == "" ||
			!strings.Contains(doc.Find(".notice.error").Text(), "your address")) {
			t.Errorf("fourth sign-up from one address: status %d, Retry-After %q, %q", status, h.Get("Retry-After"),
				doc.Find(".notice.error").Text())
		}
	}
	// The daily cap of 4 counts every address: one more from elsewhere, then none.
	if status, _, _ := b.signUp(t, "192.0.2.4:1", "b@example.com"); status != http.StatusCreated {
		t.Fatalf("fourth sign-up of the day: status %d", status)
	}
	status, doc, h := b.signUp(t, "192.0.2.5:1", "c@example.com")
	if status != http.StatusTooManyRequests || !strings.Contains(doc.Find(".notice.error").Text(), "Try again tomorrow") {
		t.Errorf("over the daily cap: status %d, %q", status, doc.Find(".notice.error").Text())
	}
	if s, _ := strconv.Atoi(h.Get("Retry-After")); s < 1 || s > 86400 {
		t.Errorf("over the daily cap: Retry-After %q, want the seconds to midnight UTC", h.Get("Retry-After"))
	}
}

func TestAccountPage(t *testing.T) {
	t.Parallel()
	ps, _ := hark.ParsePlans("free quota=50")
	b := setup(t, setupOpts{requireKey: true, config: func(c *podhttp.Config) { c.Plans = ps }})
	_, doc, _ := b.signUp(t, "192.0.2.9:1", "me@example.com")
	key := strings.TrimSpace(doc.Find("code.api-key").Text())
	for range 3 {
		if rec := b.call(http.MethodGet, "/api/v2/languages", key, nil); rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
	}
	form := b.getPage(t, "/account", http.StatusOK)
	if form.Find(`form[action="/account"][method="post"] input[name="key"][type="password"]`).Length() != 1 {
		t.Fatal("the account page has no form to paste a key into")
	}
	rec := b.newBrowser(t, "/account", "").post(t, "/account", url.Values{"key": {key}})
	page := parsePage(t, rec, http.StatusOK)
	now := time.Now().UTC()
	next := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	checks := map[string]string{
		".plan": "free", ".used": "3", ".left": "47 of 50",
		".next-billing time": next.Format("January 2, 2006"),
	}
	for sel, want := range checks {
		if got := strings.TrimSpace(page.Find(sel).Text()); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	bars := page.Find("svg.usage-chart rect")
	if bars.Length() != now.Day() {
		t.Errorf("chart has %d bars, want one a day this month so far (%d)", bars.Length(), now.Day())
	}
	today := bars.Last()
	if today.AttrOr("data-day", "") != now.Format("2006-01-02") || today.AttrOr("data-requests", "") != "3" ||
		today.AttrOr("height", "") != "120" {
		t.Errorf("today's bar: day %q, requests %q, height %q", today.AttrOr("data-day", ""),
			today.AttrOr("data-requests", ""), today.AttrOr("height", ""))
	}
	if page.Find("[style], style, script:not([src])").Length() != 0 {
		t.Error("the account page has inline style or script, which the CSP refuses")
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", rec.Header().Get("Cache-Control"))
	}
	rec = b.newBrowser(t, "/account", "").post(t, "/account", url.Values{"key": {"0123"}})
	if page := parsePage(t, rec, http.StatusUnauthorized); !strings.Contains(page.Find(".notice.error").Text(), "no live key") {
		t.Errorf("unknown key: %q", page.Find(".notice.error").Text())
	}
}
