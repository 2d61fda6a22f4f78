package http

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"hark/internal/prom"
)

// opsScrapeTimeout bounds the queries one scrape of the ops collector runs, below Prometheus's
// default scrape timeout of 10 s.
const opsScrapeTimeout = 5 * time.Second

// opsCollector reports, at each scrape, what the alerts in deploy/prometheus page on and no
// counter holds: whether Postgres and Typesense answer this process, the River queues' depth and
// the search index's backlog. Postgres's figures are left out of a scrape that cannot read them;
// hark_dependency_up then says why.
type opsCollector struct {
	// s is the server whose store and index a scrape reads: the last one built on the registry
	// (a process has one; tests build many on the default registry).
	s                                  atomic.Pointer[Server]
	up, jobs, pending, indexLagSeconds *prometheus.Desc
}

// registerOpsCollector registers the ops collector on reg, or points the one already there at s.
func registerOpsCollector(reg prometheus.Registerer, s *Server) {
	prom.Register(reg, newOpsCollector()).s.Store(s)
}

func newOpsCollector() *opsCollector {
	return &opsCollector{
		up: prometheus.NewDesc("hark_dependency_up",
			"Whether a dependency answered this process's readiness check at scrape time (1) or not (0).",
			[]string{"dependency"}, nil),
		jobs: prometheus.NewDesc("hark_jobs",
			"River jobs waiting or running, by queue and state (available, retryable, scheduled, running).",
			[]string{"queue", "state"}, nil),
		pending: prometheus.NewDesc("hark_index_pending",
			"Rows whose change the search index has not taken yet, by kind (podcast, episode).",
			[]string{"kind"}, nil),
		indexLagSeconds: prometheus.NewDesc("hark_index_lag_seconds",
			"How long the oldest change not yet in the search index has waited; 0 when none waits.",
			nil, nil),
	}
}

// Describe sends the collector's descriptions.
func (c *opsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.up
	ch <- c.jobs
	ch <- c.pending
	ch <- c.indexLagSeconds
}

// Collect checks the dependencies and, when Postgres answers, reads the queues and the backlog.
func (c *opsCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.s.Load()
	ctx, cancel := context.WithTimeout(context.Background(), opsScrapeTimeout)
	defer cancel()
	errs := s.checkDependencies(ctx)
	for name, err := range errs {
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, boolGauge(err == nil), name)
	}
	if errs["postgres"] != nil {
		return
	}
	counts, err := s.store.QueueCounts(ctx)
	if err != nil {
		s.logger.WarnContext(ctx, "Metrics: queue depth unread", slog.Any("error", err))
	}
	for _, q := range counts {
		ch <- prometheus.MustNewConstMetric(c.jobs, prometheus.GaugeValue, float64(q.Jobs), q.Queue, q.State)
	}
	b, err := s.store.FindIndexBacklog(ctx)
	if err != nil {
		s.logger.WarnContext(ctx, "Metrics: index backlog unread", slog.Any("error", err))
		return
	}
	ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(b.Podcasts), "podcast")
	ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(b.Episodes), "episode")
	ch <- prometheus.MustNewConstMetric(c.indexLagSeconds, prometheus.GaugeValue, b.Oldest.Seconds())
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
