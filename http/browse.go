package http

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"hark"
	"hark/db"
)

// homeData is what the home page shows besides the search box. It is read and rendered at most
// once a minute per process (homeTTL): one query per genre and three more, and a page of a
// hundred or so shows whose rendering cost about 2 ms of CPU.
type homeData struct {
	Podcasts       int
	Genres         []genreShelf
	RecentShows    []hark.Podcast
	RecentEpisodes []recommendedEpisode
}

// recommendedEpisode is an episode in a list of several shows', with that show's title.
type recommendedEpisode struct {
	hark.Episode
	PodcastTitle string
}

// genreShelf is a genre with its best podcasts.
type genreShelf struct {
	Genre    hark.Genre
	Podcasts []hark.Podcast
}

const (
	homeTTL        = time.Minute
	shelfSize      = 6  // podcasts per genre on the home page
	homeRecent     = 8  // recent shows and episodes on the home page
	genrePageSize  = 24 // podcasts per genre page
	publisherLimit = 48 // podcasts on a publisher page
)

// homeCache keeps the rendered home page for homeTTL.
type homeCache struct {
	mu   sync.Mutex
	at   time.Time
	html []byte
}

// homePage returns the rendered home page, rendering it when the last one is older than homeTTL.
func (s *Server) homePage(ctx context.Context) ([]byte, error) {
	s.home.mu.Lock()
	defer s.home.mu.Unlock()
	if !s.home.at.IsZero() && time.Since(s.home.at) < homeTTL {
		return s.home.html, nil
	}
	d, err := s.homeData(ctx)
	if err != nil {
		return nil, err
	}
	b, err := s.renderPage("home", page{Title: "Hark: podcast search", Data: d})
	if err != nil {
		return nil, err
	}
	s.home.at, s.home.html = time.Now(), b
	return b, nil
}

// homeData reads what the home page shows.
func (s *Server) homeData(ctx context.Context) (homeData, error) {
	counts, err := s.siteCounts(ctx)
	if err != nil {
		return homeData{}, err
	}
	d := homeData{Podcasts: counts.Podcasts}
	for _, g := range hark.Genres {
		if g.ParentID != 0 {
			continue
		}
		pods, _, err := s.store.FindBestPodcasts(ctx, db.BestPodcastFilter{GenreID: g.ID, Sort: "listen_score", Limit: shelfSize})
		if err != nil {
			return homeData{}, err
		}
		if len(pods) > 0 {
			d.Genres = append(d.Genres, genreShelf{g, pods})
		}
	}
	if d.RecentShows, _, err = s.store.FindBestPodcasts(ctx, db.BestPodcastFilter{Sort: "recent_added_first", Limit: homeRecent}); err != nil {
		return homeData{}, err
	}
	if d.RecentEpisodes, err = s.newestEpisodes(ctx); err != nil {
		return homeData{}, err
	}
	return d, nil
}

// newestEpisodes are the newest episode of each of the shows that published last: newest
// episodes across shows, without one busy show filling the list, and without sorting every
// episode (the shows' latest_pub_date is on the podcasts table).
func (s *Server) newestEpisodes(ctx context.Context) ([]recommendedEpisode, error) {
	pods, _, err := s.store.FindBestPodcasts(ctx, db.BestPodcastFilter{Sort: "recent_published_first", Limit: homeRecent})
	if err != nil {
		return nil, err
	}
	return s.showsLatest(ctx, pods)
}

// showsLatest are the latest episode of each of pods that has one, in the order of pods,
// each with its show's title.
func (s *Server) showsLatest(ctx context.Context, pods []hark.Podcast) ([]recommendedEpisode, error) {
	ids := make([]string, len(pods))
	for i := range pods {
		ids[i] = pods[i].ID
	}
	eps, err := s.store.FindEpisodes(ctx, db.EpisodeFilter{PodcastIDs: ids, Limit: 1})
	if err != nil {
		return nil, err
	}
	byID := indexByID(pods, podcastID)
	out := make([]recommendedEpisode, 0, len(eps))
	for _, e := range eps {
		out = append(out, recommendedEpisode{Episode: e, PodcastTitle: byID[e.PodcastID].Title})
	}
	return out, nil
}

// handleHome handles "GET /".
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	b, err := s.homePage(r.Context())
	if err != nil {
		return err
	}
	writeHTML(w, http.StatusOK, b)
	return nil
}

// genrePage is the data of templates/genre.html.
type genrePage struct {
	Genre     hark.Genre
	Parent    hark.Genre // zero for a top-level genre
	SubGenres []hark.Genre
	Podcasts  []hark.Podcast
	Total     int
	Page      int
	PrevURL   string
	NextURL   string
}

// handleGenresPage handles "GET /genres": every genre.
func (s *Server) handleGenresPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "genres", page{Title: "Podcast genres – Hark", Data: hark.Genres})
}

// handleGenrePage handles "GET /genres/{id}": the genre's best podcasts, paged with page=N.
func (s *Server) handleGenrePage(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.Atoi(chi.URLParam(r, "id"))
	g, ok := hark.GenreByID(id)
	if !ok {
		return hark.Errorf(hark.ErrNotFound, "There is no genre %q.", chi.URLParam(r, "id"))
	}
	gp := genrePage{Genre: g, Page: pageParam(r)}
	gp.Parent, _ = hark.GenreByID(g.ParentID)
	for _, sub := range hark.Genres {
		if sub.ParentID == g.ID {
			gp.SubGenres = append(gp.SubGenres, sub)
		}
	}
	var err error
	gp.Podcasts, gp.Total, err = s.store.FindBestPodcasts(r.Context(), db.BestPodcastFilter{GenreID: g.ID, Sort: "listen_score",
		Offset: (gp.Page - 1) * genrePageSize, Limit: genrePageSize})
	if err != nil {
		return err
	}
	base := "/genres/" + strconv.Itoa(g.ID)
	gp.PrevURL, gp.NextURL = pagerLinks(base, url.Values{}, gp.Page, gp.Page*genrePageSize < gp.Total)
	return s.render(w, http.StatusOK, "genre", page{Title: "Best " + g.Name + " podcasts – Hark", Data: gp})
}

// handlePublisherPage handles "GET /publishers/{name}": the shows of one publisher.
func (s *Server) handlePublisherPage(w http.ResponseWriter, r *http.Request) error {
	name, err := url.PathUnescape(chi.URLParam(r, "name"))
	if err != nil || name == "" {
		return hark.Errorf(hark.ErrNotFound, "There is no such publisher.")
	}
	pods, err := s.store.FindPodcastsByPublisher(r.Context(), name, 0, publisherLimit)
	if err != nil {
		return err
	}
	if len(pods) == 0 {
		return hark.Errorf(hark.ErrNotFound, "Hark knows no podcast published by %q.", name)
	}
	return s.render(w, http.StatusOK, "publisher", page{Title: name + " – podcasts on Hark", Data: struct {
		Name     string
		Podcasts []hark.Podcast
	}{name, pods}})
}

// pageParam reads page=N (from 1) of a paged page; anything else is page 1.
func pageParam(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, maxResultsPage)
}

// pagerLinks are the previous and next links of page of base?v.
func pagerLinks(base string, v url.Values, page int, more bool) (prev, next string) {
	link := func(n int) string {
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		} else {
			v.Del("page")
		}
		if len(v) == 0 {
			return base
		}
		return base + "?" + v.Encode()
	}
	if page > 1 {
		prev = link(page - 1)
	}
	if more {
		next = link(page + 1)
	}
	return prev, next
}
