package http

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"hark"
	"hark/db"
)

// Playlists belong to the API key that created it. Any key reads a public or unlisted playlist
// by its ID; only its own key lists, reads when private, changes or deletes it.

const (
	// playlistsPerPage is how many playlists a page of GET /playlists holds.
	playlistsPerPage = 20
	// maxPlaylistName and maxPlaylistDescription bound what a playlist keeps, in characters.
	maxPlaylistName        = 200
	maxPlaylistDescription = 2000
)

var (
	playlistVisibilities = []string{"public", "unlisted", "private"}
	playlistTypes        = []string{"episode_list", "podcast_list"}
)

// playlistSummary is a playlist of PlaylistsResponse, and the answer of the playlist writes.
type playlistSummary struct {
	ID                  string `json:"id"`
	Name                string `json:"name"`
	Description         string `json:"description"`
	Image               string `json:"image"`
	Thumbnail           string `json:"thumbnail"`
	ListennotesURL      string `json:"listennotes_url"`
	Visibility          string `json:"visibility"`
	Type                string `json:"type"`
	EpisodeCount        int    `json:"episode_count"`
	PodcastCount        int    `json:"podcast_count"`
	TotalAudioLengthSec int    `json:"total_audio_length_sec"`
	LastTimestampMS     int64  `json:"last_timestamp_ms"`
}

func (s *Server) playlistSummary(p db.Playlist) playlistSummary {
	return playlistSummary{
		ID: p.ID, Name: p.Name, Description: p.Description,
		ListennotesURL: s.cfg.BaseURL + "/api/v2/playlists/" + p.ID,
		Visibility:     p.Visibility, Type: p.Type, EpisodeCount: p.EpisodeCount, PodcastCount: p.PodcastCount,
		TotalAudioLengthSec: p.AudioSec, LastTimestampMS: ms(p.LastAddedAt),
	}
}

// playlistOwner returns the ID of the request's API key; playlists need one.
func playlistOwner(r *http.Request) (int64, error) { return keyOwner(r, "playlists") }

// handlePlaylistList handles "GET /api/v2/playlists": the playlists of the request's key.
func (s *Server) handlePlaylistList(w http.ResponseWriter, r *http.Request) error {
	owner, err := playlistOwner(r)
	if err != nil {
		return err
	}
	p := &params{v: r.URL.Query()}
	page := p.int("page", 1, 1, maxPage)
	sort := p.str("sort")
	if sort == "" {
		sort = "recent_added_first"
	} else if _, ok := db.PlaylistSorts[sort]; !ok {
		p.fail("sort", "must be recent_added_first, oldest_added_first, name_a_to_z or name_z_to_a, not %q", sort)
	}
	if p.err != nil {
		return p.err
	}
	offset := (page - 1) * playlistsPerPage
	list, total, err := s.store.FindPlaylists(r.Context(), owner, sort, offset, playlistsPerPage)
	if err != nil {
		return err
	}
	out := make([]playlistSummary, 0, len(list))
	for _, pl := range list {
		out = append(out, s.playlistSummary(pl))
	}
	writeJSON(w, http.StatusOK, struct {
		Playlists []playlistSummary `json:"playlists"`
		Total     int               `json:"total"`
		pageInfo
	}{out, total, newPageInfo(page, offset+len(list) < total)})
	return nil
}

// playlistForm reads the key and the form of a playlist write.
func playlistForm(w http.ResponseWriter, r *http.Request) (owner int64, p *params, u db.PlaylistUpdate, err error) {
	if owner, err = playlistOwner(r); err != nil {
		return 0, nil, u, err
	}
	if p, err = parseForm(w, r); err != nil {
		return 0, nil, u, err
	}
	return owner, p, playlistFields(p), nil
}

