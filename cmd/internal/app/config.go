package app

import (
	"fmt"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"hark"
)

// Config is Hark's configuration: one field for each row of Vars (the variable is named beside
// the field), where its default and meaning are written. Commands fill it with LoadConfig and
// may then change fields for their run (a flag, the demo's loopback feeds, the bench's schema).
type Config struct {
	DatabaseURL            string        // DATABASE_URL
	TypesenseURLs          []string      // TYPESENSE_URL
	TypesenseAPIKey        string        // TYPESENSE_API_KEY
	TypesensePrefix        string        // TYPESENSE_PREFIX
	TypesenseImportTimeout time.Duration // TYPESENSE_IMPORT_TIMEOUT
	HTTPAddr               string        // HTTP_ADDR
	BaseURL                string        // BASE_URL
	LogLevel               slog.Level    // LOG_LEVEL
	LogFormat              string        // LOG_FORMAT
	RequireAPIKey          bool          // API_REQUIRE_KEY
	CrawlAllowLoopback     bool          // CRAWL_ALLOW_LOOPBACK
	CrawlLoopbackOnly      bool          // CRAWL_LOOPBACK_ONLY
	OutboundPorts          []uint16      // OUTBOUND_PORTS
	CrawlWorkers           int           // CRAWL_WORKERS
	CrawlPerHost           int           // CRAWL_PER_HOST
	CrawlTimeout           time.Duration // CRAWL_TIMEOUT
	CrawlMaxBodyBytes      int64         // CRAWL_MAX_BODY_BYTES
	CrawlUserAgent         string        // CRAWL_USER_AGENT
	ScheduleInterval       time.Duration // CRAWL_SCHEDULE_INTERVAL
	ReconcileInterval      time.Duration // RECONCILE_INTERVAL
	DemoFeedsAddr          string        // DEMO_FEEDS_ADDR
	// GOGC is the variable as set, "" when unset: the Go runtime reads it itself, and the web
	// server sets its own target only when it is unset.
	GOGC string // GOGC

	// What the web server lets in: operator access, proxies, timeouts and abuse limits.
	MetricsToken       string         // METRICS_TOKEN
	TrustedProxies     []netip.Prefix // TRUSTED_PROXIES
	HTTPReadTimeout    time.Duration  // HTTP_READ_TIMEOUT
	HTTPWriteTimeout   time.Duration  // HTTP_WRITE_TIMEOUT
	HTTPIdleTimeout    time.Duration  // HTTP_IDLE_TIMEOUT
	HTTPMaxBodyBytes   int64          // HTTP_MAX_BODY_BYTES
	RateAddrPerSecond  int            // RATE_ADDR_PER_SECOND
	RateAddrBurst      int            // RATE_ADDR_BURST
	RateKeyPerSecond   int            // RATE_KEY_PER_SECOND
	Plans              hark.Plans     // PLANS
	SignupDailyCap     int            // SIGNUP_DAILY_CAP
	CountryHeader      string         // COUNTRY_HEADER
	AudienceMinPlays   int            // AUDIENCE_MIN_PLAYS
	SubmitDailyPerAddr int            // SUBMIT_DAILY_PER_ADDR
	SubmitDailyPerKey  int            // SUBMIT_DAILY_PER_KEY
	SubmitQueueMax     int            // SUBMIT_QUEUE_MAX
	SubmitCrawlWorkers int            // SUBMIT_CRAWL_WORKERS

	// The search cache of each web process (see package searchcache).
	SearchCacheEntries int           // SEARCH_CACHE_ENTRIES
	SearchCacheBytes   int64         // SEARCH_CACHE_BYTES
	SearchCacheTTL     time.Duration // SEARCH_CACHE_TTL
	// Operator events and retention.
	OpsWebhookURL          string        // OPS_WEBHOOK_URL
	OpsWebhookSecret       string        // OPS_WEBHOOK_SECRET
	RetainFailedJobs       time.Duration // RETAIN_FAILED_JOBS_DAYS
	RetainErrorEvents      time.Duration // RETAIN_ERROR_EVENTS_DAYS
	RetainSearchLog        time.Duration // RETAIN_SEARCH_LOG_DAYS
	RetainUsage            time.Duration // RETAIN_USAGE_DAYS
	RetainSubmissionCounts time.Duration // RETAIN_SUBMISSION_COUNTS_DAYS
	RetainUnusedArtwork    time.Duration // RETAIN_UNUSED_ARTWORK_DAYS
	// How `hark serve` stops on SIGTERM, and what a worker-only process serves.
	ShutdownDrainDelay time.Duration // SHUTDOWN_DRAIN_DELAY
	ShutdownTimeout    time.Duration // SHUTDOWN_TIMEOUT
	OpsAddr            string        // OPS_ADDR
}

// LoadConfig fills a Config from getenv (os.Getenv, or a map in tests) through the rows of
// Vars: a variable that is unset or blank takes the row's default. It returns the first bad
// value as an error that names its variable and never shows a secret.
func LoadConfig(getenv func(string) string) (Config, error) {
	var c Config
	for _, v := range Vars {
		value := getenv(v.Name)
		if strings.TrimSpace(value) == "" {
			value = v.Default
			if v.defaultFunc != nil {
				value = v.defaultFunc()
			}
		}
		if err := v.set(&c, value); err != nil {
			return c, fmt.Errorf("configuration: %s=%s %w", v.Name, v.quote(value), err)
		}
	}
	return c, nil
}

// LogAttrs is the configuration for the start-up log, one attribute a row (the variable's
// name in lower case): secrets show only that they are set, and the passwords a DATABASE_URL
// holds are masked in whichever form it is written.
func (c Config) LogAttrs() []any {
	attrs := make([]any, 0, len(Vars))
	for _, v := range Vars {
		attrs = append(attrs, slog.String(strings.ToLower(v.Name), v.redact(v.show(&c))))
	}
	return attrs
}

// quote is value as an error message shows it: quoted, with secrets hidden.
func (v Var) quote(value string) string {
	if v.Secret {
		return redacted(value)
	}
	return strconv.Quote(v.redact(value))
}

// redacted stands for a secret in logs and messages: it says whether one is set.
func redacted(s string) string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// redact hides what of s, a value of v, is secret.
func (v Var) redact(s string) string {
	switch {
	case v.Secret:
		return redacted(s)
	case v.mask != nil:
		return v.mask(s)
	}
	return s
}
