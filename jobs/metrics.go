package jobs

import (
	"github.com/prometheus/client_golang/prometheus"

	"hark/internal/prom"
)

// metrics are the jobs' Prometheus collectors, registered on Config.Registry so that a test or a
// second client in one process gets series of its own rather than the default registry's.
type metrics struct {
	parses                *prometheus.CounterVec // changed feed bodies parsed, by mode
	crawls                *prometheus.CounterVec // crawls by result: ok, failed (the feed), error (Hark's)
	indexDriftPodcasts    prometheus.Gauge
	indexRepairs          prometheus.Counter
	indexReconcileLastRun prometheus.Gauge
}

// newMetrics registers the jobs' collectors on reg, or on Prometheus's default registry when reg
// is nil; collectors already on reg are shared.
func newMetrics(reg prometheus.Registerer) *metrics {
	if reg == nil {
		reg = prometheus.DefaultRegisterer
	}
	return &metrics{
		parses: prom.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hark_crawl_parses_total",
			Help: "Changed feed bodies parsed, by mode: full, or only the items new since the last crawl.",
		}, []string{"mode"})),
		crawls: prom.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hark_crawls_total",
			Help: "Feed crawls by result: ok (fetched, unchanged or stored), failed (the feed could not be fetched or parsed) or error (Hark's own, retried).",
		}, []string{"result"})),
		indexDriftPodcasts: prom.Register(reg, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "hark_index_drift_podcasts",
			Help: "Podcasts whose search documents differed from Postgres in the last reconcile run.",
		})),
		indexRepairs: prom.Register(reg, prometheus.NewCounter(prometheus.CounterOpts{
			Name: "hark_index_repairs_total",
			Help: "Podcasts the reconcile job repaired: reindexed from Postgres, or removed from the index when Postgres no longer has them.",
		})),
		indexReconcileLastRun: prom.Register(reg, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "hark_index_reconcile_last_run_timestamp_seconds",
			Help: "When the last reconcile run that finished without error ended, in Unix seconds.",
		})),
	}
}
