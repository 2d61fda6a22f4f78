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

// handleReadyz handles "GET /readyz": Postgres and Typesense both answer. It checks them at the
// same time, each with its own timeout, and names the one that is down.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	checks := map[string]func(context.Context) error{
		"postgres":  s.pingPostgres,
		"typesense": s.search.Health,
	}
	status := make(map[string]string, len(checks))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, check := range checks {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
			defer cancel()
			err := check(ctx)
			mu.Lock()
			defer mu.Unlock()
			status[name] = "ok"
			if err != nil {
				status[name] = "unavailable"
				s.logger.WarnContext(r.Context(), "Readiness check failed", slog.String("service", name),
					slog.Any("error", err), slog.String("request_id", RequestID(r.Context())))
			}
		})
	}
	wg.Wait()

	code := http.StatusOK
	for _, v := range status {
		if v != "ok" {
			code = http.StatusServiceUnavailable
		}
	}
	writeJSON(w, code, status)
}

func (s *Server) pingPostgres(ctx context.Context) error {
	pool := s.store.Pool()
	if pool == nil {
		return errors.New("store has no pool")
	}
	return db.Ping(ctx, pool)
}
