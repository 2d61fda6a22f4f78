package http

import (
	"context"
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

// authenticate checks the API key, meters the request against it, and answers 401 for a missing
// or wrong key and 429 once the key's monthly quota is used up. Without Config.RequireAPIKey,
// requests without a key, or with an unknown one, go through unmetered.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimSpace(r.Header.Get(apiKeyHeader))
		if key == "" {
			if s.cfg.RequireAPIKey {
				s.serveError(w, r, hark.Errorf(hark.ErrUnauthorized, "missing API key: send it in the %s header", apiKeyHeader))
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		k, usage, err := s.cfg.Keys.AuthenticateAPIKey(r.Context(), key)
		if err != nil {
			if errors.Is(err, hark.ErrUnauthorized) && !s.cfg.RequireAPIKey {
				next.ServeHTTP(w, r)
				return
			}
			s.serveError(w, r, err)
			return
		}
		resets := nextBillingDate(time.Now())
		setUsageHeaders(w.Header(), usage, resets)
		if usage.Quota > 0 && usage.Requests > int64(usage.Quota) {
			s.serveError(w, r, hark.Errorf(errQuotaExceeded,
				"this API key has used its monthly quota of %d requests; it resets on %s",
				usage.Quota, resets.Format("January 2, 2006")))
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), apiKeyKey, k)))
	})
}

// apiKeyKey keys the authenticated hark.APIKey in a request's context.
const apiKeyKey ctxKey = requestIDKey + 1

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
