package http

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// OperatorUser is the user name of HTTP basic auth on the operator views.
const OperatorUser = "operator"

// OperatorOnly guards an operator view (the River UI): see operatorAccess.
func (s *Server) OperatorOnly(h http.Handler) http.Handler { return s.guardOperator(h, false) }

// guardOperator answers 401 or 403 to requests operatorAccess refuses. metrics also admits
// Prometheus's bearer token.
func (s *Server) guardOperator(h http.Handler, metrics bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, msg := s.operatorAccess(r, metrics)
		if status == 0 {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Basic realm="hark operators"`)
			if metrics && s.cfg.MetricsToken != "" {
				w.Header().Add("WWW-Authenticate", `Bearer realm="hark metrics"`)
			}
		}
		http.Error(w, msg, status)
	})
}

// operatorAccess is the one place that decides who sees the operator views, so operator
// accounts can be added here. It admits the metrics token (on /metrics), the operator password
// when OPS_PASSWORD is set, and, only when no password is set, clients on loopback that did not
// come through an untrusted proxy: a proxy on the same host would otherwise make the whole
// internet look local. It returns 0 to admit, or the status and message of the refusal.
func (s *Server) operatorAccess(r *http.Request, metrics bool) (status int, msg string) {
	if metrics && s.cfg.MetricsToken != "" && secretEqual(bearerToken(r), s.cfg.MetricsToken) {
		return 0, ""
	}
	if s.cfg.OpsPassword != "" {
		if user, pass, ok := r.BasicAuth(); ok && user == OperatorUser && secretEqual(pass, s.cfg.OpsPassword) {
			return 0, ""
		}
		return http.StatusUnauthorized, "operator password required"
	}
	if c := clientOf(r); c.addr.IsLoopback() && !c.forwarded {
		return 0, ""
	}
	if metrics && s.cfg.MetricsToken != "" {
		return http.StatusUnauthorized, "metrics token required"
	}
	return http.StatusForbidden, "operator views answer only on loopback until OPS_PASSWORD is set"
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
