package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"hark"
	"hark/jobs"
)

// ensureIndexWait is how long start-up waits for a Typesense that is up but not ready yet: one
// that has just restarted answers 503 "Not Ready or Lagging" while it catches up on its log.
const ensureIndexWait = time.Minute

// EnsureIndex creates the search collections when they are missing and adds the fields a newer
// Hark filters on to older ones. With reindex, it then enqueues a rebuild (jobs.ReindexArgs) to
// fill those fields in every document; the workers run it while search keeps answering.
func (a *App) EnsureIndex(ctx context.Context, reindex bool) error {
	deadline := time.Now().Add(ensureIndexWait)
	for wait := 200 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
		fill, err := a.Index.EnsureCollections(ctx)
		if err == nil {
			if !fill || !reindex {
				return nil
			}
			return a.fillIndex(ctx)
		}
		if !errors.Is(err, hark.ErrUnavailable) || time.Now().After(deadline) {
			return fmt.Errorf("prepare search index at %v: %w", a.Config.TypesenseURLs, err)
		}
		a.Logger.WarnContext(ctx, "Search index not ready; retrying", slog.Any("error", err), slog.Duration("in", wait))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// fillIndex enqueues one reindex job when the catalogue has podcasts: for an index that
// EnsureCollections had to create (Typesense lost its data) or give new fields.
func (a *App) fillIndex(ctx context.Context) error {
	n, err := a.Store.CountPodcasts(ctx)
	if err != nil {
		return fmt.Errorf("count podcasts for the search index: %w", err)
	}
	if n == 0 {
		return nil // a new installation: the crawls index what they store
	}
	if _, err := a.Client.Insert(ctx, jobs.ReindexArgs{}, nil); err != nil {
		return fmt.Errorf("enqueue the reindex the search index needs: %w", err)
	}
	a.Logger.WarnContext(ctx, "Search index is new or built by an older Hark: reindex enqueued to fill it from Postgres", slog.Int("podcasts", n))
	return nil
}