// handlePlaylistCreate handles "POST /api/v2/playlists".
func (s *Server) handlePlaylistCreate(w http.ResponseWriter, r *http.Request) error {
	owner, p, u, err := playlistForm(w, r)
	if err != nil {
		return err
	}
	if p.err == nil && (u.Name == nil || *u.Name == "") {
		p.fail("name", "is required: the playlist's name")
	}
	if p.err != nil {
		return p.err
	}
	pl := db.Playlist{APIKeyID: owner, Name: *u.Name, Visibility: "public", Type: "episode_list"}
	if u.Description != nil {
		pl.Description = *u.Description
	}
	if u.Visibility != nil {
		pl.Visibility = *u.Visibility
	}
	if u.Type != nil {
		pl.Type = *u.Type
	}
	if pl, err = s.store.CreatePlaylist(r.Context(), pl); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.playlistSummary(pl))
	return nil
}

// playlistFields reads the fields a playlist write may set; the absent ones stay nil.
func playlistFields(p *params) db.PlaylistUpdate {
	var u db.PlaylistUpdate
	if p.v.Has("name") {
		name := p.str("name")
		if len([]rune(name)) > maxPlaylistName {
			p.fail("name", "must be at most %d characters", maxPlaylistName)
		} else if name == "" {
			p.fail("name", "must not be empty")
		}
		u.Name = &name
	}
	if p.v.Has("description") {
		d := p.str("description")
		if len([]rune(d)) > maxPlaylistDescription {
			p.fail("description", "must be at most %d characters", maxPlaylistDescription)
		}
		u.Description = &d
	}
	u.Visibility = oneOf(p, "visibility", playlistVisibilities)
	u.Type = oneOf(p, "type", playlistTypes)
	return u
}

// oneOf reads a param that takes one of values; nil when absent.
func oneOf(p *params, name string, values []string) *string {
	if !p.v.Has(name) {
		return nil
	}
	v := p.str(name)
	for _, ok := range values {
		if v == ok {
			return &v
		}
	}
	p.fail(name, "must be one of %v, not %q", values, v)
	return nil
}

// handlePlaylistUpdate handles "PUT /api/v2/playlists/{id}".
func (s *Server) handlePlaylistUpdate(w http.ResponseWriter, r *http.Request) error {
	owner, p, u, err := playlistForm(w, r)
	if err != nil {
		return err
	}
	if p.err == nil && u == (db.PlaylistUpdate{}) {
		p.fail("name", "give at least one of name, description, visibility and type")
	}
	if p.err != nil {
		return p.err
	}
	id := chi.URLParam(r, "id")
	pl, err := s.store.UpdatePlaylist(r.Context(), owner, id, u)
	if err != nil {
		return playlistNotFound(id, err)
	}
	writeJSON(w, http.StatusOK, s.playlistSummary(pl))
	return nil
}

// handlePlaylistDelete handles "DELETE /api/v2/playlists/{id}".
func (s *Server) handlePlaylistDelete(w http.ResponseWriter, r *http.Request) error {
	owner, err := playlistOwner(r)
	if err != nil {
		return err
	}
	id := chi.URLParam(r, "id")
	if err := s.store.DeletePlaylist(r.Context(), owner, id); err != nil {
		return playlistNotFound(id, err)
	}
	writeJSON(w, http.StatusOK, struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}{id, "deleted"})
	return nil
}

// ownPlaylist returns the playlist id when it belongs to the request's key, else ErrNotFound.
func (s *Server) ownPlaylist(r *http.Request, id string) (db.Playlist, error) {
	owner, err := playlistOwner(r)
	if err != nil {
		return db.Playlist{}, err
	}
	pl, err := s.store.FindPlaylist(r.Context(), id)
	if err == nil && pl.APIKeyID != owner {
		err = hark.ErrNotFound
	}
	if err != nil {
		return db.Playlist{}, playlistNotFound(id, err)
	}
	return pl, nil
}

// playlistNotFound gives a missing playlist a message for the user.
func playlistNotFound(id string, err error) error {
	if errors.Is(err, hark.ErrNotFound) {
		return hark.Errorf(hark.ErrNotFound, "this API key has no playlist with the id %q", id)
	}
	return err
}
