package http

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"hark/db"
)

// readyTimeout bounds each dependency check of /readyz.
const readyTimeout = 2 * time.Second

// handleHealthz handles "GET /healthz": the process is up.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReadyz handles "GET /readyz": Postgres and Typesense both answer, and the server is not
// draining. It checks them at the same time, each with its own timeout, and names the one that is
// down. A draining server answers 503 at once, so that the proxy sends its next requests elsewhere
// while the ones in flight finish.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "draining"})
		return
	}
	code := http.StatusOK
	status := make(map[string]string, 2)
	for name, err := range s.checkDependencies(r.Context()) {
		status[name] = "ok"
		if err != nil {
			status[name] = "unavailable"
			code = http.StatusServiceUnavailable
			s.logger.WarnContext(r.Context(), "Readiness check failed", slog.String("service", name),
				slog.Any("error", err), slog.String("request_id", RequestID(r.Context())))
		}
	}
	writeJSON(w, code, status)
}

// Drain makes /readyz answer 503 from now on: the first step of a graceful shutdown, taken
// before the server stops accepting connections.
func (s *Server) Drain() { s.draining.Store(true) }

// checkDependencies checks Postgres and Typesense at the same time, each with its own timeout,
// and returns each one's error (nil when it answers), by name.
func (s *Server) checkDependencies(ctx context.Context) map[string]error {
	checks := map[string]func(context.Context) error{
		"postgres":  s.pingPostgres,
		"typesense": s.search.Health,
	}
	errs := make(map[string]error, len(checks))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, check := range checks {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(ctx, readyTimeout)
			defer cancel()
			err := check(ctx)
			mu.Lock()
			defer mu.Unlock()
			errs[name] = err
		})
	}
	wg.Wait()
	return errs
}

func (s *Server) pingPostgres(ctx context.Context) error {
	pool := s.store.Pool()
	if pool == nil {
		return errors.New("store has no pool")
	}
	return db.Ping(ctx, pool)
}
