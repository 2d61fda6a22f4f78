// Package hook hands package search's helpers for tests and the bench to searchtest, so that they
// stay out of search's API. Package search sets the functions when it is initialised. Their ix is
// a *search.Index, which this package cannot name: search imports it.
package hook

import (
	"context"
	"net/url"

	"hark"
)

// The helpers searchtest passes on; see searchtest's functions of the same names.
var (
	DropAll       func(ctx context.Context, ix any) error
	SearchValues  func(ix any, q hark.SearchQuery) (url.Values, string, error)
	SuggestValues func(ix any, prefix string) (podcasts, episodes string)
)
