package demo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// ServeAddrDefault is where Serve listens when given no address: a free loopback port.
const ServeAddrDefault = "127.0.0.1:0"

// Serve serves Handler on addr (ServeAddrDefault when empty) until ctx is done, then shuts
// the server down. It returns once listening, with the server's base URL, e.g.
// "http://127.0.0.1:34567". Unless Config.BaseURL was set, the catalogue's URLs now use it.
func (c *Catalogue) Serve(ctx context.Context, addr string) (string, error) {
	if addr == "" {
		addr = ServeAddrDefault
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("serve demo feeds: %w", err)
	}
	base := baseURLOf(ln.Addr().(*net.TCPAddr))
	if c.cfg.BaseURL == "" {
		c.SetBaseURL(base)
	}

	srv := &http.Server{Handler: c.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		// Serve only fails when the listener does; Shutdown closes it on purpose.
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = ln.Close()
		}
	}()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx) // past the timeout, connections are simply dropped
	}()
	return base, nil
}

// baseURLOf returns the URL a client reaches a listener at: a wildcard address becomes loopback.
func baseURLOf(a *net.TCPAddr) string {
	ip := a.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return "http://" + net.JoinHostPort(ip.String(), fmt.Sprint(a.Port))
}
