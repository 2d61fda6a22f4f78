package http

import (
	"context"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"hark"
	"hark/db"
)

// Moderator carries out operators' decisions (implemented by *jobs.Service).
type Moderator interface {
	// DecideDeletion approves (db.DeletionDeleted) or rejects (db.DeletionRejected) an open
	// deletion request. Returns ErrNotFound when no such request is open.
	DecideDeletion(ctx context.Context, id int64, status, operator string) (db.DeletionRequest, error)
}

// moderationPage is the data of templates/admin_moderation.html.
type moderationPage struct {
	Open, Decided []db.DeletionRequest
	Recent        []hark.Podcast
}

// handleAdminModeration handles "GET /admin/moderation": deletion requests and the podcasts
// added last.
func (s *Server) handleAdminModeration(w http.ResponseWriter, r *http.Request) error {
	reqs, err := s.store.FindDeletionRequests(r.Context(), 20)
	if err != nil {
		return err
	}
	var pg moderationPage
	for _, d := range reqs {
		if d.Status == db.DeletionInReview {
			pg.Open = append(pg.Open, d)
		} else {
			pg.Decided = append(pg.Decided, d)
		}
	}
	if pg.Recent, err = s.store.FindRecentPodcasts(r.Context(), 30); err != nil {
		return err
	}
	return s.renderAdmin(w, r, "admin_moderation", "Moderation", pg)
}

// handleAdminDeletionDecide handles "POST /admin/deletions/{id}/{decision}", decision approve
// or reject.
func (s *Server) handleAdminDeletionDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return hark.Errorf(hark.ErrNotFound, "no deletion request %q", chi.URLParam(r, "id"))
	}
	status := map[string]string{"approve": db.DeletionDeleted, "reject": db.DeletionRejected}[chi.URLParam(r, "decision")]
	if status == "" {
		return hark.Errorf(hark.ErrNotFound, "decide with approve or reject")
	}
	m, ok := s.submit.(Moderator)
	if !ok {
		return hark.Errorf(hark.ErrUnavailable, "this server cannot carry out deletions")
	}
	if _, err := m.DecideDeletion(r.Context(), id, status, operatorOf(r).Name); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/moderation?done="+status, http.StatusSeeOther)
	return nil
}
