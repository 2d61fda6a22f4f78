package hark

import (
	"errors"
	"fmt"
	"time"
)

// ErrNotFound means the thing asked for does not exist.
var ErrNotFound = errors.New("not found")

// ErrInvalid means the caller's input was rejected; the error text says why in words for a user.
var ErrInvalid = errors.New("invalid input")

// ErrConflict means the write clashes with existing data (a unique key, say).
var ErrConflict = errors.New("conflict")

// ErrUnauthorized means the request carries no valid credentials.
var ErrUnauthorized = errors.New("unauthorized")

// ErrUnavailable means a backing service (Typesense, say) is down or overloaded; retry later.
var ErrUnavailable = errors.New("service unavailable")

// ErrTooMany means the caller went over a limit (a request rate, a daily cap); RetryAfter says
// when to try again.
var ErrTooMany = errors.New("too many requests")

// userError is an error whose message is safe and useful to show a user, and which matches one
// of the sentinels above with errors.Is.
type userError struct {
	kind       error
	msg        string
	retryAfter time.Duration
}

func (e *userError) Error() string        { return e.msg }
func (e *userError) Is(target error) bool { return target == e.kind }

// Errorf returns an error that matches kind (one of the sentinels) and whose message, meant for
// users, is the formatted text.
func Errorf(kind error, format string, args ...any) error {
	return &userError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// Limitf returns an error that matches ErrTooMany, with a message for users and the time after
// which the caller may try again.
func Limitf(retryAfter time.Duration, format string, args ...any) error {
	return &userError{kind: ErrTooMany, msg: fmt.Sprintf(format, args...), retryAfter: retryAfter}
}

// RetryAfter returns the wait an error made by Limitf carries, else 0.
func RetryAfter(err error) time.Duration {
	var ue *userError
	if errors.As(err, &ue) {
		return ue.retryAfter
	}
	return 0
}

// ErrorMessage returns the user-facing message of err when it was made by Errorf, else "".
func ErrorMessage(err error) string {
	var ue *userError
	if errors.As(err, &ue) {
		return ue.msg
	}
	return ""
}
