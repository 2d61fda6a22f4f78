package http

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hark/db"
)

// planKeyless is the plan label of API requests made without a (valid) key.
const planKeyless = "none"

// latencyBounds are the upper bounds, in ms, of the search latency buckets ops_counts keeps;
// a search slower than the last lands in "inf".
var latencyBounds = []int{5, 10, 25, 50, 100, 250, 500, 1000, 2500}

// planKey holds, in an API request's context, where authenticate writes the key's plan.
const planKey ctxKey = iota + 400

// withPlanHolder gives an API request a place for its plan, which the tally reads afterwards.
func withPlanHolder(r *http.Request) (*http.Request, *string) {
	if !strings.HasPrefix(r.URL.Path, "/api/v2/") {
		return r, nil
	}
	plan := planKeyless
	return r.WithContext(context.WithValue(r.Context(), planKey, &plan)), &plan
}

// notePlan records the plan of the request's key for the tally.
func notePlan(ctx context.Context, plan string) {
	if p, ok := ctx.Value(planKey).(*string); ok {
		*p = plan
	}
}

// tallyRequest counts an answered request for the /admin charts: API requests by plan and
// status class, and the latency of searches (the API's and the search page's).
func (s *Server) tallyRequest(plan *string, route string, status int, elapsed time.Duration) {
	t := s.cfg.Tally
	if t == nil {
		return
	}
	if plan != nil {
		t.Add(db.MetricAPIRequests, *plan+" "+strconv.Itoa(status/100)+"xx", 1)
	}
	if route == "GET /api/v2/search" || route == "GET /search" {
		t.Add(db.MetricSearchLatency, latencyBucket(elapsed), 1)
	}
}

// latencyBucket is the label of the latency bucket d falls in.
func latencyBucket(d time.Duration) string {
	ms := d.Milliseconds()
	for _, b := range latencyBounds {
		if ms < int64(b) {
			return strconv.Itoa(b)
		}
	}
	return "inf"
}

// latencySeries draws the median, 95th and 99th percentile of each bucket of sp from the
// latency histograms in rows.
func latencySeries(rows []db.OpsCount, sp span) []series {
	hist := make([]map[string]int64, sp.n)
	for _, r := range rows {
		if b := sp.index(r.Hour); b >= 0 {
			if hist[b] == nil {
				hist[b] = map[string]int64{}
			}
			hist[b][r.Label] += r.N
		}
	}
	out := []series{{Name: "p50", Class: "c0"}, {Name: "p95", Class: "warn"}, {Name: "p99", Class: "bad"}}
	for i, q := range []float64{0.5, 0.95, 0.99} {
		out[i].Values = make([]float64, sp.n)
		for b, h := range hist {
			out[i].Values[b] = percentile(h, q)
		}
	}
	return out
}

// percentile estimates quantile q from a latency histogram, interpolating within the bucket it
// falls in; searches over the last bound count as the last bound. 0 for no searches.
func percentile(h map[string]int64, q float64) float64 {
	var total int64
	for _, n := range h {
		total += n
	}
	if total == 0 {
		return 0
	}
	want := q * float64(total)
	var seen float64
	lower := 0.0
	for _, b := range latencyBounds {
		n := float64(h[strconv.Itoa(b)])
		if seen+n >= want && n > 0 {
			return lower + (float64(b)-lower)*(want-seen)/n
		}
		seen += n
		lower = float64(b)
	}
	return lower
}
