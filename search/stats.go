package search

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"

	"github.com/typesense/typesense-go/v3/typesense/api"

	"hark"
)

// statsChunk is how many podcast IDs one export filter names.
const statsChunk = 100

// Stats sums up a podcast's episode documents, for comparing the index with Postgres.
type Stats struct {
	Count      int   // episode documents
	UpdatedSum int64 // sum of their updated_at, in unix seconds
}

// CountEpisodes returns how many episode documents podcastID has. Returns ErrInvalid when
// podcastID is not a Hark ID.
func (ix *Index) CountEpisodes(ctx context.Context, podcastID string) (int, error) {
	if !hark.ValidID(podcastID) {
		return 0, hark.Errorf(hark.ErrInvalid, "podcast ID %q is not a Hark ID", podcastID)
	}
	ctx, cancel := ix.queryContext(ctx)
	defer cancel()
	res, err := ix.client.Collection(ix.alias(kindEpisodes)).Documents().Search(ctx, &api.SearchCollectionParams{
		Q:        new("*"),
		QueryBy:  new("title"),
		FilterBy: new("podcast_id:=" + quote(podcastID)),
		PerPage:  new(0),
	})
	if err != nil {
		return 0, fmt.Errorf("count episodes of %s: %w", podcastID, interpretReadError(err, ix.alias(kindEpisodes)))
	}
	return deref(res.Found), nil
}

// PodcastEpisodeStats returns, for each of podcastIDs, the number of its episode documents and
// the sum of their updated_at. Podcasts without documents get zero Stats. The reconcile job
// compares these with Postgres to find podcasts to reindex. Returns ErrInvalid when an ID is not
// a Hark ID.
func (ix *Index) PodcastEpisodeStats(ctx context.Context, podcastIDs []string) (map[string]Stats, error) {
	stats := make(map[string]Stats, len(podcastIDs))
	for _, id := range podcastIDs {
		if !hark.ValidID(id) {
			return nil, hark.Errorf(hark.ErrInvalid, "podcast ID %q is not a Hark ID", id)
		}
		stats[id] = Stats{}
	}
	for start := 0; start < len(podcastIDs); start += statsChunk {
		if err := ix.addStats(ctx, stats, podcastIDs[start:min(start+statsChunk, len(podcastIDs))]); err != nil {
			return nil, fmt.Errorf("podcast episode stats: %w", err)
		}
	}
	return stats, nil
}

// addStats streams the podcast_id and updated_at of the episode documents of ids (an export, so
// no page limits) and adds them up into stats. Typesense 0.24 has no sum aggregation we could ask
// for instead: facet stats are floats.
func (ix *Index) addStats(ctx context.Context, stats map[string]Stats, ids []string) error {
	ctx, cancel := ix.importContext(ctx)
	defer cancel()
	rc, err := ix.client.Collection(ix.alias(kindEpisodes)).Documents().Export(ctx, &api.ExportDocumentsParams{
		FilterBy:      new("podcast_id:=" + quoteList(ids)),
		IncludeFields: new("podcast_id,updated_at"),
	})
	if err != nil {
		return fmt.Errorf("export: %w", interpretError(err))
	}
	defer rc.Close()
	sc := bufio.NewScanner(rc)
	for sc.Scan() {
		var d struct {
			PodcastID string `json:"podcast_id"`
			UpdatedAt int64  `json:"updated_at"`
		}
		if len(sc.Bytes()) == 0 {
			continue
		}
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		s := stats[d.PodcastID]
		s.Count++
		s.UpdatedSum += d.UpdatedAt
		stats[d.PodcastID] = s
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("export: %w", interpretError(err))
	}
	return nil
}
