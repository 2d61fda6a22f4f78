package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/typesense/typesense-go/v3/typesense"

	"hark"
)

// interpretError maps what typesense-go returns onto Hark's sentinels, in one place: a server that
// cannot be reached, times out, is fenced off by the circuit breaker or answers 5xx is
// ErrUnavailable; 404 is ErrNotFound and 409 ErrConflict. A caller's own cancellation stays as is.
func interpretError(err error) error {
	var httpErr *typesense.HTTPError
	if errors.As(err, &httpErr) {
		msg := serverMessage(httpErr)
		switch {
		// Typesense answers 408 when a search reaches search_cutoff_ms before it has found a
		// single hit (with hits, it answers 200 and the best so far): it is too busy to search
		// in time, as with a 503.
		case httpErr.Status >= 500 || httpErr.Status == http.StatusRequestTimeout:
			return fmt.Errorf("%w: typesense answered %d: %s", hark.ErrUnavailable, httpErr.Status, msg)
		case httpErr.Status == http.StatusNotFound:
			return fmt.Errorf("%w: typesense: %s", hark.ErrNotFound, msg)
		case httpErr.Status == http.StatusConflict:
			return fmt.Errorf("%w: typesense: %s", hark.ErrConflict, msg)
		}
		return fmt.Errorf("typesense answered %d: %s", httpErr.Status, msg)
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	// Network errors, deadlines, gobreaker.ErrOpenState and replies we cannot decode.
	return fmt.Errorf("%w: typesense: %w", hark.ErrUnavailable, err)
}

// serverMessage returns the "message" of a Typesense error body, else the body.
func serverMessage(e *typesense.HTTPError) string {
	var body struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(e.Body, &body) == nil && body.Message != "" {
		return body.Message
	}
	return string(e.Body)
}

// isNotFound reports whether err, as interpretError returned it, is a 404.
func isNotFound(err error) bool { return errors.Is(err, hark.ErrNotFound) }

// interpretReadError is interpretError for searches: a missing collection or alias is a
// deployment problem, not a missing thing the user asked for, so it is ErrUnavailable.
func interpretReadError(err error, collection string) error {
	err = interpretError(err)
	if isNotFound(err) {
		return fmt.Errorf("%w: collection %s is missing; EnsureCollections creates it", hark.ErrUnavailable, collection)
	}
	return err
}
