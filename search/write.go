package search

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/typesense/typesense-go/v3/typesense/api"

	"hark"
)

// deleteChunk is how many IDs one delete request names in its filter, which travels in the URL.
const deleteChunk = 100

// UpsertPodcasts writes podcast documents, replacing those with the same IDs. Returns ErrInvalid
// when an ID is not a Hark ID, ErrUnavailable when Typesense is down.
func (ix *Index) UpsertPodcasts(ctx context.Context, pods []hark.Podcast) error {
	err := ix.writeTo(ctx, kindPodcasts, func(cs []string) error { return ix.upsertPodcasts(ctx, cs, pods) })
	if err != nil {
		return fmt.Errorf("upsert podcasts: %w", err)
	}
	return nil
}

func (ix *Index) upsertPodcasts(ctx context.Context, collections []string, pods []hark.Podcast) error {
	docs := make([]podcastDoc, 0, len(pods))
	for i := range pods {
		if !hark.ValidID(pods[i].ID) {
			return hark.Errorf(hark.ErrInvalid, "podcast ID %q is not a Hark ID", pods[i].ID)
		}
		docs = append(docs, newPodcastDoc(&pods[i]))
	}
	for _, c := range collections {
		if _, err := importDocs(ctx, ix, c, docs); err != nil {
			return err
		}
	}
	return nil
}

