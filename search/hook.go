package search

import (
	"context"
	"net/url"

	"hark"
	"hark/search/internal/hook"
)

// The helpers searchtest passes on to tests and the bench (see package hook).
func init() {
	hook.DropAll = func(ctx context.Context, ix any) error { return ix.(*Index).dropAll(ctx) }
	hook.SearchValues = func(ix any, q hark.SearchQuery) (url.Values, string, error) { return ix.(*Index).searchValues(q) }
	hook.SuggestValues = func(ix any, prefix string) (string, string) { return ix.(*Index).suggestValues(prefix) }
}
