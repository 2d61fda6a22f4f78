package http

import (
	"context"
	"fmt"
	"hark/artwork"
	"html"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"hark"
	"hark/db"
)

// episodePage is the data of templates/episode.html and templates/embed.html.
type episodePage struct {
	Episode    hark.Episode
	Podcast    hark.Podcast
	Image      string
	EmbedURL   string
	Snippet    string // the <iframe> to paste into another site
	StartAt    int    // ?t=: where the audio starts, in seconds
	Chapters   []chapterLine
	Transcript []transcriptLine
	Others     []hark.Episode // the show's episodes around this one
	Recommend  []recommendedEpisode
}

// recommendedEpisode is an episode of another show, with that show's title.
type recommendedEpisode struct {
	hark.Episode
	PodcastTitle string
}

// otherEpisodes is how many of the show's other episodes an episode page lists.
const otherEpisodes = 6

// embedSnippet is the <iframe> that shows the embeddable player at src on another site.
func embedSnippet(src, title string, height int) string {
	return fmt.Sprintf(`<iframe src="%s" title="%s" width="100%%" height="%d" style="border:0" loading="lazy"></iframe>`,
		html.EscapeString(src), html.EscapeString(title), height)
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
		Snippet:  embedSnippet(embedURL, e.Title, 180),
	}, nil
}

// handleEpisodePage handles "GET /episodes/{id}": the player, notes, transcript, the show's
// other episodes and recommendations. t=<seconds> starts the audio there.
func (s *Server) handleEpisodePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ep, err := s.loadEpisodePage(ctx, chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	if redirectCanonical(w, r, episodePath(ep.Episode.ID, ep.Episode.Title)) {
		return nil
	}
	if t, err := strconv.Atoi(r.URL.Query().Get("t")); err == nil && t > 0 {
		ep.StartAt = t
	}
	if err := s.addTimeline(ctx, &ep); err != nil {
		return err
	}
	others, err := s.store.FindEpisodes(ctx, db.EpisodeFilter{PodcastID: ep.Podcast.ID, Limit: otherEpisodes + 1})
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.ID != ep.Episode.ID && len(ep.Others) < otherEpisodes {
			ep.Others = append(ep.Others, o)
		}
	}
	recs, byID, err := s.episodeRecommendations(ctx, ep.Episode, ep.Podcast, false)
	if err != nil {
		return err
	}
	for _, e := range recs {
		if e.PodcastID != ep.Podcast.ID {
			ep.Recommend = append(ep.Recommend, recommendedEpisode{Episode: e, PodcastTitle: byID[e.PodcastID].Title})
		}
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
	return s.render(w, http.StatusOK, "embed", page{Title: ep.Episode.Title, Data: embedPage{
		Podcast: ep.Podcast, Episodes: []hark.Episode{ep.Episode}, Image: ep.Image}})
}

// embedPage is the data of templates/embed.html: one episode, or a show's latest.
type embedPage struct {
	Podcast  hark.Podcast
	Episodes []hark.Episode
	Image    string
}

// embedLatest is how many episodes the podcast embed lists.
const embedLatest = 5

// handleEmbedPodcast handles "GET /embed/podcasts/{id}": a player of the show's latest episodes.
func (s *Server) handleEmbedPodcast(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	pod, err := s.store.FindPodcastByID(r.Context(), id)
	if err != nil {
		return podcastNotFound(id, err)
	}
	eps, err := s.store.FindEpisodes(r.Context(), db.EpisodeFilter{PodcastID: id, Limit: embedLatest})
	if err != nil {
		return err
	}
	if len(eps) == 0 {
		return hark.Errorf(hark.ErrNotFound, "This podcast has no episodes yet.")
	}
	return s.render(w, http.StatusOK, "embed", page{Title: pod.Title, Data: embedPage{Podcast: pod, Episodes: eps, Image: artworkPath(pod.ImageURL, pod.Title, artwork.Small)}})
}
