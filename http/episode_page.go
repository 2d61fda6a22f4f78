package http

import (
	"context"
	"fmt"
	"hark/artwork"
	"html"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"golang.org/x/sync/errgroup"

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
	Recommend  []episodeRow   // the latest episodes of shows like this one
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
	// The timeline, the show's other episodes and the recommendations are read at once, each
	// on a connection of its own: the page waits for the slowest, not for their sum. Each
	// writes fields of its own; the other two read copies made before they start.
	episode, podcast := ep.Episode, ep.Podcast
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.addTimeline(gctx, &ep) })
	g.Go(func() error {
		others, err := s.store.FindEpisodes(gctx, db.EpisodeFilter{PodcastID: podcast.ID, Limit: otherEpisodes + 1})
		for _, o := range others {
			if o.ID != episode.ID && len(ep.Others) < otherEpisodes {
				ep.Others = append(ep.Others, o)
			}
		}
		return err
	})
	g.Go(func() error {
		rows, err := s.similarRows(gctx, podcast)
		ep.Recommend = rows
		return err
	})
	if err := g.Wait(); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "episode", page{Title: ep.Episode.Title + " – " + ep.Podcast.Title, Data: ep,
		Meta: s.episodeMeta(&ep.Episode, &ep.Podcast)})
}

// Episode pages keep the rows of their "You may also like" list per show, in each process:
// the list is the same for every episode of a show (the latest episode of each show like it),
// search engines read a show's episode pages one after another, and reading it cost more than
// the rest of the page. A show added or re-ranked shows up in the lists within similarTTL; a
// show whose own genres or language change gets a new list at once.
const (
	similarTTL   = 10 * time.Minute
	similarShows = 4096 // shows whose lists are kept, least recently used out first
)

// similarList is a show's kept list, read when the show was last updated at updated.
type similarList struct {
	rows    []episodeRow
	updated time.Time
	read    time.Time
}

// similarRows returns the "You may also like" rows of the episode pages of pod.
func (s *Server) similarRows(ctx context.Context, pod hark.Podcast) ([]episodeRow, error) {
	if l, ok := s.similar.Get(pod.ID); ok && l.updated.Equal(pod.UpdatedAt) && time.Since(l.read) < similarTTL {
		return l.rows, nil
	}
	read := time.Now()
	similar, err := s.store.FindSimilarPodcasts(ctx, pod, false, recommendations)
	if err != nil {
		return nil, err
	}
	latest, err := s.showsLatest(ctx, similar)
	if err != nil {
		return nil, err
	}
	rows := make([]episodeRow, 0, len(latest))
	for _, e := range latest {
		rows = append(rows, rowOf(e.Episode, e.PodcastTitle, "", true))
	}
	s.similar.Add(pod.ID, similarList{rows: rows, updated: pod.UpdatedAt, read: read})
	return rows, nil
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
