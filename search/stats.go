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

// PodcastDoc is what the reconcile job compares of a podcast document with Postgres.
type PodcastDoc struct {
	UpdatedAt    int64 // unix seconds
	EpisodeCount int
}

// PodcastDocs returns the podcast documents of podcastIDs that the index holds, by ID; podcasts
// without a document are absent from the map. Returns ErrInvalid when an ID is not a Hark ID.
func (ix *Index) PodcastDocs(ctx context.Context, podcastIDs []string) (map[string]PodcastDoc, error) {
	for _, id := range podcastIDs {
		if !hark.ValidID(id) {
			return nil, hark.Errorf(hark.ErrInvalid, "podcast ID %q is not a Hark ID", id)
		}
	}
	docs := make(map[string]PodcastDoc, len(podcastIDs))
	for start := 0; start < len(podcastIDs); start += statsChunk {
		filter := "podcast_id:=" + quoteList(podcastIDs[start:min(start+statsChunk, len(podcastIDs))])
		err := ix.exportEach(ctx, ix.alias(kindPodcasts), filter, "id,updated_at,episode_count", func(line []byte) error {
			var d struct {
				ID           string `json:"id"`
				UpdatedAt    int64  `json:"updated_at"`
				EpisodeCount int    `json:"episode_count"`
			}
			if err := json.Unmarshal(line, &d); err != nil {
				return err
			}
			docs[d.ID] = PodcastDoc{UpdatedAt: d.UpdatedAt, EpisodeCount: d.EpisodeCount}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("podcast docs: %w", err)
		}
	}
	return docs, nil
}

// EpisodeIDs returns the IDs of podcastID's episode documents. Returns ErrInvalid when podcastID
// is not a Hark ID.
func (ix *Index) EpisodeIDs(ctx context.Context, podcastID string) ([]string, error) {
	if !hark.ValidID(podcastID) {
		return nil, hark.Errorf(hark.ErrInvalid, "podcast ID %q is not a Hark ID", podcastID)
	}
	var ids []string
	err := ix.exportEach(ctx, ix.alias(kindEpisodes), "podcast_id:="+quote(podcastID), "id", func(line []byte) error {
		var d struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(line, &d); err != nil {
			return err
		}
		ids = append(ids, d.ID)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("episode ids of %s: %w", podcastID, err)
	}
	return ids, nil
}

// Totals counts every document of the index.
type Totals struct {
	Episodes int
	Podcasts int
}

// Totals returns how many episode and podcast documents the index holds.
func (ix *Index) Totals(ctx context.Context) (Totals, error) {
	var t Totals
	for _, c := range []struct {
		kind string
		n    *int
	}{{kindEpisodes, &t.Episodes}, {kindPodcasts, &t.Podcasts}} {
		res, err := ix.searchAll(ctx, c.kind, nil)
		if err != nil {
			return Totals{}, fmt.Errorf("count documents: %w", err)
		}
		*c.n = deref(res.Found)
	}
	return t, nil
}

// PodcastIDs returns every podcast ID the index holds documents for: the IDs of podcast documents
// and the podcast_id of episode documents. It reads the whole index, so the reconcile job calls
// it only when the totals say that documents of unknown podcasts exist.
func (ix *Index) PodcastIDs(ctx context.Context) ([]string, error) {
	seen := map[string]bool{}
	err := ix.exportEach(ctx, ix.alias(kindPodcasts), "", "id", func(line []byte) error {
		var d struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(line, &d); err != nil {
			return err
		}
		seen[d.ID] = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("podcast ids: %w", err)
	}
	// The episodes' podcast IDs come from a facet rather than an export: one answer whatever the
	// number of episodes. A facet returns at most max_facet_values values, so we ask for as many
	// as there are documents and check that the counts add up to them. Index jobs may add
	// episodes meanwhile: when a page found more documents than we asked values for, we ask again
	// with its count.
	t, err := ix.Totals(ctx)
	if err != nil {
		return nil, fmt.Errorf("podcast ids: %w", err)
	}
	for want, attempt := t.Episodes, 1; want > 0; attempt++ {
		res, err := ix.searchAll(ctx, kindEpisodes, &api.SearchCollectionParams{
			FacetBy: new("podcast_id"), MaxFacetValues: new(want),
		})
		if err != nil {
			return nil, fmt.Errorf("podcast ids: %w", err)
		}
		sum := 0
		for _, fc := range deref(res.FacetCounts) {
			for _, c := range deref(fc.Counts) {
				sum += deref(c.Count)
			}
		}
		found := deref(res.Found)
		if sum != found {
			if found > want && attempt < 3 {
				want = found
				continue
			}
			return nil, fmt.Errorf("podcast ids: facet counts add up to %d of %d episode documents", sum, found)
		}
		for _, fc := range deref(res.FacetCounts) {
			for _, c := range deref(fc.Counts) {
				seen[deref(c.Value)] = true
			}
		}
		break
	}
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	return ids, nil
}

// searchAll matches every document of kind and returns no hits, only Found and what extra asks
// for (facets, say). It is a maintenance read over the whole collection, so it gets the import
// timeout rather than the query timeout.
func (ix *Index) searchAll(ctx context.Context, kind string, extra *api.SearchCollectionParams) (*api.SearchResult, error) {
	ctx, cancel := ix.importContext(ctx)
	defer cancel()
	p := &api.SearchCollectionParams{}
	if extra != nil {
		*p = *extra
	}
	p.Q, p.QueryBy, p.PerPage = new("*"), new("title"), new(0)
	res, err := ix.client.Collection(ix.alias(kind)).Documents().Search(ctx, p)
	if err != nil {
		return nil, interpretReadError(err, ix.alias(kind))
	}
	return res, nil
}

// exportEach streams the documents of collection that match filter (all of them when filter is
// ""), with only fields, and calls fn with each one's JSON.
func (ix *Index) exportEach(ctx context.Context, collection, filter, fields string, fn func(line []byte) error) error {
	ctx, cancel := ix.importContext(ctx)
	defer cancel()
	params := &api.ExportDocumentsParams{IncludeFields: &fields}
	if filter != "" {
		params.FilterBy = &filter
	}
	rc, err := ix.client.Collection(collection).Documents().Export(ctx, params)
	if err != nil {
		return fmt.Errorf("export %s: %w", collection, interpretError(err))
	}
	defer rc.Close()
	sc := bufio.NewScanner(rc)
	for sc.Scan() {
		if len(sc.Bytes()) == 0 {
			continue
		}
		if err := fn(sc.Bytes()); err != nil {
			return fmt.Errorf("export %s: %w", collection, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("export %s: %w", collection, interpretError(err))
	}
	return nil
}
