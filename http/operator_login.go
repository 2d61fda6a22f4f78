package http

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"hark"
	"hark/db"
	"hark/ratelimit"
)

// loginRate bounds sign-in attempts per client address: ten at once, then one a minute.
var loginRate = ratelimit.Rate{PerSecond: 1.0 / 60, Burst: 10}

// loginPage is the data of templates/admin_login.html.
type loginPage struct {
	CSRF, Next, Name, Error string
}

// handleLoginForm handles "GET /admin/login".
func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderLogin(w, http.StatusOK, loginPage{CSRF: s.csrfToken(w, r), Next: localPath(r.URL.Query().Get("next"))})
}

func (s *Server) renderLogin(w http.ResponseWriter, status int, lp loginPage) error {
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, status, "admin_login", page{Title: "Operator sign-in · Hark", Data: adminPage{Active: "admin_login", CSRF: lp.CSRF, Data: lp}})
}

// handleLogin handles "POST /admin/login": a right name and password open a session, kept in an
// HttpOnly cookie, and go on to the page asked for.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	p, err := parseForm(w, r)
	if err != nil {
		return err
	}
	lp := loginPage{CSRF: s.csrfToken(w, r), Next: localPath(p.str("next")), Name: strings.TrimSpace(p.str("name"))}
	if ok, retry := s.limiter.Allow("login "+limitKey(clientOf(r).addr), loginRate); !ok {
		w.Header().Set("Retry-After", retrySeconds(retry))
		lp.Error = "Too many sign-in attempts from your address. Try again in " + retryMinutes(retry) + " minutes."
		return s.renderLogin(w, http.StatusTooManyRequests, lp)
	}
	token, _, err := s.store.SignInOperator(r.Context(), lp.Name, p.str("password"))
	if errors.Is(err, hark.ErrUnauthorized) {
		lp.Error = "Wrong name or password."
		return s.renderLogin(w, http.StatusUnauthorized, lp)
	}
	if err != nil {
		return err
	}
	s.setOperatorCookie(w, r, token, db.OperatorSessionTTL)
	http.Redirect(w, r, cmpPath(lp.Next, "/admin"), http.StatusSeeOther)
	return nil
}

// handleLogout handles "POST /admin/logout": the session ends in Postgres and in the browser.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(operatorCookie(clientOf(r).tls)); err == nil {
		if err := s.store.EndOperatorSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.setOperatorCookie(w, r, "", -1)
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}

// setOperatorCookie sets the session cookie for ttl, or deletes it when ttl < 0. It is
// HttpOnly, SameSite=Lax and, over TLS, Secure with the __Host- prefix.
func (s *Server) setOperatorCookie(w http.ResponseWriter, r *http.Request, token string, ttl time.Duration) {
	tls := clientOf(r).tls
	c := &http.Cookie{Name: operatorCookie(tls), Value: token, Path: "/", HttpOnly: true, Secure: tls,
		SameSite: http.SameSiteLaxMode, MaxAge: int(ttl / time.Second)}
	if ttl < 0 {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// localPath keeps next only when it is a path on this site ("/admin/crawl"), never another
// site ("//evil.example", "https://..."), so the sign-in page cannot redirect elsewhere.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return ""
	}
	return next
}

func cmpPath(p, def string) string {
	if p == "" {
		return def
	}
	return p
}
