package app

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"hark"
)

// env is a getenv over a map.
func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func TestLoadConfigDefaults(t *testing.T) {
	t.Parallel()
	got, err := LoadConfig(env(map[string]string{"TYPESENSE_API_KEY": "k"}))
	if err != nil {
		t.Fatal(err)
	}
	const day = 24 * time.Hour
	want := Config{
		DatabaseURL:   "postgres://postgres@127.0.0.1:54329/hark?sslmode=disable",
		TypesenseURLs: []string{"http://127.0.0.1:8108"}, TypesenseAPIKey: "k", TypesenseImportTimeout: time.Minute,
		HTTPAddr: ":8080", BaseURL: "http://localhost:8080", LogLevel: slog.LevelInfo, LogFormat: "text",
		RequireAPIKey: true, CrawlWorkers: 32, CrawlPerHost: 2, CrawlTimeout: 30 * time.Second,
		CrawlMaxBodyBytes: 25 << 20, CrawlUserAgent: "HarkBot/1.0 (+https://github.com/hark/hark; podcast search)",
		ScheduleInterval: 30 * time.Second, ReconcileInterval: 10 * time.Minute, DemoFeedsAddr: "127.0.0.1:8089",
		HTTPReadTimeout: 30 * time.Second, HTTPWriteTimeout: time.Minute, HTTPIdleTimeout: 2 * time.Minute,
		HTTPMaxBodyBytes: 1 << 20, RateAddrPerSecond: 10, RateAddrBurst: 40, RateKeyPerSecond: 25,
		SubmitDailyPerAddr: 20, SubmitDailyPerKey: 1000, SubmitQueueMax: 1000, SubmitCrawlWorkers: 4,
		ShutdownTimeout: 25 * time.Second,
		OutboundPorts:   []uint16{80, 443}, SignupDailyCap: 500, AudienceMinPlays: 50,
		SearchCacheEntries: 10000, SearchCacheBytes: 64 << 20, SearchCacheTTL: 5 * time.Minute,
		RetainFailedJobs: 7 * day, RetainErrorEvents: 30 * day, RetainSearchLog: 90 * day, RetainUsage: 400 * day,
		RetainSubmissionCounts: 7 * day,
		RetainUnusedArtwork:    7 * day,
		Plans: hark.Plans{
			"free":       {Name: "free", MonthlyQuota: 10000, SearchDepth: 30, Rate: 5},
			"pro":        {Name: "pro", MonthlyQuota: 1000000, SearchDepth: 300, Rate: 25, Paid: true},
			"enterprise": {Name: "enterprise", SearchDepth: 10000, Paid: true},
		},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("LoadConfig with nothing set (-want +got):\n%s", diff)
	}
}

