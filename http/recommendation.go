package http

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"hark"
	"hark/db"
)

// recommendations is how many podcasts or episodes a recommendation answer holds at most, as in
// the Listen API.
const recommendations = 8

// handlePodcastRecommendations handles "GET /api/v2/podcasts/{id}/recommendations": podcasts
// that share a genre with this one (or its language, when it has no genre), those in its
// language first, then by Hark's quality score.
func (s *Server) handlePodcastRecommendations(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	p := &params{v: r.URL.Query()}
	safe := p.flag("safe_mode")
	if p.err != nil {
		return p.err
	}
	pod, err := s.store.FindPodcastByID(r.Context(), id)
	if err != nil {
		return podcastNotFound(id, err)
	}
	similar, err := s.store.FindSimilarPodcasts(r.Context(), pod, safe, recommendations)
	if err != nil {
		return err
	}
	list, err := s.podcastSimples(r.Context(), similar)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Recommendations []podcastSimple `json:"recommendations"`
	}{list})
	return nil
}

// handleEpisodeRecommendations handles "GET /api/v2/episodes/{id}/recommendations": the latest
// episode of each podcast recommended for the episode's podcast, then, to fill the list, the
// episodes published just before this one in its own podcast.
func (s *Server) handleEpisodeRecommendations(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	p := &params{v: r.URL.Query()}
	safe := p.flag("safe_mode")
	if p.err != nil {
		return p.err
	}
	ctx := r.Context()
	e, err := s.store.FindEpisodeByID(ctx, id)
	if err != nil {
		return episodeNotFound(id, err)
	}
	pod, err := s.store.FindPodcastByID(ctx, e.PodcastID)
	if err != nil {
		return err
	}
	eps, byID, err := s.episodeRecommendations(ctx, e, pod, safe)
	if err != nil {
		return err
	}
	out := make([]episodeSimple, 0, len(eps))
	for i := range eps {
		if safe && (eps[i].Explicit || byID[eps[i].PodcastID].Explicit) {
			continue
		}
		pp := byID[eps[i].PodcastID]
		out = append(out, episodeSimple{episodeMinimum: s.episodeMinimum(&eps[i], pp), Podcast: s.podcastMinimum(pp)})
	}
	writeJSON(w, http.StatusOK, struct {
		Recommendations []episodeSimple `json:"recommendations"`
	}{out})
	return nil
}

// episodeRecommendations returns the episodes recommended for e of pod, as the API and the
// episode page show them: the latest episode of each podcast recommended for pod, then, to fill
// the list, the episodes published just before e in pod. byID has their podcasts.
func (s *Server) episodeRecommendations(ctx context.Context, e hark.Episode, pod hark.Podcast, safe bool) (eps []hark.Episode, byID map[string]*hark.Podcast, err error) {
	similar, err := s.store.FindSimilarPodcasts(ctx, pod, safe, recommendations)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]string, 0, len(similar))
	for _, sp := range similar {
		ids = append(ids, sp.ID)
	}
	eps, err = s.store.FindEpisodes(ctx, db.EpisodeFilter{PodcastIDs: ids, Limit: 1})
	if err != nil {
		return nil, nil, err
	}
	if len(eps) < recommendations {
		before, err := s.store.FindEpisodes(ctx, db.EpisodeFilter{PodcastID: pod.ID, Before: e.PublishedAt, Limit: recommendations - len(eps)})
		if err != nil {
			return nil, nil, err
		}
		eps = append(eps, before...)
	}
	return eps, indexByID(append(similar, pod), podcastID), nil
}

// handleJustListen handles "GET /api/v2/just_listen": a random episode among the latest of the
// podcasts that published last, explicit ones left out.
func (s *Server) handleJustListen(w http.ResponseWriter, r *http.Request) error {
	e, err := s.store.FindRandomRecentEpisode(r.Context())
	if err != nil {
		return err
	}
	pod, err := s.store.FindPodcastByID(r.Context(), e.PodcastID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, episodeSimple{episodeMinimum: s.episodeMinimum(&e, &pod), Podcast: s.podcastMinimum(&pod)})
	return nil
}

// audienceResponse is PodcastAudienceResponse.
type audienceResponse struct {
	ByRegions []audienceRegion `json:"by_regions"`
}

type audienceRegion struct {
	Region string `json:"region"`
	Ratio  string `json:"ratio"`
}

// handlePodcastAudience handles "GET /api/v2/podcasts/{id}/audience". Hark would count plays in
// its own player by region; it records no plays yet, so by_regions is empty for every podcast
// rather than a guess.
func (s *Server) handlePodcastAudience(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	if _, err := s.store.FindPodcastByID(r.Context(), id); err != nil {
		return podcastNotFound(id, err)
	}
	writeJSON(w, http.StatusOK, audienceResponse{ByRegions: []audienceRegion{}})
	return nil
}

// handlePodcastDelete handles "DELETE /api/v2/podcasts/{id}": it records a deletion request for
// an operator to review, and answers "in review" (the open request, when one exists already).
func (s *Server) handlePodcastDelete(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	p := &params{v: r.URL.Query()}
	reason := p.str("reason")
	var keyID int64
	if k, ok := requestKey(r); ok {
		keyID = k.ID
	}
	if !hark.ValidID(id) {
		return podcastNotFound(id, hark.ErrNotFound)
	}
	status, err := s.store.RequestPodcastDeletion(r.Context(), id, reason, keyID)
	if err != nil {
		return podcastNotFound(id, err)
	}
	writeJSON(w, http.StatusOK, struct {
		Status string `json:"status"`
	}{status})
	return nil
}
