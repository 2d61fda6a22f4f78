package http

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"hark/db"
)

// overviewPage is the data of templates/admin_overview.html.
type overviewPage struct {
	Health    db.CrawlHealth
	Lag       db.IndexBacklog
	Drift     int64
	Queued    int64
	Queue     []db.QueueDepth
	QueueSVG  chartHTML
	Deletions int
	Rows      []chartRow
}

// chartRow is one figure over the last 24 hours and the last 30 days, side by side.
type chartRow struct {
	Title     string
	Day, Days chart
}

// seriesSpec maps the labels of ops_counts rows onto a series.
type seriesSpec struct {
	Key, Name, Class string
}

var (
	crawlSeries = []seriesSpec{{"failed", "failed", "bad"}, {"changed", "new content", "ok"}, {"unchanged", "unchanged", "calm"}}
	// statusSeries are keyed by the status class at the end of an api_requests label.
	statusSeries = []seriesSpec{{"5xx", "5xx", "bad"}, {"4xx", "4xx", "warn"}, {"3xx", "3xx", "calm"}, {"2xx", "2xx", "ok"}}
	planClasses  = []string{"c0", "c1", "c2", "c3", "c4"}
)

// handleAdminOverview handles "GET /admin".
func (s *Server) handleAdminOverview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	now := time.Now()
	day, days := last24h(now), last30d(now)
	var pg overviewPage
	var err error
	if pg.Health, err = s.store.FindCrawlHealth(ctx); err != nil {
		return err
	}
	if pg.Lag, err = s.store.FindIndexBacklog(ctx); err != nil {
		return err
	}
	if pg.Queue, err = s.store.FindQueueDepths(ctx); err != nil {
		return err
	}
	for _, q := range pg.Queue {
		pg.Queued += q.Available + q.Retryable
	}
	pg.QueueSVG = queueChart(pg.Queue)
	reqs, err := s.store.FindDeletionRequests(ctx, 0)
	if err != nil {
		return err
	}
	pg.Deletions = len(reqs)
	if pg.Rows, pg.Drift, err = s.overviewCharts(ctx, day, days); err != nil {
		return err
	}
	return s.renderAdmin(w, r, "admin_overview", "Overview", pg)
}

// overviewCharts reads the last 30 days of each figure once and draws both spans from it.
func (s *Server) overviewCharts(ctx context.Context, day, days span) ([]chartRow, int64, error) {
	counts := map[string][]db.OpsCount{}
	for _, m := range []string{db.MetricCrawls, db.MetricEpisodesAdded, db.MetricAPIRequests, db.MetricSearchLatency, db.MetricIndexDrift} {
		rows, err := s.store.FindOpsCounts(ctx, m, days.start)
		if err != nil {
			return nil, 0, err
		}
		counts[m] = rows
	}
	signups, err := s.store.CountSignupsSince(ctx, days.start)
	if err != nil {
		return nil, 0, err
	}
	signupRows := make([]db.OpsCount, len(signups))
	for i, c := range signups {
		signupRows[i] = db.OpsCount{Hour: c.Hour, N: c.N}
	}
	var drift int64
	if d := counts[db.MetricIndexDrift]; len(d) > 0 {
		drift = d[len(d)-1].N
	}
	plans := planSeries(counts[db.MetricAPIRequests])
	both := func(title string, draw func(span) chart) chartRow {
		return chartRow{Title: title, Day: draw(day), Days: draw(days)}
	}
	return []chartRow{
		both("Crawls by outcome", func(sp span) chart {
			return chart{Title: "Crawls", Span: sp, Series: bucketSeries(counts[db.MetricCrawls], sp, crawlSeries, identity, false)}
		}),
		both("Episodes added", func(sp span) chart {
			return chart{Title: "Episodes added", Span: sp, Series: bucketSeries(counts[db.MetricEpisodesAdded], sp,
				[]seriesSpec{{"", "episodes", "c0"}}, identity, false)}
		}),
		both("API requests by status", func(sp span) chart {
			return chart{Title: "API requests by status", Span: sp, Series: bucketSeries(counts[db.MetricAPIRequests], sp, statusSeries, lastWord, false)}
		}),
		both("API requests by plan", func(sp span) chart {
			return chart{Title: "API requests by plan", Span: sp, Series: bucketSeries(counts[db.MetricAPIRequests], sp, plans, firstWord, false)}
		}),
		both("Search latency (ms)", func(sp span) chart {
			return chart{Title: "Search latency", Unit: " ms", Lines: true, Span: sp, Series: latencySeries(counts[db.MetricSearchLatency], sp)}
		}),
		both("Sign-ups", func(sp span) chart {
			return chart{Title: "Sign-ups", Span: sp, Series: bucketSeries(signupRows, sp, []seriesSpec{{"", "sign-ups", "c1"}}, identity, false)}
		}),
		both("Index drift", func(sp span) chart {
			return chart{Title: "Index drift", Gauge: true, Span: sp, Series: bucketSeries(counts[db.MetricIndexDrift], sp,
				[]seriesSpec{{"", "drifted podcasts", "warn"}}, identity, true)}
		}),
	}, drift, nil
}

// bucketSeries sums rows into sp's buckets, one series per spec, matching key(row label) to
// Spec.Key. A gauge keeps the highest value of a bucket rather than the sum.
func bucketSeries(rows []db.OpsCount, sp span, specs []seriesSpec, key func(string) string, gauge bool) []series {
	out := make([]series, len(specs))
	for i, sc := range specs {
		out[i] = series{Name: sc.Name, Class: sc.Class, Values: make([]float64, sp.n)}
	}
	for _, r := range rows {
		b := sp.index(r.Hour)
		if b < 0 {
			continue
		}
		k := key(r.Label)
		for i, sc := range specs {
			if sc.Key != k {
				continue
			}
			if gauge {
				out[i].Values[b] = max(out[i].Values[b], float64(r.N))
			} else {
				out[i].Values[b] += float64(r.N)
			}
		}
	}
	return out
}

// planSeries is a series per plan named in the api_requests labels, keyless requests last.
func planSeries(rows []db.OpsCount) []seriesSpec {
	var plans []string
	for _, r := range rows {
		if p := firstWord(r.Label); !slices.Contains(plans, p) {
			plans = append(plans, p)
		}
	}
	slices.SortFunc(plans, func(a, b string) int {
		return strings.Compare(strings.Replace(a, planKeyless, "~", 1), strings.Replace(b, planKeyless, "~", 1))
	})
	specs := make([]seriesSpec, len(plans))
	for i, p := range plans {
		specs[i] = seriesSpec{p, p, planClasses[i%len(planClasses)]}
	}
	return specs
}

func identity(s string) string { return s }

func firstWord(s string) string { w, _, _ := strings.Cut(s, " "); return w }

func lastWord(s string) string { return s[strings.LastIndexByte(s, ' ')+1:] }
