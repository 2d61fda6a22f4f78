package http

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"hark/db"
)

// adminListLimit bounds the rows of each operator list.
const adminListLimit = 50

// crawlPage is the data of templates/admin_crawl.html.
type crawlPage struct {
	Health  db.CrawlHealth
	States  chartHTML
	Failing []db.FailingFeed
	Dead    []db.FailingFeed
}

// handleAdminCrawl handles "GET /admin/crawl": podcasts by crawl state, failing and dead feeds.
func (s *Server) handleAdminCrawl(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var pg crawlPage
	var err error
	if pg.Health, err = s.store.FindCrawlHealth(ctx); err != nil {
		return err
	}
	pg.States = stateBar(pg.Health)
	if pg.Failing, err = s.store.FindFailingFeeds(ctx, false, adminListLimit); err != nil {
		return err
	}
	if pg.Dead, err = s.store.FindFailingFeeds(ctx, true, adminListLimit); err != nil {
		return err
	}
	return s.renderAdmin(w, r, "admin_crawl", "Crawl health", pg)
}

// handleAdminRecrawl handles "POST /admin/podcasts/{id}/recrawl": it enqueues a crawl now.
func (s *Server) handleAdminRecrawl(w http.ResponseWriter, r *http.Request) error {
	if err := s.submit.RefreshPodcast(r.Context(), chi.URLParam(r, "id")); err != nil {
		return err
	}
	http.Redirect(w, r, backTo(r, "/admin/crawl")+"?done=recrawl", http.StatusSeeOther)
	return nil
}

// backTo is the operator page a form came from (its "back" field), or def.
func backTo(r *http.Request, def string) string {
	switch b := r.PostFormValue("back"); b {
	case "/admin", "/admin/crawl", "/admin/moderation", "/admin/keys":
		return b
	}
	return def
}
