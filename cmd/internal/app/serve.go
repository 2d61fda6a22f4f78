package app

import (
	"cmp"
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
// once the listener is up, with its address: the web server's, or without web the ops
// listener's (OPS_ADDR), "" when there is none.
//
// When ctx is done the web server drains: /readyz answers 503 for SHUTDOWN_DRAIN_DELAY while
// requests are still served, then the listener closes and the requests in flight get
// SHUTDOWN_TIMEOUT to finish. Meanwhile the workers stop softly (no new job is fetched, running
// ones get SHUTDOWN_TIMEOUT) and hard after that: River puts a cancelled job back in the queue
// without counting the attempt, and a job whose process died before that is rescued at the
// next start.
func (a *App) Serve(ctx context.Context, web, workers bool, ready func(addr string)) error {
	if err := a.EnsureIndex(ctx, true); err != nil {
		return err
	}
	defer a.runErrors(ctx)() // deferred first, so it stops last
	// The tally outlives ctx: it writes once more after the workers and the server stopped.
	tallyCtx, stopTally := context.WithCancel(context.WithoutCancel(ctx))
	var tallied sync.WaitGroup
	tallied.Go(func() { a.Tally.Run(tallyCtx, db.OpsFlushDefault) })
	defer func() { stopTally(); tallied.Wait() }()
	if workers {
		if _, err := jobs.ReclaimDead(ctx, a.Store, a.Logger); err != nil {
			return err
		}
		// Cancelling the context River starts with cancels running jobs at once: the client
		// outlives ctx, and StopWorkers stops it softly first.
		if err := a.Client.Start(context.WithoutCancel(ctx)); err != nil {
			return fmt.Errorf("start workers: %w", err)
		}
		// The workers stop fetching jobs as the web server starts draining, not after it: a job
		// a draining request enqueues waits for the next process.
		wctx, stopNow := context.WithCancel(ctx)
		stopped := make(chan struct{})
		go func() { <-wctx.Done(); a.StopWorkers(); close(stopped) }()
		defer func() { stopNow(); <-stopped }()
	}
	if !web {
		return a.serveOps(ctx, ready)
	}
	return a.serveWeb(ctx, ready)
}

// Start runs Serve in the background and returns once it is ready, with the listener's
// address (see Serve). stop ends Serve and returns what Serve returned. If Serve fails
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
	srv, stopLoops, err := a.handler(ctx)
	if err != nil {
		return err
	}
	defer stopLoops() // after the server has stopped, so the last requests are metered too
	return a.listenAndServe(ctx, a.Config.HTTPAddr, "HTTP_ADDR", srv, srv.Drain, ready)
}

// serveOps serves a worker-only process's health checks and metrics on OPS_ADDR, so that
// deploys wait on its /readyz and Prometheus scrapes its job metrics; without OPS_ADDR it only
// waits for ctx.
func (a *App) serveOps(ctx context.Context, ready func(addr string)) error {
	if a.Config.OpsAddr == "" {
		if ready != nil {
			ready("")
		}
		<-ctx.Done()
		return nil
	}
	srv := podhttp.NewServer(a.webConfig(nil, nil), a.Store, a.Index, a.Service, a.Logger)
	mux := http.NewServeMux()
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		mux.Handle("GET "+path, srv)
	}
	return a.listenAndServe(ctx, a.Config.OpsAddr, "OPS_ADDR", mux, srv.Drain, ready)
}

// listenAndServe serves h on addr (named by the variable that set it) until ctx is done, then
// drains and shuts down as Serve says.
func (a *App) listenAndServe(ctx context.Context, addr, variable string, h http.Handler, drain func(), ready func(addr string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s (%s): %w", addr, variable, err)
	}
	srv := &http.Server{
		Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: a.Config.HTTPReadTimeout,
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
	drain()
	a.Logger.Info("Draining: /readyz answers 503", slog.Duration("delay", a.Config.ShutdownDrainDelay))
	time.Sleep(a.Config.ShutdownDrainDelay)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), a.shutdownTimeout())
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		a.Logger.Warn("Requests still in flight at the shutdown timeout: closing their connections", slog.Any("error", err))
		_ = srv.Close()
	}
	a.Logger.Info("Web server stopped")
	return nil
}

// StopWorkers stops the River client Serve started: softly, letting running jobs finish for
// SHUTDOWN_TIMEOUT, then by cancelling the ones still running, which River puts back in the
// queue.
func (a *App) StopWorkers() {
	ctx, cancel := context.WithTimeout(context.Background(), a.shutdownTimeout())
	defer cancel()
	err := a.Client.Stop(ctx)
	if err == nil {
		a.Logger.Info("Workers stopped")
		return
	}
	a.Logger.Warn("Jobs still running at the shutdown timeout: cancelling them (each goes back in the queue)", slog.Any("error", err))
	hard, cancelHard := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancelHard()
	if err := a.Client.StopAndCancel(hard); err != nil {
		a.Logger.Error("Workers did not stop: their running jobs are rescued at the next start", slog.Any("error", err))
		return
	}
	a.Logger.Info("Workers stopped")
}

// shutdownTimeout is SHUTDOWN_TIMEOUT, or its default for a Config built by hand.
func (a *App) shutdownTimeout() time.Duration {
	return cmp.Or(a.Config.ShutdownTimeout, 25*time.Second)
}

// handler builds the web server's handler, the chi server with the River UI mounted for
// operators, and starts the loops a web process runs beside it: API key metering, the
// common-term and typeahead-term counts, and the search cache's index generation watch. stop
// ends the loops and waits for each to return; call it once the server has stopped (the key
// cache then writes the usage it counted last) and before the pool closes.
func (a *App) handler(ctx context.Context) (_ *podhttp.Server, stop func(), err error) {
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
