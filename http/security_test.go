package http_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	podhttp "hark/http"
)

func TestOperatorViewsClosedByDefault(t *testing.T) {
	t.Parallel()
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "jobs") })
	tests := []struct {
		name     string
		cfg      func(*podhttp.Config)
		accounts bool // an operator account exists
		session  bool // the request carries its session cookie
		path     string
		peer     string
		header   http.Header
		want     int
	}{
		{name: "metrics from afar", path: "/metrics", peer: "192.0.2.1:1", want: http.StatusForbidden},
		{name: "river ui from afar", path: "/riverui/", peer: "192.0.2.1:1", want: http.StatusForbidden},
		{name: "admin from afar", path: "/admin", peer: "192.0.2.1:1", want: http.StatusForbidden},
		{name: "metrics on loopback", path: "/metrics", peer: "127.0.0.1:1", want: http.StatusOK},
		{name: "river ui on IPv6 loopback", path: "/riverui/", peer: "[::1]:1", want: http.StatusOK},
		{name: "loopback through an untrusted proxy", path: "/riverui/", peer: "127.0.0.1:1",
			header: http.Header{"X-Forwarded-For": {"203.0.113.9"}}, want: http.StatusForbidden},
		{name: "a client behind a trusted proxy", path: "/riverui/", peer: "127.0.0.1:1",
			cfg:    func(c *podhttp.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")} },
			header: http.Header{"X-Forwarded-For": {"203.0.113.9"}}, want: http.StatusForbidden},
		{name: "account exists, not signed in", path: "/riverui/", peer: "192.0.2.1:1", accounts: true, want: http.StatusUnauthorized},
		{name: "account exists, loopback no longer enough", path: "/metrics", peer: "127.0.0.1:1", accounts: true, want: http.StatusUnauthorized},
		{name: "account exists, a browser is sent to sign in", path: "/riverui/", peer: "192.0.2.1:1", accounts: true,
			header: http.Header{"Accept": {"text/html"}}, want: http.StatusSeeOther},
		{name: "signed in, river ui", path: "/riverui/", peer: "192.0.2.1:1", accounts: true, session: true, want: http.StatusOK},
		{name: "signed in, metrics", path: "/metrics", peer: "192.0.2.1:1", accounts: true, session: true, want: http.StatusOK},
		{name: "a made-up session", path: "/riverui/", peer: "192.0.2.1:1", accounts: true,
			header: http.Header{"Cookie": {"hark_operator=" + strings.Repeat("A", 26)}}, want: http.StatusUnauthorized},
		{name: "metrics token", path: "/metrics", peer: "192.0.2.1:1", cfg: token,
			header: http.Header{"Authorization": {"Bearer tok-123"}}, want: http.StatusOK},
		{name: "metrics token with accounts", path: "/metrics", peer: "192.0.2.1:1", cfg: token, accounts: true,
			header: http.Header{"Authorization": {"Bearer tok-123"}}, want: http.StatusOK},
		{name: "wrong metrics token", path: "/metrics", peer: "192.0.2.1:1", cfg: token,
			header: http.Header{"Authorization": {"Bearer tok-124"}}, want: http.StatusUnauthorized},
		{name: "metrics token on the river ui", path: "/riverui/", peer: "192.0.2.1:1", cfg: token,
			header: http.Header{"Authorization": {"Bearer tok-123"}}, want: http.StatusForbidden},
	}
	open, closed := setup(t, setupOpts{}), setup(t, setupOpts{})
	cookie := signIn(t, closed, "ops")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := *open
			if tt.accounts {
				c = *closed
			}
			c.opts.config = tt.cfg
			c.srv = c.newServer()
			c.srv.Mount("/riverui", c.srv.OperatorOnly(inner))
			req := httptest.NewRequest(http.MethodGet, tt.path, nil)
			req.RemoteAddr = tt.peer
			for k, v := range tt.header {
				req.Header[k] = v
			}
			if tt.session {
				req.AddCookie(cookie)
			}
			rec := httptest.NewRecorder()
			c.srv.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("status %d, want %d; body %s", rec.Code, tt.want, rec.Body)
			}
			if rec.Code == http.StatusForbidden && !strings.Contains(rec.Body.String(), "hark operators add") {
				t.Errorf("403 does not say how to open the view: %s", rec.Body)
			}
		})
	}
}

func token(c *podhttp.Config) { c.MetricsToken = "tok-123" }