// TestLoadConfigParsesEveryKind sets one variable of each kind of value and checks the field.
func TestLoadConfigParsesEveryKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, variable, value string
		field                 func(Config) any
		want                  any
	}{
		{"text, trimmed", "HTTP_ADDR", " 127.0.0.1:9000 ", func(c Config) any { return c.HTTPAddr }, "127.0.0.1:9000"},
		{"secret, kept as set", "METRICS_TOKEN", " pass word ", func(c Config) any { return c.MetricsToken }, " pass word "},
		{"key=value DSN", "DATABASE_URL", "host=db user=hark password=pw dbname=hark",
			func(c Config) any { return c.DatabaseURL }, "host=db user=hark password=pw dbname=hark"},
		{"node list", "TYPESENSE_URL", "http://a:8108, http://b:8108,,", func(c Config) any { return c.TypesenseURLs },
			[]string{"http://a:8108", "http://b:8108"}},
		{"public URL without its slash", "BASE_URL", "https://hark.example/", func(c Config) any { return c.BaseURL }, "https://hark.example"},
		{"level", "LOG_LEVEL", "WARN", func(c Config) any { return c.LogLevel }, slog.LevelWarn},
		{"one of", "LOG_FORMAT", "json", func(c Config) any { return c.LogFormat }, "json"},
		{"bool", "CRAWL_ALLOW_LOOPBACK", "1", func(c Config) any { return c.CrawlAllowLoopback }, true},
		{"bool false", "API_REQUIRE_KEY", "false", func(c Config) any { return c.RequireAPIKey }, false},
		{"count", "CRAWL_WORKERS", "8", func(c Config) any { return c.CrawlWorkers }, 8},
		{"size", "CRAWL_MAX_BODY_BYTES", "1048576", func(c Config) any { return c.CrawlMaxBodyBytes }, int64(1 << 20)},
		{"duration", "RECONCILE_INTERVAL", "1h30m", func(c Config) any { return c.ReconcileInterval }, 90 * time.Minute},
		{"gc percent", "GOGC", "200", func(c Config) any { return c.GOGC }, "200"},
		{"gc off", "GOGC", "off", func(c Config) any { return c.GOGC }, "off"},
		{"limit", "RATE_KEY_PER_SECOND", "100", func(c Config) any { return c.RateKeyPerSecond }, 100},
		{"no limit", "SUBMIT_QUEUE_MAX", "0", func(c Config) any { return c.SubmitQueueMax }, 0},
		{"duration or off", "SEARCH_CACHE_TTL", "90s", func(c Config) any { return c.SearchCacheTTL }, 90 * time.Second},
		{"off", "SEARCH_CACHE_TTL", "0", func(c Config) any { return c.SearchCacheTTL }, time.Duration(0)},
		{"proxies", "TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7,2001:db8::/32, 172.16.5.9/12", func(c Config) any {
			return fmt.Sprint(c.TrustedProxies)
		}, "[10.0.0.0/8 192.0.2.7/32 2001:db8::/32 172.16.0.0/12]"},
		{"plans", "PLANS", "free quota=100 depth=20; gold rate=9 paid quota=5", func(c Config) any { return c.Plans },
			hark.Plans{"free": {Name: "free", MonthlyQuota: 100, SearchDepth: 20},
				"gold": {Name: "gold", MonthlyQuota: 5, Rate: 9, Paid: true}}},
		{"ports", "OUTBOUND_PORTS", "80, 443,8443", func(c Config) any { return c.OutboundPorts }, []uint16{80, 443, 8443}},
		{"days", "RETAIN_ERROR_EVENTS_DAYS", " 14 ", func(c Config) any { return c.RetainErrorEvents }, 14 * 24 * time.Hour},
		{"days kept forever", "RETAIN_USAGE_DAYS", "0", func(c Config) any { return c.RetainUsage }, time.Duration(0)},
		{"optional URL", "OPS_WEBHOOK_URL", "https://hooks.slack.example/T1/B2", func(c Config) any { return c.OpsWebhookURL }, "https://hooks.slack.example/T1/B2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := LoadConfig(env(map[string]string{tt.variable: tt.value, "TYPESENSE_API_KEY": "k"}))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, tt.field(c)); diff != "" {
				t.Errorf("%s=%q (-want +got):\n%s", tt.variable, tt.value, diff)
			}
		})
	}
}

