package http

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"

	"hark"
)

// lookupResponse is the answer of GET /api/v2/lookup: the podcast as GET /podcasts/{id} describes
// it, without its episodes.
type lookupResponse struct {
	Podcast podcastSimple `json:"podcast"`
}

// handleLookup handles "GET /api/v2/lookup", a Hark extension: the podcast that has a feed URL
// (feed_url, matched like a submission: scheme, "www." and old URLs of moved feeds do not
// matter), a podcast:guid (guid) or an iTunes ID (itunes_id). Exactly one of them is given.
// Hark keeps no iTunes IDs, so itunes_id is read and always answers 404.
func (s *Server) handleLookup(w http.ResponseWriter, r *http.Request) error {
	p := &params{v: r.URL.Query()}
	feedURL, guid, itunes := p.str("feed_url"), p.str("guid"), p.str("itunes_id")
	given := 0
	for _, v := range []string{feedURL, guid, itunes} {
		if v != "" {
			given++
		}
	}
	if given != 1 {
		return hark.Errorf(hark.ErrInvalid, "feed_url, guid, itunes_id: give exactly one of them")
	}
	if itunes != "" {
		p.int("itunes_id", 0, 1, 1<<53)
	}
	if p.err != nil {
		return p.err
	}
	pod, err := s.lookupPodcast(r, feedURL, guid)
	if errors.Is(err, hark.ErrNotFound) {
		return hark.Errorf(hark.ErrNotFound, "Hark has no podcast with that %s", lookupWhat(feedURL, guid))
	}
	if err != nil {
		return err
	}
	latest, err := s.latestEpisodeID(r.Context(), pod.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, lookupResponse{Podcast: s.podcastSimple(&pod, latest)})
	return nil
}

// lookupPodcast finds the podcast by feed URL or podcast:guid; with neither (an iTunes ID, which
// Hark does not keep) it finds none.
func (s *Server) lookupPodcast(r *http.Request, feedURL, guid string) (hark.Podcast, error) {
	switch {
	case feedURL != "":
		pod, err := s.submit.FindFeed(r.Context(), feedURL)
		if errors.Is(err, hark.ErrInvalid) {
			return pod, hark.Errorf(hark.ErrInvalid, "feed_url: %s", cmp.Or(hark.ErrorMessage(err), "not a feed URL"))
		}
		return pod, err
	case guid != "":
		return s.store.FindPodcastByGUID(r.Context(), guid, "")
	}
	return hark.Podcast{}, fmt.Errorf("lookup by itunes_id: %w", hark.ErrNotFound)
}

// lookupWhat names the key a lookup used, for its 404.
func lookupWhat(feedURL, guid string) string {
	switch {
	case feedURL != "":
		return "feed URL"
	case guid != "":
		return "podcast:guid"
	}
	return "iTunes ID (Hark keeps no iTunes IDs)"
}
