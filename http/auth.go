package http

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hark"
	"hark/db"
)

// apiKeyHeader carries the API key, as in the Listen API.
const apiKeyHeader = "X-ListenAPI-Key"

// authenticate checks the API key, holds it to its rate and its plan, meters the request
// against it, and answers 401 for a missing or wrong key (or an operation its plan lacks) and
// 429 over the key's rate or its monthly quota. A refused request is not counted. Every answer
// to a valid key carries the usage headers. Without Config.RequireAPIKey, requests without a
// key, or with an unknown one, go through unmetered, limited per client address instead.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimSpace(r.Header.Get(apiKeyHeader))
		k, used, err := s.findKey(r, key)
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		if k.ID == 0 {
			next.ServeHTTP(w, r)
			return
		}
		plan := s.planOf(k)
		notePlan(r.Context(), plan.Name)
		quota := quotaOf(k, plan)
		resets := nextBillingDate(time.Now())
		usage := db.APIUsage{Requests: used, Quota: quota}
		if err := s.allowKey(k, plan); err != nil {
			setUsageHeaders(w.Header(), usage, resets)
			s.serveError(w, r, err)
			return
		}
		if err := checkPlan(r, plan); err != nil {
			setUsageHeaders(w.Header(), usage, resets)
			s.serveError(w, r, err)
			return
		}
		k, usage, err = s.cfg.Keys.MeterAPIKey(r.Context(), key, quota)
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		usage.Quota = quota
		setUsageHeaders(w.Header(), usage, resets)
		if usage.Spent {
			s.quotaExhausted(r, k, quota)
			s.serveError(w, r, hark.Limitf(time.Until(resets),
				"this API key has used its monthly quota of %d requests; it resets on %s",
				quota, resets.Format("January 2, 2006")))
			return
		}
		next.ServeHTTP(w, r.WithContext(withAPIKey(r.Context(), k)))
	})
}

// findKey returns the request's key and its requests this month, counting nothing. It returns
// the zero key for a keyless request that may go on (limited by address).
func (s *Server) findKey(r *http.Request, key string) (hark.APIKey, int64, error) {
	if key == "" {
		if s.cfg.RequireAPIKey {
			return hark.APIKey{}, 0, hark.Errorf(hark.ErrUnauthorized, "missing API key: send it in the %s header", apiKeyHeader)
		}
		return hark.APIKey{}, 0, s.allowAddr(r)
	}
	k, used, err := s.cfg.Keys.FindAPIKey(r.Context(), key)
	if errors.Is(err, hark.ErrUnauthorized) && !s.cfg.RequireAPIKey {
		return hark.APIKey{}, 0, s.allowAddr(r)
	}
	return k, used, err
}

// requestKey returns the API key the request was authenticated with, and whether it has one.
func requestKey(r *http.Request) (hark.APIKey, bool) {
	k, ok := r.Context().Value(apiKeyKey).(hark.APIKey)
	return k, ok
}

// billingDateLayout is how X-ListenAPI-NextBillingDate is written: the official Go client parses
// it with this layout, which takes a numeric offset and never "Z".
const billingDateLayout = "2006-01-02T15:04:05.999999-07:00"

// nextBillingDate is when quotas reset: the start of the next calendar month, UTC, as api_usage
// counts requests per month.
func nextBillingDate(now time.Time) time.Time {
	y, m, _ := now.UTC().Date()
	return time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC)
}

// setUsageHeaders sets the Listen API's usage headers. A key without a quota gets no
// X-ListenAPI-FreeQuota.
func setUsageHeaders(h http.Header, u db.APIUsage, resets time.Time) {
	h.Set("X-ListenAPI-Usage", strconv.FormatInt(u.Requests, 10))
	if u.Quota > 0 {
		h.Set("X-ListenAPI-FreeQuota", strconv.Itoa(u.Quota))
	}
	h.Set("X-ListenAPI-NextBillingDate", resets.Format(billingDateLayout))
}
