package http

import (
	"crypto/rand"
	"net/http"
	"strings"
)

// csrfField is the hidden form field that carries the CSRF token.
const csrfField = "csrf_token"

// csrfCookie names the cookie that holds the token a form must echo. Over TLS it takes the
// __Host- prefix, which browsers accept only from the site itself, Secure, on path /: a
// neighbouring subdomain cannot plant a token of its choosing.
func csrfCookie(tls bool) string {
	if tls {
		return "__Host-hark_csrf"
	}
	return "hark_csrf"
}

// csrfToken returns the token to put in a form (in csrfField), setting the cookie it must
// match unless the browser has one already. Every form that changes state calls it.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	tls := clientOf(r).tls
	if c, err := r.Cookie(csrfCookie(tls)); err == nil && len(c.Value) >= 26 {
		return c.Value
	}
	// A page may ask twice in one request (its own forms and the operator frame's): the second
	// ask gets the token the first set, or the forms would carry one the browser never keeps.
	for _, sc := range w.Header().Values("Set-Cookie") {
		if v, ok := strings.CutPrefix(sc, csrfCookie(tls)+"="); ok {
			return strings.SplitN(v, ";", 2)[0]
		}
	}
	token := rand.Text()
	http.SetCookie(w, &http.Cookie{
		Name: csrfCookie(tls), Value: token, Path: "/",
		HttpOnly: true, Secure: tls, SameSite: http.SameSiteLaxMode,
	})
	return token
}

// requireCSRF refuses a form post whose csrfField does not match the browser's CSRF cookie: a
// page on another site can make a browser post a form, but cannot read the cookie to copy it.
// It goes with http.CrossOriginProtection, which refuses what the browser marks cross-site.
func (s *Server) requireCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		p, err := parseForm(w, r)
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		c, err := r.Cookie(csrfCookie(clientOf(r).tls))
		if err != nil || !secretEqual(p.str(csrfField), c.Value) {
			s.writeError(w, r, http.StatusForbidden,
				"This form has expired or was not sent from Hark's own pages. Reload the page and send it again.")
			return
		}
		next.ServeHTTP(w, r)
	})
}
