package search

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"hark"
)

// Rebuild is a full reindex in progress: new versions of both collections that the caller fills
// from Postgres, and then either commits (the aliases swap to them) or aborts. Searches keep
// answering from the current versions until Commit. While it runs, the Index's own writes and
// deletes go to both versions, so changes made meanwhile are not lost.
type Rebuild struct {
	ix      *Index
	version string
	done    bool
}

// BeginRebuild creates empty collections <prefix>episodes_v<unix-nanos> and
// <prefix>podcasts_v<unix-nanos> to fill.
func (ix *Index) BeginRebuild(ctx context.Context) (*Rebuild, error) {
	ctx, cancel := ix.importContext(ctx)
	defer cancel()
	r := &Rebuild{ix: ix, version: strconv.FormatInt(time.Now().UnixNano(), 10)}
	if err := ix.createCollections(ctx, r.version); err != nil {
		_ = r.drop(ctx) // best effort; the error that matters is the one above
		return nil, fmt.Errorf("begin rebuild: %w", err)
	}
	ix.mu.Lock()
	ix.rebuilds[r] = true
	ix.mu.Unlock()
	ix.logger.InfoContext(ctx, "Search rebuild started", slog.String("version", r.version))
	return r, nil
}

// collection returns the name of the rebuild's new collection of kind.
func (r *Rebuild) collection(kind string) string { return r.ix.versioned(kind, r.version) }

// UpsertPodcasts writes podcast documents into the new collection, as Index.UpsertPodcasts does.
func (r *Rebuild) UpsertPodcasts(ctx context.Context, pods []hark.Podcast) error {
	if err := r.ix.upsertPodcasts(ctx, []string{r.collection(kindPodcasts)}, pods); err != nil {
		return fmt.Errorf("rebuild: upsert podcasts: %w", err)
	}
	return nil
}

// UpsertEpisodes writes episode documents into the new collection, as Index.UpsertEpisodes does.
func (r *Rebuild) UpsertEpisodes(ctx context.Context, eps []hark.Episode, podcasts map[string]*hark.Podcast) (int, error) {
	n, err := r.ix.upsertEpisodes(ctx, []string{r.collection(kindEpisodes)}, eps, podcasts)
	if err != nil {
		return n, fmt.Errorf("rebuild: upsert episodes: %w", err)
	}
	return n, nil
}

// Commit points the aliases at the new collections and drops the ones they pointed at before.
// After Commit, Abort does nothing. A failure to drop an old collection is logged, not returned:
// the swap has happened, and the leftover is only disk space (DropAll removes it).
func (r *Rebuild) Commit(ctx context.Context) error {
	ctx, cancel := r.ix.importContext(ctx)
	defer cancel()
	if r.done {
		return fmt.Errorf("commit rebuild %s: already finished", r.version)
	}
	var old []string
	for _, kind := range []string{kindEpisodes, kindPodcasts} {
		prev, err := r.ix.aliasTarget(ctx, kind)
		if err != nil && !isNotFound(err) {
			return fmt.Errorf("commit rebuild %s: %w", r.version, err)
		}
		if err := r.ix.pointAlias(ctx, kind, r.collection(kind)); err != nil {
			return fmt.Errorf("commit rebuild %s: %w", r.version, err)
		}
		if prev != "" && prev != r.collection(kind) {
			old = append(old, prev)
		}
	}
	r.finish()
	r.ix.forgetTargets()
	for _, name := range old {
		if err := r.ix.dropCollection(ctx, name); err != nil {
			r.ix.logger.WarnContext(ctx, "Old search collection not dropped",
				slog.String("collection", name), slog.Any("error", err))
		}
	}
	r.ix.logger.InfoContext(ctx, "Search rebuild committed", slog.String("version", r.version))
	return nil
}

// Abort drops the new collections; the aliases keep pointing where they did. Aborting a rebuild
// that is already committed or aborted does nothing.
func (r *Rebuild) Abort(ctx context.Context) error {
	if r.done {
		return nil
	}
	ctx, cancel := r.ix.importContext(ctx)
	defer cancel()
	r.finish()
	if err := r.drop(ctx); err != nil {
		return fmt.Errorf("abort rebuild %s: %w", r.version, err)
	}
	r.ix.logger.InfoContext(ctx, "Search rebuild aborted", slog.String("version", r.version))
	return nil
}

// finish stops sending the Index's writes to the rebuild.
func (r *Rebuild) finish() {
	r.done = true
	r.ix.mu.Lock()
	delete(r.ix.rebuilds, r)
	r.ix.mu.Unlock()
}

func (r *Rebuild) drop(ctx context.Context) error {
	for _, kind := range []string{kindEpisodes, kindPodcasts} {
		if err := r.ix.dropCollection(ctx, r.collection(kind)); err != nil {
			return err
		}
	}
	return nil
}
