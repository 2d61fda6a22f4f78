package http

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"hark"
	"hark/db"
)

// errorEventsShown is how many of a group's latest events its page shows.
const errorEventsShown = 20

// errorsPage is the data of templates/errors.html: the list of groups, or one group with its
// latest events.
type errorsPage struct {
	Status string // the list's filter: a status, or "" for all
	Groups []errorGroupRow
	Group  *errorGroupRow
	Events []errorEventView
}

// errorGroupRow is a group with the forms that move it to the other statuses.
type errorGroupRow struct {
	db.ErrorGroup
	Actions []errorAction
	CSRF    string
	From    string // "list" when the forms are on the list, to come back to it
}

// errorAction is one status form's target and button.
type errorAction struct{ Status, Label string }

func newErrorGroupRow(g db.ErrorGroup, csrf, from string) errorGroupRow {
	row := errorGroupRow{ErrorGroup: g, CSRF: csrf, From: from}
	for _, a := range []errorAction{{db.ErrorResolved, "Resolve"}, {db.ErrorIgnored, "Ignore"}, {db.ErrorOpen, "Reopen"}} {
		if a.Status != g.Status {
			row.Actions = append(row.Actions, a)
		}
	}
	return row
}

// errorEventView is an event as the page shows it, its context as indented JSON.
type errorEventView struct {
	db.ErrorOccurrence
	ContextJSON string
}

// handleErrorList handles "GET /admin/errors": the error groups, most recently seen first,
// optionally of one status (?status=open).
func (s *Server) handleErrorList(w http.ResponseWriter, r *http.Request) error {
	status := r.URL.Query().Get("status")
	switch status {
	case "", db.ErrorOpen, db.ErrorResolved, db.ErrorIgnored:
	default:
		return hark.Errorf(hark.ErrInvalid, "status must be open, resolved or ignored")
	}
	groups, err := s.store.FindErrorGroups(r.Context(), db.ErrorGroupFilter{Status: status, Limit: 200})
	if err != nil {
		return err
	}
	ep := errorsPage{Status: status, Groups: make([]errorGroupRow, len(groups))}
	csrf := s.csrfToken(w, r)
	for i, g := range groups {
		ep.Groups[i] = newErrorGroupRow(g, csrf, "list")
	}
	return s.renderAdmin(w, r, "errors", "Errors", ep)
}

// handleErrorShow handles "GET /admin/errors/{id}": a group and its latest events.
func (s *Server) handleErrorShow(w http.ResponseWriter, r *http.Request) error {
	id, err := errorGroupID(r)
	if err != nil {
		return err
	}
	g, err := s.store.FindErrorGroupByID(r.Context(), id)
	if err != nil {
		return err
	}
	events, err := s.store.FindErrorEvents(r.Context(), id, errorEventsShown)
	if err != nil {
		return err
	}
	views := make([]errorEventView, len(events))
	for i, e := range events {
		b, _ := json.MarshalIndent(e.Context, "", "  ") // a map read from jsonb always encodes
		views[i] = errorEventView{ErrorOccurrence: e, ContextJSON: string(b)}
	}
	row := newErrorGroupRow(g, s.csrfToken(w, r), "")
	ep := errorsPage{Group: &row, Events: views}
	return s.renderAdmin(w, r, "errors", "Error "+strconv.FormatInt(id, 10), ep)
}

// handleErrorStatus handles "POST /admin/errors/{id}/status": resolve, ignore or reopen a group,
// then back to the page the form was on.
func (s *Server) handleErrorStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := errorGroupID(r)
	if err != nil {
		return err
	}
	p, err := parseForm(w, r)
	if err != nil {
		return err
	}
	if err := s.store.SetErrorGroupStatus(r.Context(), id, p.str("status")); err != nil {
		return err
	}
	back := "/admin/errors/" + strconv.FormatInt(id, 10)
	if p.str("from") == "list" {
		back = "/admin/errors"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func errorGroupID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, hark.Errorf(hark.ErrNotFound, "no such error group")
	}
	return id, nil
}
