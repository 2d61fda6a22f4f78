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
		Tally:            a.Tally,
		MetricsToken:     c.MetricsToken,
		Searches:         searches,
		Plans:            c.Plans,
		SignupDailyCap:   c.SignupDailyCap,
		Errors:           a.Errors,
		Ops:              a.Ops,
		CountryHeader:    c.CountryHeader,
		AudienceMinPlays: c.AudienceMinPlays,
	}
}

// warnOperatorViews says at start-up, on a public address while no operator account exists,
// that the operator views answer only on loopback until one is made with `hark operators add`:
// Hark serves the site rather than refusing to start (HTTP_ADDR's default, :8080, is every
// interface).
func (a *App) warnOperatorViews(ctx context.Context, addr net.Addr) {
	tcp, ok := addr.(*net.TCPAddr)
	if ok && tcp.IP.IsLoopback() {
		return
	}
	if exists, err := a.Store.HasOperators(ctx); err != nil || exists {
		return
	}
	a.Logger.WarnContext(ctx, "No operator account: /admin, /riverui and /metrics answer only on loopback until `hark operators add NAME`",
		slog.Bool("metrics_token", a.Config.MetricsToken != ""))
}