// TestLoadConfigRejectsBadValues: each bad value fails with an error that names its variable
// and, for a secret, does not repeat the value.
func TestLoadConfigRejectsBadValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, variable, value string
	}{
		{"bad bool", "CRAWL_ALLOW_LOOPBACK", "maybe"},
		{"bad duration", "CRAWL_TIMEOUT", "soon"},
		{"zero duration", "CRAWL_SCHEDULE_INTERVAL", "0s"},
		{"negative number", "CRAWL_WORKERS", "-3"},
		{"not a number", "CRAWL_PER_HOST", "two"},
		{"zero size", "CRAWL_MAX_BODY_BYTES", "0"},
		{"negative days", "RETAIN_SEARCH_LOG_DAYS", "-1"},
		{"webhook not a URL", "OPS_WEBHOOK_URL", "hooks.slack.example/s3cr3t"},
		{"bad format", "LOG_FORMAT", "xml"},
		{"plans without free", "PLANS", "pro quota=5 paid"},
		{"plan with a bad field", "PLANS", "free quota=lots"},
		{"plan given twice", "PLANS", "free; free depth=3"},
		{"bad level", "LOG_LEVEL", "loud"},
		{"bad base url", "BASE_URL", "localhost:8080"},
		{"no node", "TYPESENSE_URL", " , "},
		{"bad database url", "DATABASE_URL", "postgres://hark:s3cr3t@db:port/hark"},
		{"bad gc percent", "GOGC", "-5"},
		{"negative cache ttl", "SEARCH_CACHE_TTL", "-1s"},
		{"negative limit", "RATE_ADDR_PER_SECOND", "-1"},
		{"bad proxy", "TRUSTED_PROXIES", "10.0.0.0/8, proxy.example"},
		{"zero timeout", "HTTP_WRITE_TIMEOUT", "0"},
		{"port out of range", "OUTBOUND_PORTS", "80,70000"},
		{"port zero", "OUTBOUND_PORTS", "0"},
		{"empty port", "OUTBOUND_PORTS", "80,,443"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := LoadConfig(env(map[string]string{tt.variable: tt.value, "TYPESENSE_API_KEY": "k"}))
			if err == nil || !strings.Contains(err.Error(), tt.variable) {
				t.Fatalf("LoadConfig with %s=%q: error %v; want one naming %s", tt.variable, tt.value, err, tt.variable)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
	t.Run("empty API key", func(t *testing.T) {
		t.Parallel()
		_, err := LoadConfig(env(map[string]string{"TYPESENSE_API_KEY": " "}))
		if err == nil || !strings.Contains(err.Error(), "TYPESENSE_API_KEY") {
			t.Fatalf("LoadConfig without an API key: %v; want an error naming TYPESENSE_API_KEY", err)
		}
	})
}

// secretDSNs are DATABASE_URL values in every form that holds the password "s3cr3t".
var secretDSNs = []struct{ name, dsn, keep string }{
	{"URL userinfo", "postgres://hark:s3cr3t@db.example:5432/hark?sslmode=require", "hark:xxxxx@db.example:5432/hark?sslmode=require"},
	{"URL password parameter", "postgres://hark@db.example/hark?sslmode=disable&password=s3cr3t", "sslmode=disable&password=xxxxx"},
	{"URL encoded parameter name", "postgresql://db.example/hark?pass%77ord=s3cr3t", "postgresql://db.example/hark?pass%77ord=xxxxx"},
	{"URL sslpassword", "postgres://hark@db.example/hark?sslpassword=s3cr3t&sslmode=verify-full", "sslpassword=xxxxx&sslmode=verify-full"},
	{"URL unescaped @ in the password", "postgres://hark:s3cr3t@x@db.example/hark", "hark:xxxxx@db.example/hark"},
	{"URL several hosts", "postgres://hark:s3cr3t@db1:5432,db2:5432/hark", "hark:xxxxx@db1:5432,db2:5432/hark"},
	{"keywords", "host=db.example user=hark password=s3cr3t dbname=hark", "host=db.example user=hark password=xxxxx dbname=hark"},
	{"keywords quoted", `host=db.example password='s3cr3t with \' quote' dbname=hark`, "host=db.example password=xxxxx dbname=hark"},
	{"keywords spaced", "host=db.example password = s3cr3t", "host=db.example password = xxxxx"},
	{"keywords sslpassword", "sslpassword=s3cr3t host=db.example", "sslpassword=xxxxx host=db.example"},
}

func TestRedactDSN(t *testing.T) {
	t.Parallel()
	for _, tt := range secretDSNs {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := redactDSN(tt.dsn)
			if strings.Contains(got, "s3cr3t") {
				t.Fatalf("redactDSN(%q) = %q: the password shows", tt.dsn, got)
			}
			if !strings.Contains(got, tt.keep) {
				t.Errorf("redactDSN(%q) = %q; want it to keep %q", tt.dsn, got, tt.keep)
			}
		})
	}
	if got := redactDSN("host=db password='unclosed"); strings.Contains(got, "unclosed") {
		t.Errorf("redactDSN of a string with an unclosed quote = %q: the password shows", got)
	}
}

// TestLogAttrsHideSecrets logs the configuration as `hark serve` does, in both log formats,
// with secrets in every variable and DATABASE_URL form that may hold one.
func TestLogAttrsHideSecrets(t *testing.T) {
	t.Parallel()
	for _, tt := range secretDSNs {
		c, err := LoadConfig(env(map[string]string{
			"DATABASE_URL": tt.dsn, "TYPESENSE_API_KEY": "s3cr3t-key",
			"METRICS_TOKEN": "s3cr3t-metrics",
		}))
		if err != nil {
			// pgx refuses some forms (an unescaped '@'): then the error must not show it.
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("%s: the configuration error shows a secret: %v", tt.name, err)
			}
			continue
		}
		var out bytes.Buffer
		slog.New(slog.NewTextHandler(&out, nil)).Info("Starting Hark", c.LogAttrs()...)
		slog.New(slog.NewJSONHandler(&out, nil)).Info("Starting Hark", c.LogAttrs()...)
		if strings.Contains(out.String(), "s3cr3t") {
			t.Errorf("%s: the start-up log shows a secret:\n%s", tt.name, out.String())
		}
		for _, name := range []string{"database_url", "typesense_api_key=[redacted]", "metrics_token=[redacted]", `"metrics_token":"[redacted]"`} {
			if !strings.Contains(out.String(), name) {
				t.Errorf("%s: the start-up log lacks %s:\n%s", tt.name, name, out.String())
			}
		}
	}
}
