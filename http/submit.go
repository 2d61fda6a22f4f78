package http

import (
	"errors"
	"net/http"
	"net/url"

	"hark"
)

// submitPage is the data of templates/submit.html.
type submitPage struct {
	RSS   string
	Error string
	CSRF  string // the form's CSRF token (csrfField)
}

// handleSubmitForm handles "GET /submit".
func (s *Server) handleSubmitForm(w http.ResponseWriter, r *http.Request) error {
	sp := submitPage{RSS: r.URL.Query().Get("rss"), CSRF: s.csrfToken(w, r)}
	return s.render(w, http.StatusOK, "submit", page{Title: "Add a podcast", Data: sp})
}

// handleSubmitCreate handles "POST /submit": it adds the feed and sends the user to the
// podcast's page, or shows the form again with what was wrong.
func (s *Server) handleSubmitCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := parseForm(w, r)
	if err != nil {
		return err
	}
	sp := submitPage{RSS: p.str("rss"), CSRF: s.csrfToken(w, r)}
	again := func(status int, msg string) error {
		sp.Error = msg
		return s.render(w, status, "submit", page{Title: "Add a podcast", Data: sp})
	}
	if sp.RSS == "" {
		return again(http.StatusBadRequest, "Enter the address of the podcast's RSS feed.")
	}
	pod, created, err := s.submit.SubmitFeedFrom(r.Context(), sp.RSS, origin(r))
	if errors.Is(err, hark.ErrInvalid) {
		msg := hark.ErrorMessage(err)
		if msg == "" {
			msg = "That address does not work as a podcast feed."
		}
		return again(http.StatusBadRequest, msg)
	}
	if errors.Is(err, hark.ErrTooMany) {
		w.Header().Set("Retry-After", retrySeconds(hark.RetryAfter(err)))
		return again(http.StatusTooManyRequests, hark.ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	flash := "known"
	if created {
		flash = "new"
	}
	http.Redirect(w, r, podcastPath(pod.ID, pod.Title)+"?"+url.Values{"submitted": {flash}}.Encode(), http.StatusSeeOther)
	return nil
}
