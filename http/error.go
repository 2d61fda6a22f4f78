package http

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5"
	json "github.com/goccy/go-json"

	"hark"
)

// statusClientClosed is logged when the client went away before the answer was ready (nginx's 499).
const statusClientClosed = 499

// handlerFunc is a handler that returns its error for the one adapter below to answer.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts h to net/http. It is the one place where handler errors become answers: JSON
// under /api/, an HTML error page elsewhere (see writeError).
func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	}
}

// errorStatus maps err onto an HTTP status with errors.Is.
func errorStatus(err error) int {
	switch {
	case errors.Is(err, hark.ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, hark.ErrUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, hark.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, hark.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, hark.ErrTooMany):
		return http.StatusTooManyRequests
	case errors.Is(err, errTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, hark.ErrUnavailable):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// serveError logs err when it is the server's fault and answers it with a status and a message
// that is safe to show: the error's own user message for 4xx, a generic one for 5xx.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	ctx := r.Context()
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		s.logger.DebugContext(ctx, "Client went away", slog.String("request_id", RequestID(ctx)))
		w.WriteHeader(statusClientClosed)
		return
	}
	status := errorStatus(err)
	msg := hark.ErrorMessage(err)
	if wait := hark.RetryAfter(err); wait > 0 {
		w.Header().Set("Retry-After", retrySeconds(wait))
	}
	switch {
	case status == http.StatusServiceUnavailable:
		s.logUnavailable(r, err)
		msg = "" // the detail names internal hosts; users get the generic text
	case status >= 500:
		s.logger.ErrorContext(ctx, "Request failed", slog.Any("error", err),
			slog.String("path", r.URL.Path), slog.String("request_id", RequestID(ctx)))
		s.recordError(r, hark.ErrorHTTP5xx, err.Error(), "")
		msg = ""
	}
	s.writeError(w, r, status, msg)
}

// defaultMessage is the text shown for a status when the error carries no user message.
func defaultMessage(status int, requestID string) string {
	switch status {
	case http.StatusBadRequest:
		return "The request is not valid."
	case http.StatusUnauthorized:
		return "Wrong or missing API key: send it in the X-ListenAPI-Key header."
	case http.StatusForbidden:
		return "Forbidden."
	case http.StatusNotFound:
		return "Not found."
	case http.StatusMethodNotAllowed:
		return "Method not allowed."
	case http.StatusRequestEntityTooLarge:
		return "The request body is too large."
	case http.StatusTooManyRequests:
		return "Too many requests."
	case http.StatusServiceUnavailable:
		return "Search is unavailable right now. Please try again in a minute."
	}
	return "Something went wrong on our end. If it keeps happening, report request ID " + requestID + "."
}

// errorBody is the JSON body of every API error:
//
//	{"error": {"code": 400, "message": "page_size: must be between 1 and 10"}}
//
// The Listen API spec defines status codes but no error body; this shape is Hark's.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// writeError answers status with msg (or the status's default text) as JSON under /api/ and
// as an HTML page elsewhere.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if msg == "" {
		msg = defaultMessage(status, RequestID(r.Context()))
	}
	if isAPIPath(r) {
		writeJSON(w, status, errorBody{Error: errorDetail{Code: status, Message: msg}})
		return
	}
	s.renderErrorPage(w, r, status, msg)
}

func isAPIPath(r *http.Request) bool {
	return r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") ||
		r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/oembed"
}

// writeJSON writes v as the JSON response with status. The body is encoded first and sent with
// its Content-Length in one write, not in chunks. Highlights carry <span> marks that clients
// render as HTML, so HTML characters are not escaped.
func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer putJSONBuffer(buf)
	buf.Reset()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // Encode ends the body with a newline
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":{"code":500,"message":"The response could not be encoded."}}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // the status is out; a write error means the client left
}

// jsonBuffers hold JSON answers while they are written: encoding into a reused buffer saves
// the two copies of each answer that marshaling and appending the newline made.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putJSONBuffer returns buf to the pool unless one huge answer grew it.
func putJSONBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= 1<<20 {
		jsonBuffers.Put(buf)
	}
}

// handleNotFound answers routes that do not exist.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	msg := ""
	if isAPIPath(r) {
		msg = "No such endpoint: " + r.URL.Path + ". See /docs/api for the endpoints Hark has."
	} else {
		setPageHeaders(w.Header(), false)
		msg = "There is no page at this address."
	}
	s.writeError(w, r, http.StatusNotFound, msg)
}

// handleMethodNotAllowed answers known routes asked with the wrong method.
func (s *Server) handleMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	// RFC 9110 asks a 405 to list the methods the resource has; chi knows them but does not
	// hand them to a custom handler, so each is matched again.
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if s.router.Match(chi.NewRouteContext(), m, r.URL.Path) {
			w.Header().Add("Allow", m)
		}
	}
	s.writeError(w, r, http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path+".")
}
