package http

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
)

// adminRoutes mounts the operator pages under /admin. Everything but the sign-in page is behind
// requireOperator, and every form post must carry the CSRF token (requireCSRF) and come from
// Hark's own pages (CrossOriginProtection). Add more operator pages to the guarded group.
func (s *Server) adminRoutes(r chi.Router) {
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, http.StatusForbidden, "This form can only be sent from Hark's own pages.")
	}))
	r.Use(pageHeaders, csrf.Handler, noStore)
	r.Get("/login", s.handle(s.handleLoginForm))
	r.With(s.requireCSRF).Post("/login", s.handle(s.handleLogin))
	r.Group(func(r chi.Router) {
		r.Use(s.requireOperator, s.requireCSRF)
		r.Post("/logout", s.handle(s.handleLogout))
		r.Get("/", s.handle(s.handleAdminOverview))
		r.Get("/crawl", s.handle(s.handleAdminCrawl))
		r.Post("/podcasts/{id}/recrawl", s.handle(s.handleAdminRecrawl))
		r.Get("/moderation", s.handle(s.handleAdminModeration))
		r.Post("/deletions/{id}/{decision}", s.handle(s.handleAdminDeletionDecide))
		r.Get("/keys", s.handle(s.handleAdminKeys))
		r.Post("/keys/{id}/plan", s.handle(s.handleAdminKeyPlan))
		r.Post("/keys/{id}/revoke", s.handle(s.handleAdminKeyRevoke))
		r.Get("/errors", s.handle(s.handleErrorList))
		r.Get("/errors/{id}", s.handle(s.handleErrorShow))
		r.Post("/errors/{id}/status", s.handle(s.handleErrorStatus))
	})
}

// noStore keeps operator pages out of every cache.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// adminPage is what every operator page's template gets: the page's own data in Data.
type adminPage struct {
	Operator string
	CSRF     string
	Active   string // the page's name, to mark it in the navigation
	Flash    string // what the last form did: flashes[the "done" query parameter]
	Data     any
}

// renderAdmin renders an operator page with the navigation's data.
func (s *Server) renderAdmin(w http.ResponseWriter, r *http.Request, name, title string, data any) error {
	ap := adminPage{Operator: operatorOf(r).Name, CSRF: s.csrfToken(w, r), Active: name,
		Flash: flashes[r.URL.Query().Get("done")], Data: data}
	return s.render(w, http.StatusOK, name, page{Title: title + " · Hark operators", Data: ap})
}

// flashes are the messages a page shows after a form sent it back with ?done=<key>; fixed
// texts, so a link cannot make an operator page say anything else.
var flashes = map[string]string{
	"recrawl":  "Crawl enqueued: the workers fetch the feed within seconds.",
	"deleted":  "Deletion approved: the podcast is gone, its search documents are being removed and the requester told.",
	"rejected": "Deletion request rejected.",
	"plan":     "Plan changed: every web process sees it within 30 s.",
	"revoked":  "Key revoked: it stops working within 30 s.",
}

// The operator pages' template functions.
func init() {
	templateFuncs["age"] = formatAge
	templateFuncs["dict"] = func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
}

// formatAge writes a duration short: "none", "40 s", "12 min", "3 h", "2 days".
func formatAge(d time.Duration) string {
	switch {
	case d <= 0:
		return "none"
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + " s"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + " min"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d.Hours())) + " h"
	}
	return strconv.Itoa(int(d.Hours()/24)) + " days"
}
