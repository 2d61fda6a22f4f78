package http

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"

	"hark"
	"hark/db"
)

// keysPage is the data of templates/admin_keys.html.
type keysPage struct {
	Keys  []keyRow
	Plans []hark.Plan
}

// keyRow is a key with its quota as the plan makes it.
type keyRow struct {
	db.KeyListing
	Quota   int // this month's quota, plan's or own; 0 unlimited
	Percent int // of the quota used, for the usage bar
}

// handleAdminKeys handles "GET /admin/keys": every key with its usage this month, live ones
// with the most requests first.
func (s *Server) handleAdminKeys(w http.ResponseWriter, r *http.Request) error {
	keys, err := s.store.ListAPIKeys(r.Context())
	if err != nil {
		return err
	}
	pg := keysPage{Plans: s.cfg.Plans.Sorted()}
	for _, k := range keys {
		row := keyRow{KeyListing: k, Quota: quotaOf(k.APIKey, s.planOf(k.APIKey))}
		if row.Quota > 0 {
			row.Percent = int(min(100, k.Requests*100/int64(row.Quota)))
		}
		pg.Keys = append(pg.Keys, row)
	}
	slices.SortStableFunc(pg.Keys, func(a, b keyRow) int {
		if a.RevokedAt.IsZero() != b.RevokedAt.IsZero() {
			return cmp.Compare(a.RevokedAt.Unix(), b.RevokedAt.Unix()) // live keys (zero time) first
		}
		return cmp.Compare(b.Requests, a.Requests)
	})
	return s.renderAdmin(w, r, "admin_keys", "API keys", pg)
}

// handleAdminKeyPlan handles "POST /admin/keys/{id}/plan": the key moves to the form's plan.
func (s *Server) handleAdminKeyPlan(w http.ResponseWriter, r *http.Request) error {
	id, err := keyID(r)
	if err != nil {
		return err
	}
	plan := r.PostFormValue("plan")
	if _, ok := s.cfg.Plans[plan]; !ok {
		return hark.Errorf(hark.ErrInvalid, "no plan %q: the plans are %s", plan, s.cfg.Plans)
	}
	if err := s.store.SetAPIKeyPlan(r.Context(), id, plan); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/keys?done=plan", http.StatusSeeOther)
	return nil
}

// handleAdminKeyRevoke handles "POST /admin/keys/{id}/revoke".
func (s *Server) handleAdminKeyRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := keyID(r)
	if err != nil {
		return err
	}
	if err := s.store.RevokeAPIKey(r.Context(), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/keys?done=revoked", http.StatusSeeOther)
	return nil
}

func keyID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return 0, hark.Errorf(hark.ErrNotFound, "no API key %q", chi.URLParam(r, "id"))
	}
	return id, nil
}
