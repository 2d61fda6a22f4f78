package http

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hark"
)

// MaxBodyBytesDefault is Config.MaxBodyBytes when it is 0.
const MaxBodyBytesDefault = 1 << 20

// errTooLarge means the request body is over the limit; it maps to 413.
var errTooLarge = errors.New("request body too large")

// limitClient rate-limits keyless requests per client address (Config.AddrRate).
func (s *Server) limitClient(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.allowAddr(r); err != nil {
			s.serveError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// allowAddr takes a token from the client address's bucket, or returns the 429 to answer.
func (s *Server) allowAddr(r *http.Request) error {
	ok, retry := s.limiter.Allow("addr "+limitKey(clientOf(r).addr), s.cfg.AddrRate)
	if ok {
		return nil
	}
	return hark.Limitf(retry, "Too many requests from your address: at most %s a second. Try again in %s.",
		formatRate(s.cfg.AddrRate.PerSecond), retrySeconds(retry)+"s")
}

// allowKey takes a token from the API key's bucket (rateOf says its rate).
func (s *Server) allowKey(k hark.APIKey, p hark.Plan) error {
	rate := s.rateOf(k, p)
	ok, retry := s.limiter.Allow("key "+strconv.FormatInt(k.ID, 10), rate)
	if ok {
		return nil
	}
	return hark.Limitf(retry, "This API key sends more than its %s requests a second. Try again in %ss.",
		formatRate(rate.PerSecond), retrySeconds(retry))
}

// retrySeconds is a Retry-After value: whole seconds, at least one.
func retrySeconds(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}

func formatRate(perSecond float64) string { return strconv.FormatFloat(perSecond, 'f', -1, 64) }

// limitBody bounds the body of every request that may carry one, to Config.MaxBodyBytes, or to
// the size of a feed on the WebSub callback, where hubs post whole feeds. A body declared too
// large is refused before it is read; one that turns out too large fails its read with
// *http.MaxBytesError, which the error adapter answers 413.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		limit := s.cfg.MaxBodyBytes
		if strings.HasPrefix(r.URL.Path, "/websub/") {
			limit = maxNotificationBytes
		}
		if r.ContentLength > limit {
			s.serveError(w, r, tooLarge(limit))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

func tooLarge(limit int64) error {
	return hark.Errorf(errTooLarge, "The request body is larger than the %d bytes Hark accepts.", limit)
}

// bodyError turns the error of reading a limited body into the 413 it deserves, when it is one.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge(mbe.Limit)
	}
	return nil
}

// apiKeyKey holds the authenticated API key in a request's context.
const apiKeyKey ctxKey = iota + 200

// withAPIKey returns ctx carrying k.
func withAPIKey(ctx context.Context, k hark.APIKey) context.Context {
	return context.WithValue(ctx, apiKeyKey, k)
}

// origin says who sent r, for the caps on submissions.
func origin(r *http.Request) hark.Origin {
	k, _ := r.Context().Value(apiKeyKey).(hark.APIKey)
	return hark.Origin{APIKeyID: k.ID, Addr: limitKey(clientOf(r).addr)}
}
