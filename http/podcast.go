package http

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"hark"
	"hark/db"
)

// episodesPerPage is how many episodes GET /podcasts/{id} returns, as in the Listen API.
const episodesPerPage = 10

// maxBatch is how many IDs POST /podcasts and POST /episodes take.
const maxBatch = 10

// handlePodcastShow handles "GET /api/v2/podcasts/{id}".
func (s *Server) handlePodcastShow(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	p := &params{v: r.URL.Query()}
	cursor := p.millis("next_episode_pub_date")
	oldestFirst := false
	switch sort := p.str("sort"); sort {
	case "", "recent_first":
	case "oldest_first":
		oldestFirst = true
	default:
		p.fail("sort", "must be recent_first or oldest_first, not %q", sort)
	}
	if p.err != nil {
		return p.err
	}

	pod, eps, err := s.findPodcastPage(r.Context(), id, cursor, oldestFirst)
	if err != nil {
		return err
	}
	latestID := ""
	if !oldestFirst && cursor.IsZero() && len(eps) > 0 {
		latestID = eps[0].ID
	} else if latestID, err = s.latestEpisodeID(r.Context(), id); err != nil {
		return err
	}

	full := podcastFull{podcastSimple: s.podcastSimple(&pod, latestID), Episodes: make([]episodeMinimum, 0, len(eps))}
	for i := range eps {
		full.Episodes = append(full.Episodes, s.episodeMinimum(&eps[i], &pod))
	}
	if len(eps) > 0 {
		full.NextEpisodePubDate = ms(eps[len(eps)-1].PublishedAt)
	}
	writeJSON(w, http.StatusOK, full)
	return nil
}

// findPodcastPage returns the podcast and one page of its episodes after cursor (see
// episodePageFilter); a podcast it cannot find gives the 404 of podcastNotFound.
func (s *Server) findPodcastPage(ctx context.Context, id string, cursor time.Time, oldestFirst bool) (hark.Podcast, []hark.Episode, error) {
	pod, err := s.store.FindPodcastByID(ctx, id)
	if err != nil {
		return hark.Podcast{}, nil, podcastNotFound(id, err)
	}
	eps, err := s.store.FindEpisodes(ctx, episodePageFilter(id, cursor, oldestFirst))
	return pod, eps, err
}

// episodePageFilter selects one page of a podcast's episodes after a next_episode_pub_date cursor.
func episodePageFilter(podcastID string, cursor time.Time, oldestFirst bool) db.EpisodeFilter {
	f := db.EpisodeFilter{PodcastID: podcastID, OldestFirst: oldestFirst, Limit: episodesPerPage}
	if oldestFirst {
		f.After = cursor
	} else {
		f.Before = cursor
	}
	return f
}

func (s *Server) latestEpisodeID(ctx context.Context, podcastID string) (string, error) {
	eps, err := s.store.FindEpisodes(ctx, db.EpisodeFilter{PodcastID: podcastID, Limit: 1})
	if err != nil || len(eps) == 0 {
		return "", err
	}
	return eps[0].ID, nil
}

// podcastNotFound gives a missing podcast a message for the user.
func podcastNotFound(id string, err error) error {
	if errors.Is(err, hark.ErrNotFound) {
		return hark.Errorf(hark.ErrNotFound, "no podcast has the id %q", id)
	}
	return err
}

// maxFormBytes bounds the form bodies the API and the pages accept.
const maxFormBytes = 64 << 10

// parseForm reads a url-encoded or multipart form body of at most maxFormBytes.
func parseForm(w http.ResponseWriter, r *http.Request) (*params, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		if tooLarge := bodyError(err); tooLarge != nil {
			return nil, tooLarge
		}
		return nil, hark.Errorf(hark.ErrInvalid, "request body: not a readable form (%v)", err)
	}
	return &params{v: r.Form}, nil
}

