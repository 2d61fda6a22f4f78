package http

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"hark"
)

type ctxKey int

const requestIDKey ctxKey = iota

// RequestID returns the ID of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// validRequestID accepts IDs set by a proxy in front of Hark, as long as they are short and tame.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID gives every request an ID, from X-Request-ID when a proxy set one, and echoes it back.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if !validRequestID.MatchString(id) {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-ID", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
	})
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Flush lets streaming handlers (River UI's, say) flush through the wrapper.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) written() bool { return w.status != 0 }

// observe logs one line per request and records its metrics, labelled by the chi route pattern
// so that IDs in paths do not explode the number of series.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		r, plan := withPlanHolder(r)
		next.ServeHTTP(sw, r)
		elapsed := time.Since(start)
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		route := routeLabel(r)
		s.metrics.observe(route, status, elapsed)
		s.tallyRequest(plan, route, status, elapsed)

		level := slog.LevelInfo
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" {
			level = slog.LevelDebug
		}
		// The handler directly, with no caller PC: Logger.LogAttrs walks the stack for one on
		// every call (a fifth of the line's cost), and this line's source is always here.
		if h := s.logger.Handler(); h.Enabled(r.Context(), level) {
			rec := slog.NewRecord(time.Now(), level, "HTTP request", 0)
			rec.AddAttrs(
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.String("route", route),
				slog.Int("status", status),
				slog.Int("bytes", sw.bytes),
				slog.Duration("duration", elapsed),
				slog.String("client", clientOf(r).addr.String()),
				slog.String("request_id", RequestID(r.Context())))
			_ = h.Handle(r.Context(), rec)
		}
	})
}

// routeLabel names the route that served r, like "GET /podcasts/{id}".
func routeLabel(r *http.Request) string {
	rctx := chi.RouteContext(r.Context())
	if rctx == nil || rctx.RoutePattern() == "" {
		return "unmatched"
	}
	return r.Method + " " + rctx.RoutePattern()
}

// recoverPanic turns a panic in a handler into a logged 500, so one bad request does not take
// the process down.
func (s *Server) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			err := fmt.Errorf("panic: %v", v)
			stack := string(debug.Stack())
			s.logger.ErrorContext(r.Context(), "Handler panicked",
				slog.Any("error", err),
				slog.String("stack", stack),
				slog.String("request_id", RequestID(r.Context())))
			s.recordError(r, hark.ErrorHTTPPanic, err.Error(), stack)
			if sw, ok := w.(interface{ written() bool }); ok && sw.written() {
				return // too late for an error page; the client sees a cut-off response
			}
			s.writeError(w, r, http.StatusInternalServerError, "")
		}()
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows the app's own styles and scripts, artwork from anywhere and audio
// from any podcast host; feeds serve audio over plain http too.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' https: http: data:; " +
	"media-src 'self' https: http:; style-src 'self'; script-src 'self'; object-src 'none'; " +
	"base-uri 'self'; form-action 'self'"

// pageHeaders sets security headers on HTML pages.
func pageHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w.Header(), false)
		next.ServeHTTP(w, r)
	})
}

// embedHeaders sets the headers of the embeddable player: like pageHeaders, but any site may
// frame it.
func embedHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w.Header(), true)
		next.ServeHTTP(w, r)
	})
}

func setPageHeaders(h http.Header, embeddable bool) {
	if embeddable {
		h.Set("Content-Security-Policy", contentSecurityPolicy+"; frame-ancestors *")
	} else {
		h.Set("Content-Security-Policy", contentSecurityPolicy+"; frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
	}
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
}

// apiHeaders sets the headers every API response has.
func apiHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(&latencyWriter{ResponseWriter: w, start: time.Now()}, r)
	})
}

// latencyWriter sets X-listenAPI-Latency-Seconds, which the Listen API sends on every response,
// just before the header goes out.
type latencyWriter struct {
	http.ResponseWriter
	start time.Time
	done  bool
}

func (w *latencyWriter) WriteHeader(code int) {
	if !w.done {
		w.done = true
		w.Header().Set("X-listenAPI-Latency-Seconds", strconv.FormatFloat(time.Since(w.start).Seconds(), 'f', 3, 64))
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *latencyWriter) Write(b []byte) (int, error) {
	if !w.done {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *latencyWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
