package hark

import "time"

// Kinds of ErrorEvent.
const (
	ErrorHTTPPanic = "http_panic" // a handler panicked
	ErrorHTTP5xx   = "http_5xx"   // a request was answered with a 5xx
	ErrorJobPanic  = "job_panic"  // a River job panicked
	ErrorJobFailed = "job_failed" // a River job failed its last attempt
)

// ErrorEvent is one occurrence of an unexpected error, as the errors page shows it.
type ErrorEvent struct {
	Kind    string // one of the Error* kinds
	Message string
	// Stack is the goroutine's stack as runtime/debug.Stack writes it, empty when the error
	// carries none (a returned error).
	Stack string
	// Where is the route ("GET /api/v2/search") or job kind the error happened in. Errors
	// without a stack are grouped by it and their message.
	Where string
	// Context is what was going on: the request (method, path, request ID) or the job (kind,
	// ID, attempt). Never secrets: no API keys, cookies or query values.
	Context map[string]any
	At      time.Time
}
