package http

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"hark"
)

// handleEpisodeShow handles "GET /api/v2/episodes/{id}".
func (s *Server) handleEpisodeShow(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	p := &params{v: r.URL.Query()}
	p.flag("show_transcript") // accepted; Hark keeps no transcripts, so transcript is null
	if p.err != nil {
		return p.err
	}
	e, err := s.store.FindEpisodeByID(r.Context(), id)
	if err != nil {
		return episodeNotFound(id, err)
	}
	pod, err := s.store.FindPodcastByID(r.Context(), e.PodcastID)
	if err != nil {
		return err
	}
	latestID, err := s.latestEpisodeID(r.Context(), pod.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, episodeFull{
		episodeMinimum: s.episodeMinimum(&e, &pod),
		Podcast:        s.podcastSimple(&pod, latestID),
	})
	return nil
}

// episodeNotFound gives a missing episode a message for the user.
func episodeNotFound(id string, err error) error {
	if errors.Is(err, hark.ErrNotFound) {
		return hark.Errorf(hark.ErrNotFound, "no episode has the id %q", id)
	}
	return err
}

// handleEpisodeBatch handles "POST /api/v2/episodes". Unknown IDs are left out of the answer.
func (s *Server) handleEpisodeBatch(w http.ResponseWriter, r *http.Request) error {
	p, err := parseForm(w, r)
	if err != nil {
		return err
	}
	ids := p.ids("ids", "episode", maxBatch)
	if p.err == nil && len(ids) == 0 {
		p.fail("ids", "is required: a comma-separated list of episode ids")
	}
	if p.err != nil {
		return p.err
	}

	found, err := s.store.FindEpisodesByIDs(r.Context(), ids)
	if err != nil {
		return err
	}
	byEpisodeID := indexByID(found, func(e *hark.Episode) string { return e.ID })
	// The answer follows the request: its order, an ID asked twice answered twice.
	var eps []hark.Episode
	var podcastIDs []string
	for _, id := range ids {
		if e := byEpisodeID[id]; e != nil {
			eps = append(eps, *e)
			podcastIDs = append(podcastIDs, e.PodcastID)
		}
	}
	pods, err := s.store.FindPodcastsByIDs(r.Context(), podcastIDs)
	if err != nil {
		return err
	}
	byID := indexByID(pods, podcastID)

	out := make([]episodeSimple, 0, len(eps))
	for i := range eps {
		pod := byID[eps[i].PodcastID]
		if pod == nil { // deleted between the two reads
			continue
		}
		out = append(out, episodeSimple{episodeMinimum: s.episodeMinimum(&eps[i], pod), Podcast: s.podcastMinimum(pod)})
	}
	writeJSON(w, http.StatusOK, struct {
		Episodes []episodeSimple `json:"episodes"`
	}{out})
	return nil
}

// indexByID maps the ID of each item to the item, to answer a batch request in its own order.
func indexByID[T any](items []T, id func(*T) string) map[string]*T {
	m := make(map[string]*T, len(items))
	for i := range items {
		m[id(&items[i])] = &items[i]
	}
	return m
}

func podcastID(p *hark.Podcast) string { return p.ID }
