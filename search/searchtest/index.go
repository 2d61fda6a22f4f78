package searchtest

import (
	"context"
	"net/url"

	"hark"
	"hark/search"
	"hark/search/internal/hook"
)

// DropAll deletes every alias and collection of ix's prefix: <prefix>episodes, <prefix>podcasts
// and their versions. Other names on the server are left alone, even with an empty prefix.
// Tests call it when they end; the bench, when it is done with its index.
func DropAll(ctx context.Context, ix *search.Index) error { return hook.DropAll(ctx, ix) }

// SearchValues returns the Typesense search parameters ix.Search sends for q (for its first
// page, when the window spans two) and the collection kind they go to, "episodes" or "podcasts"
// without the index prefix. The bench sends them straight to Typesense to measure what Hark
// adds to a search.
func SearchValues(ix *search.Index, q hark.SearchQuery) (url.Values, string, error) {
	return hook.SearchValues(ix, q)
}

// SuggestValues returns the Typesense searches ix.Suggest sends for prefix, as query strings for
// the podcasts and the episodes collections (episodes "" when it sends none). The bench sends
// them straight to Typesense to measure what Hark adds to a suggestion.
func SuggestValues(ix *search.Index, prefix string) (podcasts, episodes string) {
	return hook.SuggestValues(ix, prefix)
}
