package http

import (
	"net/http"
	"strconv"
	"strings"

	"hark"
	"hark/ratelimit"
)

// paidOperations are the operations the Listen API spec reserves for its PRO and ENTERPRISE
// plans ("This endpoint is available only in the PRO/ENTERPRISE plan"), by method and path
// under /api/v2.
var paidOperations = map[string]bool{
	"POST /episodes":        true,
	"POST /podcasts":        true,
	"GET /related_searches": true,
	"GET /spellcheck":       true,
}

// planOf returns the plan key k is on.
func (s *Server) planOf(k hark.APIKey) hark.Plan { return s.cfg.Plans.Of(k.Plan) }

// quotaOf is k's monthly quota: its own, else its plan's; 0 is unlimited.
func quotaOf(k hark.APIKey, p hark.Plan) int {
	if k.MonthlyQuota > 0 {
		return k.MonthlyQuota
	}
	return p.MonthlyQuota
}

// rateOf is k's rate: its own, else its plan's, else the server's (Config.KeyRate).
func (s *Server) rateOf(k hark.APIKey, p hark.Plan) ratelimit.Rate {
	switch {
	case k.RateLimit > 0:
		return ratelimit.Rate{PerSecond: float64(k.RateLimit), Burst: k.RateLimit}
	case p.Rate > 0:
		return ratelimit.Rate{PerSecond: float64(p.Rate), Burst: p.Rate}
	}
	return s.cfg.KeyRate
}

// checkPlan refuses a request its plan does not cover: a paid operation on a plan that is not
// paid (401, the status the spec gives for it), or a search offset past the plan's depth (400,
// like any offset out of range). Other bad parameters are left to the handlers.
func checkPlan(r *http.Request, p hark.Plan) error {
	op := r.Method + " " + strings.TrimPrefix(r.URL.Path, "/api/v2")
	if paidOperations[op] && !p.Paid {
		return hark.Errorf(hark.ErrUnauthorized,
			"This endpoint is available only on a paid plan; this API key is on the %s plan.", p.Name)
	}
	if op != "GET /search" || p.SearchDepth == 0 {
		return nil
	}
	offset, err := strconv.Atoi(r.URL.Query().Get("offset"))
	if err == nil && offset >= p.SearchDepth {
		return hark.Errorf(hark.ErrInvalid,
			"offset: the %s plan shows the first %d results of a search (offset below %d).",
			p.Name, p.SearchDepth, p.SearchDepth)
	}
	return nil
}
