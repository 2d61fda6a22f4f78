package main

import (
	"cmp"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is everything Hark reads from its environment. Only package main reads the environment;
// the other packages get plain config structs.
type Config struct {
	DatabaseURL      string        `env:"DATABASE_URL"`
	TypesenseURLs    []string      `env:"TYPESENSE_URL"`
	TypesenseAPIKey  string        `env:"TYPESENSE_API_KEY" secret:"true"`
	TypesensePrefix  string        `env:"TYPESENSE_PREFIX"`
	HTTPAddr         string        `env:"HTTP_ADDR"`
	BaseURL          string        `env:"BASE_URL"`
	LogLevel         string        `env:"LOG_LEVEL"`
	LogFormat        string        `env:"LOG_FORMAT"`
	RequireAPIKey    bool          `env:"API_REQUIRE_KEY"`
	CrawlAllowLocal  bool          `env:"CRAWL_ALLOW_LOOPBACK"`
	CrawlWorkers     int           `env:"CRAWL_WORKERS"`
	CrawlTimeout     time.Duration `env:"CRAWL_TIMEOUT"`
	CrawlMaxBody     int64         `env:"CRAWL_MAX_BODY_BYTES"`
	CrawlUserAgent   string        `env:"CRAWL_USER_AGENT"`
	ScheduleInterval time.Duration `env:"CRAWL_SCHEDULE_INTERVAL"`
	ReconcileEvery   time.Duration `env:"RECONCILE_INTERVAL"`
	DemoFeedsAddr    string        `env:"DEMO_FEEDS_ADDR"`
	OpsPassword      string        `env:"OPS_PASSWORD" secret:"true"`
}

// envVar documents one environment variable for `hark help`.
type envVar struct{ name, def, doc string }

var envVars = []envVar{
	{"DATABASE_URL", "postgres://postgres@127.0.0.1:54329/hark?sslmode=disable", "Postgres connection URL"},
	{"TYPESENSE_URL", "http://127.0.0.1:8108", "Typesense node URL, or a comma-separated list of the nodes of a cluster"},
	{"TYPESENSE_API_KEY", "(contents of .data/typesense.key)", "Typesense admin API key"},
	{"TYPESENSE_PREFIX", "", "prefix for collection and alias names (several Harks on one Typesense)"},
	{"HTTP_ADDR", ":8080", "address the web server listens on"},
	{"BASE_URL", "http://localhost:8080", "public URL of the site, used in links the API returns"},
	{"LOG_LEVEL", "info", "debug, info, warn or error"},
	{"LOG_FORMAT", "text", "text or json"},
	{"API_REQUIRE_KEY", "true", "require X-ListenAPI-Key on /api/v2"},
	{"CRAWL_ALLOW_LOOPBACK", "false", "allow crawling 127.0.0.0/8 and ::1 (tests and the demo only)"},
	{"CRAWL_WORKERS", "32", "concurrent crawls (fetch, parse, store) per worker process"},
	{"CRAWL_TIMEOUT", "30s", "total time limit for one feed fetch"},
	{"CRAWL_MAX_BODY_BYTES", "26214400", "largest feed body accepted, after decompression"},
	{"CRAWL_USER_AGENT", "HarkBot/1.0 (+https://github.com/hark/hark; podcast search)", "User-Agent sent to podcast hosts"},
	{"CRAWL_SCHEDULE_INTERVAL", "30s", "how often due podcasts are enqueued for crawling"},
	{"RECONCILE_INTERVAL", "10m", "how often the search index is compared with Postgres and repaired"},
	{"DEMO_FEEDS_ADDR", "127.0.0.1:8089", "where `hark demo` serves its generated feeds"},
	{"OPS_PASSWORD", "", "when set, /riverui and /metrics ask for HTTP basic auth (user operator); set it in production"},
}

// loadConfig reads the environment, fills defaults and checks every value, returning the first
// problem as a sentence that names the variable.
func loadConfig(getenv func(string) string) (Config, error) {
	var c Config
	var errs []string
	str := func(name, def string) string { return cmp.Or(strings.TrimSpace(getenv(name)), def) }
	boolean := func(name string, def bool) bool {
		v := getenv(name)
		if v == "" {
			return def
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s=%q is not true or false", name, v))
		}
		return b
	}
	integer := func(name string, def int64) int64 {
		v := getenv(name)
		if v == "" {
			return def
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Sprintf("%s=%q is not a positive whole number", name, v))
		}
		return n
	}
	duration := func(name string, def time.Duration) time.Duration {
		v := getenv(name)
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Sprintf("%s=%q is not a positive duration such as 30s or 5m", name, v))
		}
		return d
	}
	c.DatabaseURL = str("DATABASE_URL", envVars[0].def)
	for _, u := range strings.Split(str("TYPESENSE_URL", envVars[1].def), ",") {
		if u = strings.TrimSpace(u); u != "" {
			c.TypesenseURLs = append(c.TypesenseURLs, u)
		}
	}
	c.TypesenseAPIKey = str("TYPESENSE_API_KEY", localTypesenseKey())
	c.TypesensePrefix = str("TYPESENSE_PREFIX", "")
	c.HTTPAddr = str("HTTP_ADDR", ":8080")
	c.BaseURL = strings.TrimRight(str("BASE_URL", "http://localhost:8080"), "/")
	c.LogLevel = str("LOG_LEVEL", "info")
	c.LogFormat = str("LOG_FORMAT", "text")
	c.RequireAPIKey = boolean("API_REQUIRE_KEY", true)
	c.CrawlAllowLocal = boolean("CRAWL_ALLOW_LOOPBACK", false)
	c.CrawlWorkers = int(integer("CRAWL_WORKERS", 32))
	c.CrawlTimeout = duration("CRAWL_TIMEOUT", 30*time.Second)
	c.CrawlMaxBody = integer("CRAWL_MAX_BODY_BYTES", 25<<20)
	c.CrawlUserAgent = str("CRAWL_USER_AGENT", envVars[13].def)
	c.ScheduleInterval = duration("CRAWL_SCHEDULE_INTERVAL", 30*time.Second)
	c.ReconcileEvery = duration("RECONCILE_INTERVAL", 10*time.Minute)
	c.DemoFeedsAddr = str("DEMO_FEEDS_ADDR", "127.0.0.1:8089")
	c.OpsPassword = getenv("OPS_PASSWORD")
	if len(errs) > 0 {
		return c, fmt.Errorf("configuration: %s", errs[0])
	}
	return c, c.validate()
}

