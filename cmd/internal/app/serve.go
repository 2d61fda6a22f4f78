package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"riverqueue.com/riverui"

	"hark/db"
	podhttp "hark/http"
	"hark/jobs"
)

// Serve runs the web server and/or the workers until ctx is done, then stops both, and every
// loop they started, before it returns: the pool may then close. ready, when not nil, is called
// once the listener is up, with its address ("" without web).
func (a *App) Serve(ctx context.Context, web, workers bool, ready func(addr string)) error {
	if err := a.EnsureIndex(ctx, true); err != nil {
		return err
	}
	if workers {
		if _, err := jobs.ReclaimDead(ctx, a.Store, a.Logger); err != nil {
			return err
		}
		if err := a.Client.Start(ctx); err != nil {
			return fmt.Errorf("start workers: %w", err)
		}
		defer a.StopWorkers()
	}
	if !web {
		if ready != nil {
			ready("")
		}
		<-ctx.Done()
		return nil
	}
	return a.serveWeb(ctx, ready)
}

// Start runs Serve in the background and returns once it is ready, with the listener's
// address ("" without web). stop ends Serve and returns what Serve returned. If Serve fails
// before it is ready, Start returns its error.
func (a *App) Start(ctx context.Context, web, workers bool) (addr string, stop func() error, err error) {
	ctx, cancel := context.WithCancel(ctx)
	ready := make(chan string, 1)
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, web, workers, func(addr string) { ready <- addr }) }()
	select {
	case addr := <-ready:
		return addr, func() error { cancel(); return <-served }, nil
	case err := <-served:
		cancel()
		return "", nil, err
	}
}

func (a *App) serveWeb(ctx context.Context, ready func(addr string)) error {
	if a.Config.GOGC == "" {
		debug.SetGCPercent(podhttp.GCPercent)
	}
	handler, stopLoops, err := a.handler(ctx)
	if err != nil {
		return err
	}
	defer stopLoops() // after the server has stopped, so the last requests are metered too
	ln, err := net.Listen("tcp", a.Config.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on %s (HTTP_ADDR): %w", a.Config.HTTPAddr, err)
	}
	srv := &http.Server{
		Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: a.Config.HTTPReadTimeout,
		WriteTimeout: a.Config.HTTPWriteTimeout, IdleTimeout: a.Config.HTTPIdleTimeout,
	}
	a.warnOperatorViews(ctx, ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	a.Logger.InfoContext(ctx, "Listening", slog.String("addr", ln.Addr().String()), slog.String("url", a.Config.BaseURL))
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
	a.Logger.Info("Web server stopped")
	return nil
}

// StopWorkers stops the River client Serve started, waiting up to 15 s for running jobs.
func (a *App) StopWorkers() {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := a.Client.Stop(ctx); err != nil {
		a.Logger.Warn("Workers did not stop in time", slog.Any("error", err))
		return
	}
	a.Logger.Info("Workers stopped")
}

// handler builds the web server's handler, the chi server with the River UI mounted for
// operators, and starts the loops a web process runs beside it: API key metering, the
// common-term and typeahead-term counts, and the search cache's index generation watch. stop
// ends the loops and waits for each to return; call it once the server has stopped (the key
// cache then writes the usage it counted last) and before the pool closes.
func (a *App) handler(ctx context.Context) (_ http.Handler, stop func(), err error) {
	// The loops outlive ctx: the key cache counts requests until the server has stopped.
	loopCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var loops sync.WaitGroup
	stop = func() {
		cancel()
		loops.Wait()
	}
	defer func() {
		if err != nil {
			stop()
		}
	}()
	keys := db.NewAPIKeyCache(a.Store, db.APIKeyCacheTTLDefault, a.Logger)
	loops.Go(func() { keys.Run(loopCtx, db.APIUsageFlushDefault) }) // flushes once more when loopCtx ends
	loops.Go(func() { a.Index.RunCommonTerms(loopCtx, a.sampleSearchText) })
	loops.Go(func() { a.Index.RunTerms(loopCtx, a.sampleTitles) })
	searches := db.NewSearchLog(a.Store, a.Logger)
	loops.Go(func() { searches.Run(loopCtx, db.SearchLogFlushDefault) }) // writes once more when loopCtx ends
	srv := podhttp.NewServer(a.webConfig(keys, searches), a.Store, a.searcher(loopCtx, &loops), a.Service, a.Logger)
	ui, err := riverui.NewHandler(&riverui.HandlerOpts{
		Endpoints: riverui.NewEndpoints(a.Client, nil),
		Logger:    a.Logger,
		Prefix:    "/riverui",
	})
	if err != nil {
		return nil, nil, fmt.Errorf("river ui: %w", err)
	}
	// River UI's handler has no Stop to wait on: its services end when loopCtx does.
	if err := ui.Start(loopCtx); err != nil {
		return nil, nil, fmt.Errorf("start river ui: %w", err)
	}
	srv.Mount("/riverui", srv.OperatorOnly(ui))
	return srv, stop, nil
}
