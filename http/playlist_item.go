package http

import (
	"context"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"hark"
	"hark/db"
)

const (
	// playlistItemsPerPage is how many items a page of GET /playlists/{id} holds.
	playlistItemsPerPage = 20
	// maxPlaylistItems is how many items of one view GET /playlists/{id} sorts; later ones are
	// not shown.
	maxPlaylistItems = 1000
	// maxItemNotes bounds an item's notes, in characters.
	maxItemNotes = 2000
)

// playlistItemSorts are the sort values of GET /playlists/{id}.
var playlistItemSorts = []string{"recent_added_first", "oldest_added_first", "recent_published_first", "oldest_published_first"}

// playlistItem is PlaylistItem.
type playlistItem struct {
	ID        int64  `json:"id"`
	AddedAtMS int64  `json:"added_at_ms"`
	Notes     string `json:"notes"`
	Type      string `json:"type"`
	Data      any    `json:"data"` // episodeSimple or podcastSimple

	sortKey int64 // the time the page is sorted by, in ms
}

// itemData fills in the episodes and podcasts of items, one query per kind; sortKey is set to
// the publication time.
func (s *Server) itemData(ctx context.Context, rows []db.PlaylistItem) ([]playlistItem, error) {
	var epIDs, podIDs []string
	for _, it := range rows {
		if it.EpisodeID != "" {
			epIDs = append(epIDs, it.EpisodeID)
		} else {
			podIDs = append(podIDs, it.PodcastID)
		}
	}
	eps, err := s.store.FindEpisodesByIDs(ctx, epIDs)
	if err != nil {
		return nil, err
	}
	for _, e := range eps {
		podIDs = append(podIDs, e.PodcastID)
	}
	pods, err := s.store.FindPodcastsByIDs(ctx, podIDs)
	if err != nil {
		return nil, err
	}
	epByID, podByID := indexByID(eps, func(e *hark.Episode) string { return e.ID }), indexByID(pods, podcastID)
	out := make([]playlistItem, 0, len(rows))
	for _, it := range rows {
		item := playlistItem{ID: it.ID, AddedAtMS: ms(it.AddedAt), Notes: it.Notes}
		if e := epByID[it.EpisodeID]; e != nil && podByID[e.PodcastID] != nil {
			p := podByID[e.PodcastID]
			item.Type, item.sortKey = "episode", ms(e.PublishedAt)
			item.Data = episodeSimple{episodeMinimum: s.episodeMinimum(e, p), Podcast: s.podcastMinimum(p)}
		} else if p := podByID[it.PodcastID]; p != nil {
			item.Type, item.sortKey = "podcast", ms(p.LatestPubDate)
			item.Data = s.podcastSimple(p, "")
		} else {
			continue // deleted between the reads
		}
		out = append(out, item)
	}
	return out, nil
}

// handlePlaylistItemAdd handles "POST /api/v2/playlists/{id}/items": 201 with a new item, 200
// with the item when the playlist has it already.
func (s *Server) handlePlaylistItemAdd(w http.ResponseWriter, r *http.Request) error {
	pl, err := s.ownPlaylist(r, chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	p, err := parseForm(w, r)
	if err != nil {
		return err
	}
	epIDs, podIDs := p.ids("episode_id", "episode", 1), p.ids("podcast_id", "podcast", 1)
	notes := itemNotes(p, false)
	if p.err == nil && len(epIDs)+len(podIDs) != 1 {
		p.fail("episode_id", "give exactly one of episode_id and podcast_id")
	}
	if p.err != nil {
		return p.err
	}
	var epID, podID string
	if len(epIDs) == 1 {
		epID = epIDs[0]
		if _, err := s.store.FindEpisodeByID(r.Context(), epID); err != nil {
			return episodeNotFound(epID, err)
		}
	} else {
		podID = podIDs[0]
		if _, err := s.store.FindPodcastByID(r.Context(), podID); err != nil {
			return podcastNotFound(podID, err)
		}
	}
	it, created, err := s.store.AddPlaylistItem(r.Context(), pl.ID, epID, podID, notes)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return s.writeItem(w, r, status, it)
}

// itemNotes reads the notes param: nil when absent, unless required.
func itemNotes(p *params, required bool) *string {
	if !p.v.Has("notes") {
		if required {
			p.fail("notes", "is required: the item's new notes, or empty to clear them")
		}
		return nil
	}
	n := p.str("notes")
	if len([]rune(n)) > maxItemNotes {
		p.fail("notes", "must be at most %d characters", maxItemNotes)
	}
	return &n
}

// writeItem answers with one item and what it points to.
func (s *Server) writeItem(w http.ResponseWriter, r *http.Request, status int, it db.PlaylistItem) error {
	items, err := s.itemData(r.Context(), []db.PlaylistItem{it})
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return hark.Errorf(hark.ErrNotFound, "the item's episode or podcast is gone")
	}
	writeJSON(w, status, items[0])
	return nil
}

// ownItem reads the path of an item of a playlist of the request's key: the playlist and the
// item ID.
func (s *Server) ownItem(r *http.Request) (db.Playlist, int64, error) {
	pl, err := s.ownPlaylist(r, chi.URLParam(r, "id"))
	if err != nil {
		return db.Playlist{}, 0, err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "item_id"), 10, 64)
	if err != nil || id <= 0 {
		return db.Playlist{}, 0, hark.Errorf(hark.ErrNotFound, "no playlist item has the id %q", chi.URLParam(r, "item_id"))
	}
	return pl, id, nil
}

// handlePlaylistItemUpdate handles "PUT /api/v2/playlists/{id}/items/{item_id}": it replaces
// the item's notes.
func (s *Server) handlePlaylistItemUpdate(w http.ResponseWriter, r *http.Request) error {
	pl, id, err := s.ownItem(r)
	if err != nil {
		return err
	}
	p, err := parseForm(w, r)
	if err != nil {
		return err
	}
	notes := itemNotes(p, true)
	if p.err != nil {
		return p.err
	}
	it, err := s.store.UpdatePlaylistItemNotes(r.Context(), pl.ID, id, *notes)
	if err != nil {
		return err
	}
	return s.writeItem(w, r, http.StatusOK, it)
}

// handlePlaylistItemDelete handles "DELETE /api/v2/playlists/{id}/items/{item_id}"; deleting an
// item twice succeeds.
func (s *Server) handlePlaylistItemDelete(w http.ResponseWriter, r *http.Request) error {
	pl, id, err := s.ownItem(r)
	if err != nil {
		return err
	}
	if err := s.store.DeletePlaylistItem(r.Context(), pl.ID, id); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	}{id, "deleted"})
	return nil
}
