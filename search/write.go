package search

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/typesense/typesense-go/v3/typesense/api"

	"hark"
)

// deleteChunk is how many IDs one delete request names in its filter, which travels in the URL.
const deleteChunk = 100

// UpsertPodcasts writes podcast documents, replacing those with the same IDs. Returns ErrInvalid
// when an ID is not a Hark ID, ErrUnavailable when Typesense is down.
func (ix *Index) UpsertPodcasts(ctx context.Context, pods []hark.Podcast) error {
	if err := ix.upsertPodcasts(ctx, ix.writeTargets(kindPodcasts), pods); err != nil {
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
	n, err := ix.upsertEpisodes(ctx, ix.writeTargets(kindEpisodes), eps, podcasts)
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
		for _, c := range ix.writeTargets(kindEpisodes) {
			if err := ix.deleteWhere(ctx, c, filter); err != nil {
				return fmt.Errorf("delete episodes: %w", err)
			}
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
	for _, c := range ix.writeTargets(kindEpisodes) {
		if err := ix.deleteWhere(ctx, c, "podcast_id:="+quote(podcastID)); err != nil {
			return fmt.Errorf("delete podcast %s: %w", podcastID, err)
		}
	}
	for _, c := range ix.writeTargets(kindPodcasts) {
		if err := ix.deleteWhere(ctx, c, "id:="+quote(podcastID)); err != nil {
			return fmt.Errorf("delete podcast %s: %w", podcastID, err)
		}
	}
	return nil
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

// writeTargets returns where writes of kind go: the alias, then the new collections of any
// rebuild in progress, so a rebuild does not miss changes made while it runs.
func (ix *Index) writeTargets(kind string) []string {
	targets := []string{ix.alias(kind)}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for r := range ix.rebuilds {
		targets = append(targets, r.collection(kind))
	}
	return targets
}
