package http

import (
	"context"
	"fmt"
	"html"
	"net/http"

	"github.com/go-chi/chi/v5"

	"hark"
)

// episodePage is the data of templates/episode.html and templates/embed.html.
type episodePage struct {
	Episode  hark.Episode
	Podcast  hark.Podcast
	Image    string
	EmbedURL string
	Snippet  string // the <iframe> to paste into another site
}

func (s *Server) loadEpisodePage(ctx context.Context, id string) (episodePage, error) {
	e, err := s.store.FindEpisodeByID(ctx, id)
	if err != nil {
		return episodePage{}, episodeNotFound(id, err)
	}
	pod, err := s.store.FindPodcastByID(ctx, e.PodcastID)
	if err != nil {
		return episodePage{}, err
	}
	embedURL := s.cfg.BaseURL + "/embed/episodes/" + e.ID
	return episodePage{
		Episode:  e,
		Podcast:  pod,
		Image:    episodeImage(&e, &pod),
		EmbedURL: embedURL,
		Snippet: fmt.Sprintf(`<iframe src="%s" title="%s" width="100%%" height="180" style="border:0" loading="lazy"></iframe>`,
			html.EscapeString(embedURL), html.EscapeString(e.Title)),
	}, nil
}

// handleEpisodePage handles "GET /episodes/{id}".
func (s *Server) handleEpisodePage(w http.ResponseWriter, r *http.Request) error {
	ep, err := s.loadEpisodePage(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	if redirectCanonical(w, r, episodePath(ep.Episode.ID, ep.Episode.Title)) {
		return nil
	}
	return s.render(w, http.StatusOK, "episode", page{Title: ep.Episode.Title + " – " + ep.Podcast.Title, Data: ep,
		Meta: s.episodeMeta(&ep.Episode, &ep.Podcast)})
}

// handleEmbedEpisode handles "GET /embed/episodes/{id}": a bare player that other sites may put
// in an iframe.
func (s *Server) handleEmbedEpisode(w http.ResponseWriter, r *http.Request) error {
	ep, err := s.loadEpisodePage(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "embed", page{Title: ep.Episode.Title, Data: ep})
}
