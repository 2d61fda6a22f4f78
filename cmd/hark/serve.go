package main

import (
	"context"
	"crypto/subtle"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"riverqueue.com/riverui"

	"hark/db"
	podhttp "hark/http"
)

func runServe(ctx context.Context, cfg Config, logger *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", cfg.HTTPAddr, "address to listen on (overrides HTTP_ADDR)")
	web := fs.Bool("web", true, "serve the site, the API and the operator views")
	workers := fs.Bool("workers", true, "run the crawl and index workers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*web && !*workers {
		return fmt.Errorf("serve: -web=false and -workers=false leave nothing to run")
	}
	cfg.HTTPAddr = *addr
	if _, set := os.LookupEnv("GOGC"); !set && *web {
		debug.SetGCPercent(podhttp.GCPercent)
	}
	a, err := openApp(ctx, cfg, logger, appOpts{work: *workers, migrated: true})
	if err != nil {
		return err
	}
	defer a.close()
	logger.InfoContext(ctx, "Starting Hark", append(cfg.redacted(), "web", *web, "workers", *workers)...)
	return a.serve(ctx, *web, *workers, nil)
}

// serve runs the web server and/or the workers until ctx is done, then stops both cleanly.
// ready, when not nil, is called once the listener is up.
func (a *app) serve(ctx context.Context, web, workers bool, ready func(addr string)) error {
	if err := a.ensureIndex(ctx, true); err != nil {
		return err
	}
	if workers {
		if err := a.client.Start(ctx); err != nil {
			return fmt.Errorf("start workers: %w", err)
		}
		defer a.stopWorkers()
	}
	if !web {
		if ready != nil {
			ready("")
		}
		<-ctx.Done()
		return nil
	}
	handler, flushUsage, err := a.handler(ctx)
	if err != nil {
		return err
	}
	defer flushUsage() // after the server has stopped, so the last requests are counted too
	ln, err := net.Listen("tcp", a.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on %s (HTTP_ADDR): %w", a.cfg.HTTPAddr, err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	a.logger.InfoContext(ctx, "Listening", slog.String("addr", ln.Addr().String()), slog.String("url", a.cfg.BaseURL))
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http shutdown: %w", err)
	}
	a.logger.Info("Web server stopped")
	return nil
}

func (a *app) stopWorkers() {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := a.client.Stop(ctx); err != nil {
		a.logger.Warn("Workers did not stop in time", slog.Any("error", err))
		return
	}
	a.logger.Info("Workers stopped")
}

// handler builds the chi server with the River UI mounted for operators. flushUsage writes the
// API usage it has counted and stops counting; call it once the server has stopped, before the
// database pool closes.
func (a *app) handler(ctx context.Context) (_ http.Handler, flushUsage func(), err error) {
	keys := db.NewAPIKeyCache(a.store, db.APIKeyCacheTTLDefault, a.logger)
	keysCtx, stopKeys := context.WithCancel(context.WithoutCancel(ctx))
	flushed := make(chan struct{})
	go func() {
		defer close(flushed)
		keys.Run(keysCtx, db.APIUsageFlushDefault) // flushes once more when keysCtx ends
	}()
	flushUsage = func() {
		stopKeys()
		<-flushed
	}
	defer func() {
		if err != nil {
			flushUsage()
		}
	}()
	go a.index.RunCommonTerms(ctx, a.store.SampleSearchText)
	go a.index.RunTerms(ctx, a.store.SampleEpisodeTitles)
	srv := podhttp.NewServer(podhttp.Config{BaseURL: a.cfg.BaseURL, RequireAPIKey: a.cfg.RequireAPIKey, Keys: keys},
		a.store, a.index, a.service, a.logger)
	ui, err := riverui.NewHandler(&riverui.HandlerOpts{
		Endpoints: riverui.NewEndpoints(a.client, nil),
		Logger:    a.logger,
		Prefix:    "/riverui",
	})
	if err != nil {
		return nil, nil, fmt.Errorf("river ui: %w", err)
	}
	if err := ui.Start(ctx); err != nil {
		return nil, nil, fmt.Errorf("start river ui: %w", err)
	}
	srv.Mount("/riverui", operatorOnly(a.cfg.OpsPassword, ui))
	metrics := operatorOnly(a.cfg.OpsPassword, srv)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" {
			metrics.ServeHTTP(w, r)
			return
		}
		srv.ServeHTTP(w, r)
	}), flushUsage, nil
}

// operatorOnly guards operator views (/riverui, /metrics) with HTTP basic auth (user "operator") when a password is set.
func operatorOnly(password string, h http.Handler) http.Handler {
	if password == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pass, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(pass), []byte(password)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="hark operators"`)
			http.Error(w, "operator password required", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}