// TestPagesContentSecurityPolicy renders every kind of page: each has a CSP without
// 'unsafe-inline' or 'unsafe-eval', framing is refused except on the embed page, and nothing
// in the page needs what the policy forbids (inline scripts, styles or handlers).
func TestPagesContentSecurityPolicy(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	b.reindex(t)
	pages := []string{
		"/", "/search?q=jazz", "/submit", "/docs/api", "/podcasts/" + jazz.podcast.ID,
		"/episodes/" + jazz.episodes[0].ID, "/embed/episodes/" + jazz.episodes[0].ID, "/no-such-page",
	}
	for _, path := range pages {
		rec := b.get(t, path)
		csp := rec.Header().Get("Content-Security-Policy")
		if csp == "" {
			t.Errorf("%s: no Content-Security-Policy", path)
			continue
		}
		for _, bad := range []string{"unsafe-inline", "unsafe-eval"} {
			if strings.Contains(csp, bad) {
				t.Errorf("%s: CSP allows %s: %s", path, bad, csp)
			}
		}
		for _, want := range []string{"script-src 'self'", "style-src 'self'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP lacks %s: %s", path, want, csp)
			}
		}
		embed := strings.HasPrefix(path, "/embed/")
		if framing := strings.Contains(csp, "frame-ancestors 'none'"); framing == embed {
			t.Errorf("%s: CSP %q; frame-ancestors 'none' on every page but the embed", path, csp)
		}
		doc := parsePage(t, rec, rec.Code)
		if n := doc.Find("script:not([src]), style, [style]").Length(); n != 0 {
			t.Errorf("%s: %d inline scripts or styles, which the CSP blocks", path, n)
		}
		if strings.Contains(rec.Body.String(), " onclick=") || strings.Contains(rec.Body.String(), " onload=") {
			t.Errorf("%s: inline event handlers, which the CSP blocks", path)
		}
	}
}

func TestCSRFTokenRequired(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	form := url.Values{"rss": {"https://csrf.example/feed.xml"}}

	// No token, no cookie: what a page on another site can make a browser send.
	rec := b.send("POST", "/submit", "192.0.2.80:1", form.Encode(), nil)
	if rec.Code != http.StatusForbidden {
		t.Errorf("post without a token: %d, want 403", rec.Code)
	}
	// A cookie, but a token that does not match it.
	br := b.newBrowser(t, "/submit", "")
	br.token = "AAAAAAAAAAAAAAAAAAAAAAAAAA"
	if rec := br.post(t, "/submit", form); rec.Code != http.StatusForbidden {
		t.Errorf("post with a wrong token: %d, want 403", rec.Code)
	}
	if crawls := b.takeCrawls(t); len(crawls) != 0 {
		t.Errorf("refused posts enqueued crawls of %v", crawls)
	}
	if rec := b.postForm(t, "/submit", "/submit", form); rec.Code != http.StatusSeeOther {
		t.Errorf("post with the page's token: %d, want 303", rec.Code)
	}
}

// TestTLSHeadersAndCookies: behind a trusted proxy that says https, responses carry HSTS and
// the CSRF cookie is Secure with the __Host- prefix; X-Forwarded-Proto from anyone else is
// ignored.
func TestTLSHeadersAndCookies(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{config: func(c *podhttp.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	}})
	https := http.Header{"X-Forwarded-Proto": {"https"}, "X-Forwarded-For": {"203.0.113.7"}}

	rec := b.send("GET", "/submit", "10.0.0.2:1", "", https)
	if got := rec.Header().Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
		t.Errorf("HSTS over TLS = %q", got)
	}
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 || cookies[0].Name != "__Host-hark_csrf" || !cookies[0].Secure || !cookies[0].HttpOnly ||
		cookies[0].SameSite != http.SameSiteLaxMode || cookies[0].Path != "/" {
		t.Errorf("CSRF cookie over TLS = %+v; want __Host-, Secure, HttpOnly, SameSite=Lax, Path=/", cookies)
	}

	rec = b.send("GET", "/submit", "192.0.2.90:1", "", https)
	if got := rec.Header().Get("Strict-Transport-Security"); got != "" {
		t.Errorf("HSTS from an untrusted X-Forwarded-Proto: %q", got)
	}
	cookies = rec.Result().Cookies()
	if len(cookies) != 1 || cookies[0].Secure || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteLaxMode {
		t.Errorf("CSRF cookie over plain http = %+v; want HttpOnly, SameSite=Lax, not Secure", cookies)
	}
}
