package http_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	podhttp "hark/http"
)

func TestOperatorSignIn(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	session := signIn(t, b, "ada")
	if rec := getAs(b, session, "/admin"); rec.Code != http.StatusOK {
		t.Fatalf("GET /admin signed in: %d", rec.Code)
	}
	if rec := getAs(b, nil, "/admin"); rec.Code != http.StatusUnauthorized {
		t.Errorf("GET /admin without a session (an account exists): %d, want 401", rec.Code)
	}

	t.Run("wrong password", func(t *testing.T) {
		rec := b.newBrowser(t, "/admin/login", "192.0.2.7:1").post(t, "/admin/login", url.Values{"name": {"ada"}, "password": {"nope nope nope"}})
		if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "Wrong name or password") {
			t.Errorf("status %d, want 401 saying so; body %s", rec.Code, rec.Body)
		}
		for _, c := range rec.Result().Cookies() {
			if c.Name == "hark_operator" {
				t.Errorf("a wrong password got a session cookie")
			}
		}
	})
	t.Run("rate limited", func(t *testing.T) {
		br := b.newBrowser(t, "/admin/login", "192.0.2.8:1")
		var last int
		for range 11 {
			last = br.post(t, "/admin/login", url.Values{"name": {"ada"}, "password": {"guess guess guess"}}).Code
		}
		if last != http.StatusTooManyRequests {
			t.Errorf("11th attempt: %d, want 429", last)
		}
		// Right password, but the address is over its attempts: still refused.
		if rec := br.post(t, "/admin/login", url.Values{"name": {"ada"}, "password": {operatorPassword}}); rec.Code != http.StatusTooManyRequests {
			t.Errorf("right password over the limit: %d, want 429", rec.Code)
		}
	})
	t.Run("expired session", func(t *testing.T) {
		s := signIn(t, b, "bob")
		if _, err := b.pool.Exec(context.Background(), `UPDATE operator_sessions SET expires_at = now() - interval '1 second'
			WHERE operator_id = (SELECT id FROM operators WHERE name = 'bob')`); err != nil {
			t.Fatal(err)
		}
		if rec := getAs(b, s, "/admin"); rec.Code != http.StatusUnauthorized {
			t.Errorf("expired session: %d, want 401", rec.Code)
		}
	})
	t.Run("logout", func(t *testing.T) {
		s := signIn(t, b, "cy")
		rec := operatorBrowser(t, b, s, "/admin").post(t, "/admin/logout", url.Values{})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("logout: %d, want 303", rec.Code)
		}
		if rec := getAs(b, s, "/admin"); rec.Code != http.StatusUnauthorized {
			t.Errorf("after logout the old cookie still works: %d", rec.Code)
		}
	})
	t.Run("no redirect off site", func(t *testing.T) {
		_, _ = b.store.CreateOperator(context.Background(), "dee", operatorPassword)
		rec := b.newBrowser(t, "/admin/login?next=//evil.example/x", "").post(t, "/admin/login",
			url.Values{"name": {"dee"}, "password": {operatorPassword}, "next": {"//evil.example/x"}})
		if loc := rec.Header().Get("Location"); loc != "/admin" {
			t.Errorf("Location %q, want /admin", loc)
		}
	})
}

// TestOperatorCookieOverTLS: behind https the session cookie is Secure, with the __Host- prefix.
func TestOperatorCookieOverTLS(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{config: func(c *podhttp.Config) { c.TLS = true }})
	if _, err := b.store.CreateOperator(context.Background(), "ada", operatorPassword); err != nil {
		t.Fatal(err)
	}
	rec := b.newBrowser(t, "/admin/login", "").post(t, "/admin/login", url.Values{"name": {"ada"}, "password": {operatorPassword}})
	for _, c := range rec.Result().Cookies() {
		if c.Name == "__Host-hark_operator" && c.Secure && c.HttpOnly && c.Path == "/" && c.SameSite == http.SameSiteLaxMode {
			return
		}
	}
	t.Errorf("no Secure __Host- session cookie: %v", rec.Result().Cookies())
}
