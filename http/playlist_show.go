package http

import (
	"cmp"
	"context"
	"net/http"
	"slices"

	"github.com/go-chi/chi/v5"

	"hark"
	"hark/db"
)

// playlistResponse is PlaylistResponse.
type playlistResponse struct {
	ID                  string         `json:"id"`
	Name                string         `json:"name"`
	Description         string         `json:"description"`
	Image               string         `json:"image"`
	Thumbnail           string         `json:"thumbnail"`
	ListennotesURL      string         `json:"listennotes_url"`
	Type                string         `json:"type"`
	Visibility          string         `json:"visibility"`
	Total               int            `json:"total"`
	TotalAudioLengthSec int            `json:"total_audio_length_sec"`
	LastTimestampMS     int64          `json:"last_timestamp_ms"`
	Items               []playlistItem `json:"items"`
}

// handlePlaylistShow handles "GET /api/v2/playlists/{id}": one page of the playlist's episodes or
// podcasts. last_timestamp_ms is the cursor: the sort time of the last item of the page before.
func (s *Server) handlePlaylistShow(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	pl, err := s.store.FindPlaylist(r.Context(), id)
	if k, ok := requestKey(r); err == nil && pl.Visibility == "private" && (!ok || k.ID != pl.APIKeyID) {
		err = hark.ErrNotFound
	}
	if err != nil {
		return playlistNotFound(id, err)
	}
	p := &params{v: r.URL.Query()}
	view := cmp.Or(oneOf(p, "type", playlistTypes), &pl.Type)
	sort := *cmp.Or(oneOf(p, "sort", playlistItemSorts), &playlistItemSorts[0])
	cursor := ms(p.millis("last_timestamp_ms"))
	if p.err != nil {
		return p.err
	}
	items, err := s.playlistItems(r.Context(), pl.ID, *view == "podcast_list", sort)
	if err != nil {
		return err
	}
	resp := playlistResponse{
		ID: pl.ID, Name: pl.Name, Description: pl.Description, Visibility: pl.Visibility, Type: *view,
		ListennotesURL: s.cfg.BaseURL + "/api/v2/playlists/" + pl.ID, Total: len(items),
		TotalAudioLengthSec: pl.AudioSec, Items: pageAfter(items, sort, cursor),
	}
	if len(items) > 0 {
		resp.Image, resp.Thumbnail = itemImage(items[0])
	}
	if n := len(resp.Items); n > 0 {
		resp.LastTimestampMS = resp.Items[n-1].sortKey
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// pageAfter returns the page of sorted items that follows the cursor (0: the first page).
func pageAfter(items []playlistItem, sort string, cursor int64) []playlistItem {
	oldestFirst := sort == "oldest_added_first" || sort == "oldest_published_first"
	i := 0
	if cursor > 0 {
		i = slices.IndexFunc(items, func(it playlistItem) bool {
			return (oldestFirst && it.sortKey > cursor) || (!oldestFirst && it.sortKey < cursor)
		})
		if i < 0 {
			i = len(items)
		}
	}
	page := items[i:min(len(items), i+playlistItemsPerPage)]
	return append([]playlistItem{}, page...)
}

func itemImage(it playlistItem) (string, string) {
	switch d := it.Data.(type) {
	case episodeSimple:
		return d.Image, d.Thumbnail
	case podcastSimple:
		return d.Image, d.Thumbnail
	}
	return "", ""
}

// playlistItems reads one view of a playlist with what its items point to, sorted.
func (s *Server) playlistItems(ctx context.Context, playlistID string, podcasts bool, sort string) ([]playlistItem, error) {
	rows, err := s.store.FindPlaylistItems(ctx, db.PlaylistItemFilter{PlaylistID: playlistID, Podcasts: podcasts, Limit: maxPlaylistItems})
	if err != nil {
		return nil, err
	}
	items, err := s.itemData(ctx, rows)
	if err != nil {
		return nil, err
	}
	byPublished := sort == "recent_published_first" || sort == "oldest_published_first"
	for i := range items {
		if !byPublished {
			items[i].sortKey = items[i].AddedAtMS
		}
	}
	oldestFirst := sort == "oldest_added_first" || sort == "oldest_published_first"
	slices.SortStableFunc(items, func(a, b playlistItem) int {
		if oldestFirst {
			return cmp.Compare(a.sortKey, b.sortKey)
		}
		return cmp.Compare(b.sortKey, a.sortKey)
	})
	return items, nil
}
