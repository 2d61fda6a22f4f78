package http

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"hark"
	"hark/db"
)

// Operator names for access that is not an operator account's.
const (
	// OperatorLoopback is who a loopback client is while no operator account exists (the demo).
	OperatorLoopback = "loopback"
	// OperatorPrometheus is who presents the metrics token.
	OperatorPrometheus = "prometheus"
)

// errForbidden refuses an operator view that signing in cannot open; it maps to 403.
var errForbidden = errors.New("forbidden")

// operatorKey holds the operator a request is served to.
const operatorKey ctxKey = iota + 300

// operatorOf returns the operator admitted to r: an account's name, OperatorLoopback or
// OperatorPrometheus.
func operatorOf(r *http.Request) db.Operator {
	o, _ := r.Context().Value(operatorKey).(db.Operator)
	return o
}

// OperatorOnly guards an operator view (the River UI): see operatorAccess.
func (s *Server) OperatorOnly(h http.Handler) http.Handler { return s.guardOperator(h, false) }

// requireOperator guards the /admin pages: see operatorAccess. The lead mounts more admin
// pages (errors, say) in adminRoutes' group, behind it.
func (s *Server) requireOperator(h http.Handler) http.Handler { return s.guardOperator(h, false) }

// guardOperator admits what operatorAccess admits, with the operator in the request's context.
// A browser that is not signed in is sent to the sign-in page; other refusals are 401 or 403.
// metrics also admits Prometheus's bearer token.
func (s *Server) guardOperator(h http.Handler, metrics bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		o, err := s.operatorAccess(r, metrics)
		if err == nil {
			h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), operatorKey, o)))
			return
		}
		if errors.Is(err, hark.ErrUnauthorized) {
			if !metrics && r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html") {
				http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			if metrics && s.cfg.MetricsToken != "" {
				w.Header().Set("WWW-Authenticate", `Bearer realm="hark metrics"`)
			}
			http.Error(w, hark.ErrorMessage(err), http.StatusUnauthorized)
			return
		}
		if errors.Is(err, errForbidden) {
			http.Error(w, hark.ErrorMessage(err), http.StatusForbidden)
			return
		}
		s.serveError(w, r, err)
	})
}

// operatorAccess is the one place that decides who sees the operator views (/admin, /riverui,
// /metrics). It admits the metrics token (on /metrics) and a signed-in operator's session
// cookie. While no operator account exists, and only then, it admits clients on loopback that
// did not come through an untrusted proxy (a proxy on the same host would otherwise make the
// whole internet look local): the demo and a fresh install work before `hark operators add`,
// and the first account closes that door. It returns ErrUnauthorized when signing in would
// help and ErrForbidden when it cannot.
func (s *Server) operatorAccess(r *http.Request, metrics bool) (db.Operator, error) {
	if metrics && s.cfg.MetricsToken != "" && secretEqual(bearerToken(r), s.cfg.MetricsToken) {
		return db.Operator{Name: OperatorPrometheus}, nil
	}
	if c, err := r.Cookie(operatorCookie(clientOf(r).tls)); err == nil && c.Value != "" {
		o, err := s.store.FindOperatorSession(r.Context(), c.Value)
		if err == nil || !errors.Is(err, hark.ErrUnauthorized) {
			return o, err
		}
	}
	exists, err := s.store.HasOperators(r.Context())
	if err != nil {
		return db.Operator{}, err
	}
	if exists {
		return db.Operator{}, hark.Errorf(hark.ErrUnauthorized, "operator sign-in required: /admin/login")
	}
	if c := clientOf(r); c.addr.IsLoopback() && !c.forwarded {
		return db.Operator{Name: OperatorLoopback}, nil
	}
	if metrics && s.cfg.MetricsToken != "" {
		return db.Operator{}, hark.Errorf(hark.ErrUnauthorized, "metrics token required")
	}
	return db.Operator{}, hark.Errorf(errForbidden,
		"operator views answer only on loopback until an operator account exists (hark operators add NAME)")
}

// operatorCookie names the session cookie; over TLS it takes the __Host- prefix (see csrfCookie).
func operatorCookie(tls bool) string {
	if tls {
		return "__Host-hark_operator"
	}
	return "hark_operator"
}

// bearerToken is the token of an "Authorization: Bearer" header, or "".
func bearerToken(r *http.Request) string {
	auth := r.Header.Get("Authorization")
	if len(auth) < 7 || !strings.EqualFold(auth[:7], "bearer ") {
		return ""
	}
	return strings.TrimSpace(auth[7:])
}

// secretEqual compares in constant time; an empty secret matches nothing.
func secretEqual(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