// UpsertEpisodes writes episode documents, replacing those with the same IDs, and returns how many
// were written. Each document copies fields of its podcast, found in podcasts by PodcastID
// (title, publisher, image, genre_ids, language, country, explicit, quality score); an episode
// whose podcast is missing there is skipped and logged. Gone episodes are written like the others;
// callers that want them out of search call DeleteEpisodes.
//
// Returns ErrInvalid when an ID is not a Hark ID, ErrUnavailable when Typesense is down. When the
// server refuses some documents, the others are written, and the count says how many.
func (ix *Index) UpsertEpisodes(ctx context.Context, eps []hark.Episode, podcasts map[string]*hark.Podcast) (int, error) {
	var n int
	err := ix.writeTo(ctx, kindEpisodes, func(cs []string) error {
		var err error
		n, err = ix.upsertEpisodes(ctx, cs, eps, podcasts)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("upsert episodes: %w", err)
	}
	return n, nil
}

// upsertEpisodes writes eps into each collection and returns the count written into the first.
func (ix *Index) upsertEpisodes(ctx context.Context, collections []string, eps []hark.Episode, podcasts map[string]*hark.Podcast) (int, error) {
	docs := make([]episodeDoc, 0, len(eps))
	for i := range eps {
		e := &eps[i]
		if !hark.ValidID(e.ID) {
			return 0, hark.Errorf(hark.ErrInvalid, "episode ID %q is not a Hark ID", e.ID)
		}
		p := podcasts[e.PodcastID]
		if p == nil {
			ix.logger.WarnContext(ctx, "Episode not indexed: podcast missing",
				slog.String("episode_id", e.ID), slog.String("podcast_id", e.PodcastID))
			continue
		}
		docs = append(docs, newEpisodeDoc(e, p))
	}
	written := 0
	for i, c := range collections {
		n, err := importDocs(ctx, ix, c, docs)
		if i == 0 {
			written = n
		}
		if err != nil {
			return written, err
		}
	}
	return written, nil
}

// DeleteEpisodes removes the episode documents with these IDs; IDs not in the index are ignored.
// Returns ErrInvalid when an ID is not a Hark ID.
func (ix *Index) DeleteEpisodes(ctx context.Context, ids []string) error {
	for _, id := range ids {
		if !hark.ValidID(id) {
			return hark.Errorf(hark.ErrInvalid, "episode ID %q is not a Hark ID", id)
		}
	}
	for start := 0; start < len(ids); start += deleteChunk {
		filter := "id:=" + quoteList(ids[start:min(start+deleteChunk, len(ids))])
		if err := ix.deleteFrom(ctx, kindEpisodes, filter); err != nil {
			return fmt.Errorf("delete episodes: %w", err)
		}
	}
	return nil
}

// DeletePodcast removes the podcast document and all its episode documents. Returns ErrInvalid
// when podcastID is not a Hark ID; a podcast not in the index is no error.
func (ix *Index) DeletePodcast(ctx context.Context, podcastID string) error {
	if !hark.ValidID(podcastID) {
		return hark.Errorf(hark.ErrInvalid, "podcast ID %q is not a Hark ID", podcastID)
	}
	if err := ix.deleteFrom(ctx, kindEpisodes, "podcast_id:="+quote(podcastID)); err != nil {
		return fmt.Errorf("delete podcast %s: %w", podcastID, err)
	}
	if err := ix.deleteFrom(ctx, kindPodcasts, "id:="+quote(podcastID)); err != nil {
		return fmt.Errorf("delete podcast %s: %w", podcastID, err)
	}
	return nil
}

// deleteFrom deletes the documents matching filter wherever writes of kind go.
func (ix *Index) deleteFrom(ctx context.Context, kind, filter string) error {
	return ix.writeTo(ctx, kind, func(cs []string) error {
		for _, c := range cs {
			if err := ix.deleteWhere(ctx, c, filter); err != nil {
				return err
			}
		}
		return nil
	})
}

// deleteWhere deletes the documents of collection that match filter. We delete by filter even for
// one ID: deleting /documents/<id> answers 404 for a document already gone.
func (ix *Index) deleteWhere(ctx context.Context, collection, filter string) error {
	ctx, cancel := ix.importContext(ctx)
	defer cancel()
	params := &api.DeleteDocumentsParams{FilterBy: &filter, BatchSize: new(500)}
	if _, err := ix.client.Collection(collection).Documents().Delete(ctx, params); err != nil {
		return fmt.Errorf("delete from %s: %w", collection, interpretError(err))
	}
	return nil
}

// aliasTTL is how long a write trusts its idea of where an alias points. Another process's
// rebuild may move the alias; writes into the dropped old collection then fail with 404, which
// makes the next write look again (see writeTo).
const aliasTTL = 30 * time.Second

// resolvedAlias is the collection an alias pointed at, and when we asked.
type resolvedAlias struct {
	collection string
	at         time.Time
}

// writeTargets returns where writes of kind go: the collection the alias points at, then the new
// collections of any rebuild in progress, so a rebuild does not miss changes made while it runs.
//
// Writes name the collection, never the alias: Typesense 0.24.1 replays its Raft log on restart
// without the writes that were addressed to an alias, so every document written through an alias
// since the last snapshot (hourly by default) vanished after a restart, and deleted ones came back.
func (ix *Index) writeTargets(ctx context.Context, kind string) ([]string, error) {
	ix.mu.Lock()
	t, ok := ix.targets[kind]
	ix.mu.Unlock()
	if !ok || time.Since(t.at) > aliasTTL {
		name, err := ix.aliasTarget(ctx, kind)
		// In a cluster, a follower may not have replicated an alias the leader just made.
		for wait := 50 * time.Millisecond; isNotFound(err) && wait < 2*time.Second; wait *= 2 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(wait):
			}
			name, err = ix.aliasTarget(ctx, kind)
		}
		if err != nil {
			return nil, err
		}
		t = resolvedAlias{collection: name, at: time.Now()}
		ix.mu.Lock()
		ix.targets[kind] = t
		ix.mu.Unlock()
	}
	targets := []string{t.collection}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for r := range ix.rebuilds {
		targets = append(targets, r.collection(kind))
	}
	return targets, nil
}

// forgetTargets drops the resolved aliases, after a rebuild moved them or a write found its
// collection gone.
func (ix *Index) forgetTargets() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	clear(ix.targets)
}

// writeTo runs write on the collections writes of kind go to. When a collection is missing (a
// rebuild elsewhere dropped it), it looks the alias up again and tries once more.
func (ix *Index) writeTo(ctx context.Context, kind string, write func(collections []string) error) error {
	for attempt := 0; ; attempt++ {
		targets, err := ix.writeTargets(ctx, kind)
		if err != nil {
			return err
		}
		err = write(targets)
		if err == nil || !isNotFound(err) || attempt > 0 {
			return err
		}
		ix.forgetTargets()
	}
}