func (c Config) validate() error {
	switch {
	case c.TypesenseAPIKey == "":
		return fmt.Errorf("configuration: TYPESENSE_API_KEY is empty (make demo writes one to .data/typesense.key)")
	case c.LogFormat != "text" && c.LogFormat != "json":
		return fmt.Errorf("configuration: LOG_FORMAT=%q must be text or json", c.LogFormat)
	case !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://"):
		return fmt.Errorf("configuration: BASE_URL=%q must start with http:// or https://", c.BaseURL)
	case len(c.TypesenseURLs) == 0:
		return fmt.Errorf("configuration: TYPESENSE_URL names no node")
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		return err
	}
	return nil
}

// localTypesenseKey is the key `make demo` generates, so running the binary by hand in a checkout
// needs no environment.
func localTypesenseKey() string {
	b, err := os.ReadFile(".data/typesense.key")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// redacted returns the config as key=value pairs for the startup log, secrets hidden.
func (c Config) redacted() []any {
	return []any{
		"database_url", redactURL(c.DatabaseURL), "typesense_url", strings.Join(c.TypesenseURLs, ","),
		"typesense_prefix", c.TypesensePrefix, "http_addr", c.HTTPAddr, "base_url", c.BaseURL,
		"require_api_key", c.RequireAPIKey, "crawl_allow_loopback", c.CrawlAllowLocal,
		"crawl_workers", c.CrawlWorkers, "crawl_timeout", c.CrawlTimeout.String(),
	}
}

func redactURL(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 {
		return u
	}
	user := u[scheme+3 : at]
	if name, _, ok := strings.Cut(user, ":"); ok {
		return u[:scheme+3] + name + ":xxxxx" + u[at:]
	}
	return u
}
