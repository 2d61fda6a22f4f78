package app

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"hark"
	"hark/feed"
	podhttp "hark/http"
	"hark/jobs"
	"hark/search"
	"hark/searchcache"
)

// Var is one environment variable Hark reads: a row of the table that LoadConfig parses,
// `hark help` lists and Config.LogAttrs logs, so that each variable is named, defaulted and
// documented once.
type Var struct {
	Name    string // as set in the environment
	Default string // taken when the variable is unset or blank, and parsed like a set value
	Doc     string // one line for `hark help`
	// Secret marks a value that no log line or error message shows: they say only whether it
	// is set.
	Secret bool

	defaultFunc func() string                   // when not nil, the default, computed at load; Default then says what it is
	set         func(c *Config, v string) error // parses v into its field; the error says what v should be
	show        func(c *Config) string          // the field as the start-up log shows it
	mask        func(string) string             // hides the secret parts of a value that is not Secret as a whole
}

// Vars is every variable Hark reads, in the order `hark help` lists them.
var Vars = []Var{
	row("DATABASE_URL", "postgres://postgres@127.0.0.1:54329/hark?sslmode=disable",
		func(c *Config) *string { return &c.DatabaseURL }, postgresDSN,
		"Postgres connection URL (postgres://…) or key=value string"),
	row("TYPESENSE_URL", search.NodeDefault, func(c *Config) *[]string { return &c.TypesenseURLs }, urlList,
		"Typesense node URL, or a comma-separated list of the nodes of a cluster"),
	withDefaultFunc(secret(row("TYPESENSE_API_KEY", "contents of .data/typesense.key",
		func(c *Config) *string { return &c.TypesenseAPIKey }, typesenseKey, "Typesense admin API key")), localTypesenseKey),
	row("TYPESENSE_PREFIX", "", func(c *Config) *string { return &c.TypesensePrefix }, text,
		"prefix for collection and alias names (several Harks on one Typesense)"),
	row("TYPESENSE_IMPORT_TIMEOUT", formatDuration(search.ImportTimeoutDefault),
		func(c *Config) *time.Duration { return &c.TypesenseImportTimeout }, duration,
		"time limit for one write to Typesense (a batch of documents, a schema change)"),
	row("HTTP_ADDR", ":8080", func(c *Config) *string { return &c.HTTPAddr }, text, "address the web server listens on"),
	row("BASE_URL", podhttp.BaseURLDefault, func(c *Config) *string { return &c.BaseURL }, httpURL,
		"public URL of the site, used in links the API returns"),
	row("LOG_LEVEL", "info", func(c *Config) *slog.Level { return &c.LogLevel }, logLevel, "debug, info, warn or error"),
	row("LOG_FORMAT", "text", func(c *Config) *string { return &c.LogFormat }, oneOf("text", "json"), "text or json"),
	row("API_REQUIRE_KEY", "true", func(c *Config) *bool { return &c.RequireAPIKey }, boolean,
		"require X-ListenAPI-Key on /api/v2"),
	row("CRAWL_ALLOW_LOOPBACK", "false", func(c *Config) *bool { return &c.CrawlAllowLoopback }, boolean,
		"allow crawling 127.0.0.0/8 and ::1 (tests and the demo only)"),
	row("CRAWL_LOOPBACK_ONLY", "false", func(c *Config) *bool { return &c.CrawlLoopbackOnly }, boolean,
		"fetch from localhost and 127.0.0.0/8 and ::1 only, refusing every other host before resolving it (tests and benchmarks of real feeds)"),
	row("OUTBOUND_PORTS", "80,443", func(c *Config) *[]uint16 { return &c.OutboundPorts }, portList,
		"ports Hark's outbound requests (feeds, transcripts, WebSub, webhooks) may connect to; CRAWL_ALLOW_LOOPBACK and CRAWL_LOOPBACK_ONLY open any port on loopback"),
	row("CRAWL_WORKERS", strconv.Itoa(jobs.CrawlWorkersDefault), func(c *Config) *int { return &c.CrawlWorkers }, count,
		"concurrent crawls (fetch, parse, store) per worker process"),
	row("CRAWL_PER_HOST", strconv.Itoa(feed.PerHostLimitDefault), func(c *Config) *int { return &c.CrawlPerHost }, count,
		"concurrent fetches from one host per worker process"),
	row("CRAWL_TIMEOUT", formatDuration(feed.TimeoutDefault), func(c *Config) *time.Duration { return &c.CrawlTimeout }, duration,
		"total time limit for one feed fetch"),
	row("CRAWL_MAX_BODY_BYTES", strconv.FormatInt(feed.MaxBodyBytesDefault, 10),
		func(c *Config) *int64 { return &c.CrawlMaxBodyBytes }, size,
		"largest feed body accepted, after decompression"),
	row("CRAWL_USER_AGENT", feed.UserAgentDefault, func(c *Config) *string { return &c.CrawlUserAgent }, text,
		"User-Agent sent to podcast hosts"),
	row("CRAWL_SCHEDULE_INTERVAL", formatDuration(jobs.ScheduleIntervalDefault),
		func(c *Config) *time.Duration { return &c.ScheduleInterval }, duration,
		"how often due podcasts are enqueued for crawling"),
	row("RECONCILE_INTERVAL", formatDuration(jobs.ReconcileIntervalDefault),
		func(c *Config) *time.Duration { return &c.ReconcileInterval }, duration,
		"how often the search index is compared with Postgres and repaired"),
	row("DEMO_FEEDS_ADDR", "127.0.0.1:8089", func(c *Config) *string { return &c.DemoFeedsAddr }, text,
		"where `hark demo` serves its generated feeds"),
	secret(row("METRICS_TOKEN", "", func(c *Config) *string { return &c.MetricsToken }, raw,
		"when set, Prometheus may scrape /metrics with Authorization: Bearer <token>")),
	row("TRUSTED_PROXIES", "", func(c *Config) *[]netip.Prefix { return &c.TrustedProxies }, prefixList,
		"comma-separated addresses or CIDR ranges of the proxies whose X-Forwarded-For and X-Forwarded-Proto are believed"),
	row("HTTP_READ_TIMEOUT", "30s", func(c *Config) *time.Duration { return &c.HTTPReadTimeout }, duration,
		"time limit for reading a whole request, body included"),
	row("HTTP_WRITE_TIMEOUT", "60s", func(c *Config) *time.Duration { return &c.HTTPWriteTimeout }, duration,
		"time limit for answering a request, from the end of its headers"),
	row("HTTP_IDLE_TIMEOUT", "2m", func(c *Config) *time.Duration { return &c.HTTPIdleTimeout }, duration,
		"how long a kept-alive connection may wait for its next request"),
	row("HTTP_MAX_BODY_BYTES", strconv.Itoa(podhttp.MaxBodyBytesDefault), func(c *Config) *int64 { return &c.HTTPMaxBodyBytes }, size,
		"largest request body accepted (413 over it); WebSub notifications may be as large as a feed"),
	row("RATE_ADDR_PER_SECOND", "10", func(c *Config) *int { return &c.RateAddrPerSecond }, limit,
		"requests per second each client address may send without an API key (pages, /suggest, submit, embeds); 0 is no limit"),
	row("RATE_ADDR_BURST", "40", func(c *Config) *int { return &c.RateAddrBurst }, count,
		"requests a client address may send at once before RATE_ADDR_PER_SECOND applies"),
	row("RATE_KEY_PER_SECOND", "25", func(c *Config) *int { return &c.RateKeyPerSecond }, limit,
		"requests per second an API key may send, unless the key has a rate of its own; 0 is no limit"),
	row("PLANS", hark.PlansDefault, func(c *Config) *hark.Plans { return &c.Plans }, plans,
		"API key plans, separated by ';': a name, then quota=N (requests a month, 0 unlimited), depth=N (search offsets below N), rate=N (a second, 0 takes RATE_KEY_PER_SECOND) and paid (the PRO/ENTERPRISE operations); a free plan is required"),
	row("SIGNUP_DAILY_CAP", strconv.Itoa(podhttp.SignupDailyCapDefault), func(c *Config) *int { return &c.SignupDailyCap }, count,
		"free API keys the sign-up page gives out per UTC day"),
	row("COUNTRY_HEADER", "", func(c *Config) *string { return &c.CountryHeader }, text,
		"request header in which a CDN in front of Hark gives the client's country (CF-IPCountry), for the audience counts of plays; unset, the region comes from Accept-Language"),
	row("AUDIENCE_MIN_PLAYS", strconv.Itoa(podhttp.AudienceMinPlaysDefault), func(c *Config) *int { return &c.AudienceMinPlays }, count,
		"plays of known region a podcast needs in 90 days before its audience by region is shown"),
	row("SUBMIT_DAILY_PER_ADDR", "20", func(c *Config) *int { return &c.SubmitDailyPerAddr }, limit,
		"new feeds a client address may submit per UTC day without an API key; 0 is no limit"),
	row("SUBMIT_DAILY_PER_KEY", "1000", func(c *Config) *int { return &c.SubmitDailyPerKey }, limit,
		"new feeds an API key may submit per UTC day; 0 is no limit"),
	row("SUBMIT_QUEUE_MAX", "1000", func(c *Config) *int { return &c.SubmitQueueMax }, limit,
		"submitted feeds that may wait for their first crawl at once; submissions over it get 429; 0 is no limit"),
	row("SUBMIT_CRAWL_WORKERS", strconv.Itoa(jobs.SubmissionWorkersDefault), func(c *Config) *int { return &c.SubmitCrawlWorkers }, count,
		"concurrent first crawls of submitted feeds per worker process, apart from the scheduled crawls"),
	row("SEARCH_CACHE_ENTRIES", strconv.Itoa(searchcache.EntriesDefault), func(c *Config) *int { return &c.SearchCacheEntries }, limit,
		"search and typeahead answers each web process keeps in memory; 0 turns the cache off"),
	row("SEARCH_CACHE_BYTES", strconv.Itoa(searchcache.BytesDefault), func(c *Config) *int64 { return &c.SearchCacheBytes }, size,
		"bytes the search cache's answers may hold in each web process"),
	row("SEARCH_CACHE_TTL", formatDuration(searchcache.TTLDefault), func(c *Config) *time.Duration { return &c.SearchCacheTTL }, durationOrOff,
		"longest a cached search answer is kept (each index batch drops them sooner); 0 turns the cache off"),
	secret(row("OPS_WEBHOOK_URL", "", func(c *Config) *string { return &c.OpsWebhookURL }, optionalURL,
		"Slack-compatible incoming webhook that gets operator events: sign-ups, submissions, deletion requests, error groups, crawl failure spikes, exhausted quotas")),
	secret(row("OPS_WEBHOOK_SECRET", "", func(c *Config) *string { return &c.OpsWebhookSecret }, raw,
		"when set, posts to OPS_WEBHOOK_URL carry X-Hark-Signature, an HMAC-SHA256 under it")),
	row("RETAIN_FAILED_JOBS_DAYS", "7", func(c *Config) *time.Duration { return &c.RetainFailedJobs }, days,
		"days River keeps discarded and cancelled jobs (completed ones go after 10 minutes); 0 keeps them"),
	row("RETAIN_ERROR_EVENTS_DAYS", "30", func(c *Config) *time.Duration { return &c.RetainErrorEvents }, days,
		"days error events are kept (their groups stay); 0 keeps them"),
	row("RETAIN_SEARCH_LOG_DAYS", "90", func(c *Config) *time.Duration { return &c.RetainSearchLog }, days,
		"days of search counts kept (related_searches reads 90); 0 keeps them"),
	row("RETAIN_USAGE_DAYS", "400", func(c *Config) *time.Duration { return &c.RetainUsage }, days,
		"days API usage rows (monthly and daily) are kept after their month or day ended; 0 keeps them"),
	row("RETAIN_SUBMISSION_COUNTS_DAYS", "7", func(c *Config) *time.Duration { return &c.RetainSubmissionCounts }, days,
		"days the daily submission counts are kept (the caps read today's); 0 keeps them"),
	row("RETAIN_UNUSED_ARTWORK_DAYS", "7", func(c *Config) *time.Duration { return &c.RetainUnusedArtwork }, days,
		"days artwork no show, episode or show notes name any longer is kept after its fetch; 0 keeps it"),
	row("SHUTDOWN_DRAIN_DELAY", "0s", func(c *Config) *time.Duration { return &c.ShutdownDrainDelay }, delay,
		"on SIGTERM, how long /readyz answers 503 before the web server stops accepting connections (the proxy's health-check interval or more)"),
	row("SHUTDOWN_TIMEOUT", "25s", func(c *Config) *time.Duration { return &c.ShutdownTimeout }, duration,
		"on SIGTERM, how long requests in flight and running jobs may take to finish before they are cancelled (a cancelled job goes back in the queue)"),
	row("OPS_ADDR", "", func(c *Config) *string { return &c.OpsAddr }, text,
		"where a worker-only process (serve -web=false) serves /healthz, /readyz and /metrics; empty: nowhere"),
	row("GOGC", "", func(c *Config) *string { return &c.GOGC }, gcPercent,
		"Go's garbage collector target; when unset, the web server sets "+strconv.Itoa(podhttp.GCPercent)+" (a search's garbage is short-lived)"),
}

