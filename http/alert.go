package http

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"hark"
	"hark/db"
)

// Alert limits.
const (
	alertQueryMax  = 200
	alertsPerKey   = 100
	webhookURLMax  = 2048
	alertSecretLen = 32 // random bytes, shown hex-encoded
)

// alertJSON is an alert as the API shows it. Secret is shown once, in the answer to its creation.
type alertJSON struct {
	ID          int64  `json:"id"`
	Q           string `json:"q"`
	Language    string `json:"language,omitempty"`
	GenreIDs    []int  `json:"genre_ids"`
	PodcastID   string `json:"podcast_id,omitempty"`
	WebhookURL  string `json:"webhook_url"`
	Secret      string `json:"secret,omitempty"`
	CreatedAtMS int64  `json:"created_at_ms"`
}

func alertView(a db.Alert) alertJSON {
	return alertJSON{ID: a.ID, Q: a.Query, Language: languageName(a.Language), GenreIDs: nonNilInts(a.GenreIDs),
		PodcastID: a.PodcastID, WebhookURL: a.WebhookURL, CreatedAtMS: ms(a.CreatedAt)}
}

// alertOwner returns the ID of the request's API key; alerts belong to one.
func alertOwner(r *http.Request) (int64, error) { return keyOwner(r, "alerts") }

// keyOwner returns the ID of the request's API key, for things (what) that belong to one.
func keyOwner(r *http.Request, what string) (int64, error) {
	k, ok := requestKey(r)
	if !ok {
		return 0, hark.Errorf(hark.ErrUnauthorized, "%s belong to API keys: send yours in the %s header", what, apiKeyHeader)
	}
	return k.ID, nil
}

// handleAlertCreate handles "POST /api/v2/alerts", a Hark extension: save a search (q, and the
// filters language, genre_ids and podcast_id) whose newly indexed matches are posted to
// webhook_url. The answer carries the secret that signs the posts, shown this once.
func (s *Server) handleAlertCreate(w http.ResponseWriter, r *http.Request) error {
	owner, err := alertOwner(r)
	if err != nil {
		return err
	}
	p, err := parseForm(w, r)
	if err != nil {
		return err
	}
	a := db.Alert{APIKeyID: owner, Query: p.str("q"), Language: searchLanguage(p, "language"),
		GenreIDs: genreIDs(p, "genre_ids"), WebhookURL: webhookURL(p, "webhook_url")}
	if ids := p.ids("podcast_id", "a podcast", 1); len(ids) == 1 {
		a.PodcastID = ids[0]
	}
	if n := len([]rune(a.Query)); n == 0 || n > alertQueryMax {
		p.fail("q", "is required, at most %d characters", alertQueryMax)
	}
	if p.err != nil {
		return p.err
	}
	existing, err := s.store.FindAlerts(r.Context(), owner)
	if err != nil {
		return err
	}
	if len(existing) >= alertsPerKey {
		return hark.Errorf(hark.ErrInvalid, "a key may keep at most %d alerts: delete one first", alertsPerKey)
	}
	if a.Secret, err = newSecret(); err != nil {
		return err
	}
	a, err = s.store.CreateAlert(r.Context(), a)
	if err != nil {
		return err
	}
	v := alertView(a)
	v.Secret = a.Secret
	writeJSON(w, http.StatusCreated, v)
	return nil
}

// handleAlertList handles "GET /api/v2/alerts": the alerts of the request's key, without secrets.
func (s *Server) handleAlertList(w http.ResponseWriter, r *http.Request) error {
	owner, err := alertOwner(r)
	if err != nil {
		return err
	}
	alerts, err := s.store.FindAlerts(r.Context(), owner)
	if err != nil {
		return err
	}
	resp := struct {
		Alerts []alertJSON `json:"alerts"`
	}{Alerts: []alertJSON{}}
	for _, a := range alerts {
		resp.Alerts = append(resp.Alerts, alertView(a))
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// handleAlertDelete handles "DELETE /api/v2/alerts/{id}": it deletes one of the key's alerts.
func (s *Server) handleAlertDelete(w http.ResponseWriter, r *http.Request) error {
	owner, err := alertOwner(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return hark.Errorf(hark.ErrNotFound, "no such alert")
	}
	a, err := s.store.DeleteAlert(r.Context(), owner, id)
	if errors.Is(err, hark.ErrNotFound) {
		return hark.Errorf(hark.ErrNotFound, "no such alert")
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, alertView(a))
	return nil
}

// webhookURL reads an absolute http or https URL. Where it may point (no private addresses, only
// the outbound ports) is checked by the outbound client each time it is called.
func webhookURL(p *params, name string) string {
	raw := p.str(name)
	u, err := url.Parse(raw)
	if raw == "" || len(raw) > webhookURLMax || err != nil || u.Host == "" ||
		(!strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https")) {
		p.fail(name, "must be an http or https URL of at most %d characters", webhookURLMax)
		return ""
	}
	return raw
}

// submitOrigin is origin(r) with the webhook_url of a submission, if any, and a new secret for it.
func submitOrigin(r *http.Request, p *params) (hark.Origin, error) {
	from := origin(r)
	if p.str("webhook_url") == "" {
		return from, nil
	}
	from.WebhookURL = webhookURL(p, "webhook_url")
	if p.err != nil {
		return from, p.err
	}
	var err error
	from.WebhookSecret, err = newSecret()
	return from, err
}

// newSecret returns a random webhook signing secret.
func newSecret() (string, error) {
	b := make([]byte, alertSecretLen)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
