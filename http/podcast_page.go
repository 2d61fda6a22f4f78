package http

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"hark"
)

// podcastPage is the data of templates/podcast.html.
type podcastPage struct {
	Podcast  hark.Podcast
	Episodes []hark.Episode
	Flash    string
	Before   time.Time // the page's cursor; zero on the first page
	NextURL  string    // older episodes
	FirstURL string    // back to the newest episodes
	Snippet  string    // the <iframe> of the podcast's embeddable player
}

// Flash messages after a submission, chosen by the submitted param of the redirect.
var submitFlash = map[string]string{
	"new":   "Added. Hark is crawling the feed now; its episodes will appear in a minute or two.",
	"known": "Hark already knows this podcast.",
}

// handlePodcastPage handles "GET /podcasts/{id}": the show, how its feed is doing, and its
// episodes, newest first, paged with before=<ms>.
func (s *Server) handlePodcastPage(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	p := &params{v: r.URL.Query()}
	before := p.millis("before")
	if p.err != nil {
		return p.err
	}
	pod, eps, err := s.findPodcastPage(r.Context(), id, before, false)
	if err != nil {
		return err
	}
	path := podcastPath(pod.ID, pod.Title)
	if redirectCanonical(w, r, path) {
		return nil
	}

	pp := podcastPage{Podcast: pod, Episodes: eps, Flash: submitFlash[r.URL.Query().Get("submitted")], Before: before,
		Snippet: embedSnippet(s.cfg.BaseURL+"/embed/podcasts/"+pod.ID, pod.Title, 320)}
	if !before.IsZero() {
		pp.FirstURL = path
	}
	if len(eps) == episodesPerPage {
		if last := eps[len(eps)-1].PublishedAt; !last.IsZero() {
			pp.NextURL = path + "?" + url.Values{"before": {strconv.FormatInt(last.UnixMilli(), 10)}}.Encode()
		}
	}
	title := pod.Title
	if title == "" {
		title = "Untitled podcast"
	}
	return s.render(w, http.StatusOK, "podcast", page{Title: title, Data: pp, Meta: s.podcastMeta(&pod)})
}
