package app

import (
	"context"
	"log/slog"
	"net"
	"strings"

	podhttp "hark/http"
	"hark/ratelimit"
)

// webConfig is the web server's configuration, with keys checking the API keys.
func (a *App) webConfig(keys podhttp.KeyAuthenticator, searches podhttp.SearchRecorder) podhttp.Config {
	c := a.Config
	return podhttp.Config{
		BaseURL: c.BaseURL, RequireAPIKey: c.RequireAPIKey, Keys: keys,
		TLS:              strings.HasPrefix(c.BaseURL, "https://"),
		TrustedProxies:   c.TrustedProxies,
		AddrRate:         ratelimit.Rate{PerSecond: float64(c.RateAddrPerSecond), Burst: c.RateAddrBurst},
		KeyRate:          ratelimit.Rate{PerSecond: float64(c.RateKeyPerSecond), Burst: c.RateKeyPerSecond},
		MaxBodyBytes:     c.HTTPMaxBodyBytes,
		OpsPassword:      c.OpsPassword,
		MetricsToken:     c.MetricsToken,
		Searches:         searches,
		Plans:            c.Plans,
		SignupDailyCap:   c.SignupDailyCap,
		CountryHeader:    c.CountryHeader,
		AudienceMinPlays: c.AudienceMinPlays,
	}
}

// warnOperatorViews says at start-up, on a public address without OPS_PASSWORD, that the
// operator views answer only on loopback: Hark serves the site and closes them, rather than
// refusing to start (HTTP_ADDR's default, :8080, is every interface).
func (a *App) warnOperatorViews(ctx context.Context, addr net.Addr) {
	tcp, ok := addr.(*net.TCPAddr)
	if a.Config.OpsPassword != "" || (ok && tcp.IP.IsLoopback()) {
		return
	}
	a.Logger.WarnContext(ctx, "Operator views answer only on loopback: set OPS_PASSWORD to reach /riverui and /metrics from elsewhere",
		slog.Bool("metrics_token", a.Config.MetricsToken != ""))
}
