package http

import (
	"cmp"
	"errors"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"hark"
	"hark/db"
	"hark/ratelimit"
)

// SignupDailyCapDefault is Config.SignupDailyCap when it is 0.
const SignupDailyCapDefault = 500

// signupRate bounds the keys one address may sign up for: three at once, then one an hour.
var signupRate = ratelimit.Rate{PerSecond: 1.0 / 3600, Burst: 3}

// signupPage is the data of templates/signup.html.
type signupPage struct {
	Email, Name string
	Error       string
	CSRF        string
	Plan        hark.Plan
	Key         string // the new key, shown once; empty until sign-up succeeded
	Prefix      string
}

// handleSignupForm handles "GET /signup".
func (s *Server) handleSignupForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderSignup(w, http.StatusOK, signupPage{CSRF: s.csrfToken(w, r)})
}

func (s *Server) renderSignup(w http.ResponseWriter, status int, sp signupPage) error {
	sp.Plan = s.cfg.Plans.Of(hark.PlanFree)
	// The page may show a key: no cache keeps it.
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, status, "signup", page{Title: "Get an API key", Data: sp})
}

// handleSignupCreate handles "POST /signup": it gives a free key, shown on the page it answers
// with and never again (Postgres keeps its hash).
func (s *Server) handleSignupCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := parseForm(w, r)
	if err != nil {
		return err
	}
	sp := signupPage{Email: strings.TrimSpace(p.str("email")), Name: strings.TrimSpace(p.str("name")),
		CSRF: s.csrfToken(w, r)}
	again := func(status int, msg string) error {
		sp.Error = msg
		return s.renderSignup(w, status, sp)
	}
	if a, err := mail.ParseAddress(sp.Email); err != nil || a.Address != sp.Email || len(sp.Email) > 254 {
		return again(http.StatusBadRequest, "Enter an email address, like you@example.com.")
	}
	if len(sp.Name) > 100 {
		return again(http.StatusBadRequest, "The name can be at most 100 characters.")
	}
	if err := s.allowSignup(r); errors.Is(err, hark.ErrTooMany) {
		w.Header().Set("Retry-After", retrySeconds(hark.RetryAfter(err)))
		return again(http.StatusTooManyRequests, hark.ErrorMessage(err))
	} else if err != nil {
		return err
	}
	key, k, err := s.createSignupKey(r.Context(), db.NewAPIKey{
		Name: cmp.Or(sp.Name, sp.Email), Email: sp.Email, Plan: hark.PlanFree})
	if err != nil {
		return err
	}
	sp.Key, sp.Prefix = key, k.Prefix
	return s.renderSignup(w, http.StatusCreated, sp)
}

// allowSignup holds sign-ups to signupRate per address and Config.SignupDailyCap a day.
func (s *Server) allowSignup(r *http.Request) error {
	if ok, retry := s.limiter.Allow("signup "+limitKey(clientOf(r).addr), signupRate); !ok {
		return hark.Limitf(retry, "Too many keys asked for from your address. Try again in %s minutes.",
			retryMinutes(retry))
	}
	n, err := s.store.CountSignups(r.Context())
	if err != nil {
		return err
	}
	if n >= s.cfg.SignupDailyCap {
		now := time.Now().UTC()
		tomorrow := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
		return hark.Limitf(tomorrow.Sub(now), "Hark has given out all the keys it gives in a day. Try again tomorrow.")
	}
	return nil
}

func retryMinutes(d time.Duration) string {
	return formatRate(float64(int(d.Minutes()) + 1))
}