// row binds the variable name to the Config field that field returns, parsed and shown as k.
func row[T any](name, def string, field func(*Config) *T, k kind[T], doc string) Var {
	return Var{
		Name: name, Default: def, Doc: doc, mask: k.mask,
		set: func(c *Config, v string) error {
			x, err := k.parse(v)
			if err != nil {
				return err
			}
			*field(c) = x
			return nil
		},
		show: func(c *Config) string {
			if k.show == nil {
				return fmt.Sprint(*field(c))
			}
			return k.show(*field(c))
		},
	}
}

func secret(v Var) Var { v.Secret = true; return v }

func withDefaultFunc(v Var, f func() string) Var { v.defaultFunc = f; return v }

// localTypesenseKey is the key `make demo` generates, so running the binary by hand in a
// checkout needs no environment.
func localTypesenseKey() string {
	b, err := os.ReadFile(".data/typesense.key")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// kind parses and shows one type of value. Its parse errors complete "NAME=value …".
type kind[T any] struct {
	parse func(string) (T, error)
	show  func(T) string      // default fmt.Sprint
	mask  func(string) string // hides the secrets inside a value, when it may hold some
}

var (
	text = kind[string]{parse: func(s string) (string, error) { return strings.TrimSpace(s), nil }}
	raw  = kind[string]{parse: func(s string) (string, error) { return s, nil }}

	typesenseKey = kind[string]{parse: func(s string) (string, error) {
		if s = strings.TrimSpace(s); s == "" {
			return "", errors.New("is empty (make demo writes one to .data/typesense.key)")
		}
		return s, nil
	}}

	postgresDSN = kind[string]{
		parse: func(s string) (string, error) {
			s = strings.TrimSpace(s)
			// pgx's own message may quote parts of the string: only the variable is named.
			if _, err := pgxpool.ParseConfig(s); err != nil {
				return "", errors.New("is not a Postgres URL (postgres://user@host/db) or key=value string")
			}
			return s, nil
		},
		mask: redactDSN,
	}

	urlList = kind[[]string]{
		parse: func(s string) ([]string, error) {
			var urls []string
			for _, u := range strings.Split(s, ",") {
				if u = strings.TrimSpace(u); u != "" {
					urls = append(urls, u)
				}
			}
			if len(urls) == 0 {
				return nil, errors.New("names no node")
			}
			return urls, nil
		},
		show: func(urls []string) string { return strings.Join(urls, ",") },
	}

	httpURL = kind[string]{parse: func(s string) (string, error) {
		s = strings.TrimRight(strings.TrimSpace(s), "/")
		if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
			return "", errors.New("must start with http:// or https://")
		}
		return s, nil
	}}

	portList = kind[[]uint16]{
		parse: func(s string) ([]uint16, error) {
			var ports []uint16
			for _, p := range strings.Split(s, ",") {
				n, err := strconv.ParseUint(strings.TrimSpace(p), 10, 16)
				if err != nil || n == 0 {
					return nil, errors.New("is not a comma-separated list of ports (1 to 65535)")
				}
				ports = append(ports, uint16(n))
			}
			return ports, nil
		},
		show: func(ports []uint16) string {
			s := make([]string, len(ports))
			for i, p := range ports {
				s[i] = strconv.Itoa(int(p))
			}
			return strings.Join(s, ",")
		},
	}

	boolean = kind[bool]{parse: func(s string) (bool, error) {
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return false, errors.New("is not true or false")
		}
		return b, nil
	}}

	duration = kind[time.Duration]{
		parse: func(s string) (time.Duration, error) {
			d, err := time.ParseDuration(strings.TrimSpace(s))
			if err != nil || d <= 0 {
				return 0, errors.New("is not a positive duration such as 30s or 5m")
			}
			return d, nil
		},
		show: formatDuration,
	}

	// delay is a duration that may be 0.
	delay = kind[time.Duration]{
		parse: func(s string) (time.Duration, error) {
			d, err := time.ParseDuration(strings.TrimSpace(s))
			if err != nil || d < 0 {
				return 0, errors.New("is not a duration such as 0s, 5s or 1m")
			}
			return d, nil
		},
		show: formatDuration,
	}

	logLevel = kind[slog.Level]{
		parse: func(s string) (slog.Level, error) {
			var l slog.Level
			if err := l.UnmarshalText([]byte(strings.TrimSpace(s))); err != nil {
				return 0, errors.New("must be debug, info, warn or error")
			}
			return l, nil
		},
		show: func(l slog.Level) string { return strings.ToLower(l.String()) },
	}

	plans = kind[hark.Plans]{parse: hark.ParsePlans, show: hark.Plans.String}

	optionalURL = kind[string]{parse: func(s string) (string, error) {
		if s = strings.TrimSpace(s); s == "" {
			return "", nil
		}
		return httpURL.parse(s)
	}}

	days = kind[time.Duration]{
		parse: func(s string) (time.Duration, error) {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 0 || n > 100*365 {
				return 0, errors.New("is not a number of days (0 keeps everything)")
			}
			return time.Duration(n) * 24 * time.Hour, nil
		},
		show: func(d time.Duration) string { return strconv.Itoa(int(d / (24 * time.Hour))) },
	}

	gcPercent = kind[string]{parse: func(s string) (string, error) {
		s = strings.TrimSpace(s)
		if n, err := strconv.Atoi(s); s != "" && s != "off" && (err != nil || n < 0) {
			return "", errors.New("must be a percentage (a whole number) or off")
		}
		return s, nil
	}}
)