// handlePodcastBatch handles "POST /api/v2/podcasts".
func (s *Server) handlePodcastBatch(w http.ResponseWriter, r *http.Request) error {
	p, err := parseForm(w, r)
	if err != nil {
		return err
	}
	ids := p.ids("ids", "podcast", maxBatch)
	rsses := p.list("rsses")
	if len(rsses) > maxBatch {
		p.fail("rsses", "at most %d feed URLs, not %d", maxBatch, len(rsses))
	}
	// Hark keeps no iTunes or Spotify IDs: they are read, and find nothing.
	for _, name := range []string{"itunes_ids", "spotify_ids"} {
		if n := len(p.list(name)); n > maxBatch {
			p.fail(name, "at most %d ids, not %d", maxBatch, n)
		}
	}
	showLatest := p.flag("show_latest_episodes")
	cursor := p.millis("next_episode_pub_date")
	if p.err != nil {
		return p.err
	}
	if ids, err = s.addFeedIDs(r.Context(), ids, rsses); err != nil {
		return err
	}

	pods, err := s.store.FindPodcastsByIDs(r.Context(), ids)
	if err != nil {
		return err
	}
	slices.SortFunc(pods, func(a, b hark.Podcast) int { return slices.Index(ids, a.ID) - slices.Index(ids, b.ID) })

	resp := struct {
		Podcasts           []podcastSimple  `json:"podcasts"`
		LatestEpisodes     *[]episodeSimple `json:"latest_episodes,omitempty"`
		NextEpisodePubDate *int64           `json:"next_episode_pub_date,omitempty"`
	}{Podcasts: make([]podcastSimple, 0, len(pods))}
	pages, latestIDs, err := s.batchEpisodes(r.Context(), pods, showLatest, cursor)
	if err != nil {
		return err
	}
	for i := range pods {
		resp.Podcasts = append(resp.Podcasts, s.podcastSimple(&pods[i], latestIDs[pods[i].ID]))
	}
	if showLatest {
		latest := s.latestEpisodes(pods, pages)
		var next int64
		if len(latest) > 0 {
			next = latest[len(latest)-1].PubDateMS
		}
		resp.LatestEpisodes, resp.NextEpisodePubDate = &latest, &next
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// addFeedIDs appends to ids the IDs of the podcasts Hark has for the feed URLs rsses, one
// lookup each; feeds it does not have, and URLs that are not feed URLs, are left out.
func (s *Server) addFeedIDs(ctx context.Context, ids, rsses []string) ([]string, error) {
	for _, rss := range rsses {
		p, err := s.submit.FindFeed(ctx, rss)
		switch {
		case err == nil:
			if !slices.Contains(ids, p.ID) {
				ids = append(ids, p.ID)
			}
		case !errors.Is(err, hark.ErrNotFound) && !errors.Is(err, hark.ErrInvalid):
			return nil, fmt.Errorf("find feed: %w", err)
		}
	}
	return ids, nil
}

// batchEpisodes reads, for a batch of podcasts, each one's latest episode ID and, when
// showLatest, each one's page of episodes published before cursor (podcast by podcast, in the
// order of pods, newest first), in one query each; with no cursor the pages give the latest IDs.
func (s *Server) batchEpisodes(ctx context.Context, pods []hark.Podcast, showLatest bool, cursor time.Time) (pages []hark.Episode, latestIDs map[string]string, err error) {
	if len(pods) == 0 {
		return nil, nil, nil
	}
	ids := make([]string, len(pods))
	for i := range pods {
		ids[i] = pods[i].ID
	}
	if showLatest {
		f := episodePageFilter("", cursor, false)
		f.PodcastIDs = ids
		if pages, err = s.store.FindEpisodes(ctx, f); err != nil {
			return nil, nil, err
		}
	}
	latest := pages
	if !showLatest || !cursor.IsZero() {
		if latest, err = s.store.FindEpisodes(ctx, db.EpisodeFilter{PodcastIDs: ids, Limit: 1}); err != nil {
			return nil, nil, err
		}
	}
	latestIDs = make(map[string]string, len(pods))
	for _, e := range latest {
		if _, ok := latestIDs[e.PodcastID]; !ok {
			latestIDs[e.PodcastID] = e.ID
		}
	}
	return pages, latestIDs, nil
}

// latestEpisodes merges the pages of episodes of pods (as batchEpisodes reads them) into one
// page, newest first; among episodes published at the same time, pods' order holds.
func (s *Server) latestEpisodes(pods []hark.Podcast, pages []hark.Episode) []episodeSimple {
	byID := indexByID(pods, podcastID)
	slices.SortStableFunc(pages, func(a, b hark.Episode) int { return b.PublishedAt.Compare(a.PublishedAt) })
	out := make([]episodeSimple, 0, min(len(pages), episodesPerPage))
	for i := range pages[:min(len(pages), episodesPerPage)] {
		p := byID[pages[i].PodcastID]
		out = append(out, episodeSimple{episodeMinimum: s.episodeMinimum(&pages[i], p), Podcast: s.podcastMinimum(p)})
	}
	return out
}

// submitResponse is SubmitPodcastResponse. Its podcast also carries rss (PodcastMinimumRss).
type submitResponse struct {
	Status  string            `json:"status"`
	Podcast podcastMinimumRSS `json:"podcast"`
	// WebhookSecret, a Hark extension, signs the webhook a new feed submitted with webhook_url
	// gets after its first crawl; it is shown once.
	WebhookSecret string `json:"webhook_secret,omitempty"`
}

type podcastMinimumRSS struct {
	podcastMinimum
	RSS string `json:"rss"`
}

// Submission statuses. Hark crawls a new feed at once rather than reviewing it, but keeps the
// Listen API's "in review" for "not searchable yet".
const (
	submitStatusFound    = "found"
	submitStatusInReview = "in review"
)

// handlePodcastSubmit handles "POST /api/v2/podcasts/submit".
func (s *Server) handlePodcastSubmit(w http.ResponseWriter, r *http.Request) error {
	p, err := parseForm(w, r)
	if err != nil {
		return err
	}
	rss := p.str("rss")
	if rss == "" {
		return hark.Errorf(hark.ErrInvalid, "rss: is required: the URL of the podcast's RSS feed")
	}
	from, err := submitOrigin(r, p)
	if err != nil {
		return err
	}
	pod, created, err := s.submitFeed(r.Context(), rss, from)
	if err != nil {
		return err
	}
	resp := submitResponse{
		Status:  submitStatusFound,
		Podcast: podcastMinimumRSS{podcastMinimum: s.podcastMinimum(&pod), RSS: pod.FeedURL},
	}
	if created {
		resp.Status = submitStatusInReview
		resp.WebhookSecret = from.WebhookSecret
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// submitFeed hands a feed URL to the Submitter, naming the rss field in its complaints.
func (s *Server) submitFeed(ctx context.Context, rss string, from hark.Origin) (hark.Podcast, bool, error) {
	pod, created, err := s.submit.SubmitFeedFrom(ctx, rss, from)
	if err != nil {
		if msg := hark.ErrorMessage(err); msg != "" && errors.Is(err, hark.ErrInvalid) && !strings.HasPrefix(msg, "rss") {
			return pod, false, hark.Errorf(hark.ErrInvalid, "rss: %s", msg)
		}
		return pod, false, fmt.Errorf("submit feed: %w", err)
	}
	return pod, created, nil
}

// handlePodcastRefresh handles "POST /api/v2/podcasts/{id}/refresh", a Hark extension that
// queues a crawl of the feed now.
func (s *Server) handlePodcastRefresh(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	if !hark.ValidID(id) {
		return podcastNotFound(id, hark.ErrNotFound)
	}
	if err := s.submit.RefreshPodcast(r.Context(), id); err != nil {
		return podcastNotFound(id, err)
	}
	writeJSON(w, http.StatusAccepted, struct {
		Status    string `json:"status"`
		PodcastID string `json:"podcast_id"`
	}{"queued", id})
	return nil
}