var (
	count = kind[int]{parse: positive[int]}
	size  = kind[int64]{parse: positive[int64]}
	limit = kind[int]{parse: func(s string) (int, error) {
		if strings.TrimSpace(s) == "0" {
			return 0, nil
		}
		n, err := positive[int](s)
		if err != nil {
			return 0, errors.New("is not a whole number (0 for no limit)")
		}
		return n, nil
	}}

	prefixList = kind[[]netip.Prefix]{
		parse: func(s string) ([]netip.Prefix, error) {
			var prefixes []netip.Prefix
			for item := range strings.SplitSeq(s, ",") {
				if item = strings.TrimSpace(item); item == "" {
					continue
				}
				p, err := netip.ParsePrefix(item)
				if a, aerr := netip.ParseAddr(item); aerr == nil {
					p, err = netip.PrefixFrom(a, a.BitLen()), nil
				}
				if err != nil {
					return nil, fmt.Errorf("has %q, not an address or CIDR range like 10.0.0.0/8", item)
				}
				prefixes = append(prefixes, p.Masked())
			}
			return prefixes, nil
		},
		show: func(ps []netip.Prefix) string {
			out := make([]string, len(ps))
			for i, p := range ps {
				out[i] = p.String()
			}
			return strings.Join(out, ",")
		},
	}
)

// positive parses a whole number above zero.
func positive[T int | int64](s string) (T, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 || int64(T(n)) != n {
		return 0, errors.New("is not a positive whole number")
	}
	return T(n), nil
}

// oneOf accepts exactly one of values.
func oneOf(values ...string) kind[string] {
	return kind[string]{parse: func(s string) (string, error) {
		s = strings.TrimSpace(s)
		for _, v := range values {
			if s == v {
				return s, nil
			}
		}
		return "", errors.New("must be " + strings.Join(values, " or "))
	}}
}

// formatDuration writes d as a person would set it: 10m rather than Go's 10m0s.
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
