package http

import (
	"encoding/json"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"hark"
	"hark/ratelimit"
)

// AudienceMinPlaysDefault is Config.AudienceMinPlays when it is 0.
const AudienceMinPlaysDefault = 50

// audienceWindow is how far back the audience of a podcast is counted.
const audienceWindow = 90 * 24 * time.Hour

// playRate bounds the plays an address may report: a listener starts an episode every few
// minutes at most, and a burst covers a household behind one address skipping through a show.
var playRate = ratelimit.Rate{PerSecond: 1.0 / 30, Burst: 20}

// botAgent matches the User-Agents of crawlers, link previewers, headless browsers and HTTP
// libraries: their requests are not listeners.
var botAgent = regexp.MustCompile(`(?i)bot|crawl|spider|slurp|preview|headless|lighthouse|curl|wget|python|java/|okhttp|go-http-client|node-fetch|axios|facebookexternalhit|^mozilla/4\.0$`)

// handlePlayCreate handles "POST /plays": Hark's player reports that a listener started an
// episode (episode_id, a form value or a JSON body {"episode_id": "..."}). It counts one play for
// the episode's podcast, today and the listener's region, and keeps nothing else: no address,
// no agent, no time finer than the day. Crawlers and HTTP libraries are answered like
// listeners and not counted.
func (s *Server) handlePlayCreate(w http.ResponseWriter, r *http.Request) error {
	if ok, retry := s.limiter.Allow("plays "+limitKey(clientOf(r).addr), playRate); !ok {
		return hark.Limitf(retry, "Too many plays from your address. Try again in %ss.", retrySeconds(retry))
	}
	id, err := playEpisodeID(r)
	if err != nil {
		return err
	}
	if !botAgent.MatchString(r.UserAgent()) && r.UserAgent() != "" {
		if err := s.store.RecordPlay(r.Context(), id, s.listenerRegion(r)); err != nil {
			return err
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// playEpisodeID reads the episode id of a play report.
func playEpisodeID(r *http.Request) (string, error) {
	var id string
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/json" {
		var body struct {
			EpisodeID string `json:"episode_id"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			if err := bodyError(err); err != nil {
				return "", err
			}
			return "", hark.Errorf(hark.ErrInvalid, "The body is not a JSON object with an episode_id.")
		}
		id = body.EpisodeID
	} else {
		if err := r.ParseForm(); err != nil {
			if err := bodyError(err); err != nil {
				return "", err
			}
			return "", hark.Errorf(hark.ErrInvalid, "The body is not a form.")
		}
		id = r.PostFormValue("episode_id")
	}
	if !hark.ValidID(id) {
		return "", hark.Errorf(hark.ErrInvalid, "episode_id: send the id of the episode played, 32 hex digits.")
	}
	return id, nil
}

// listenerRegion is the listener's country as a lower-case ISO code: from the CDN's country
// header when Config.CountryHeader names one, else the region of the first language in
// Accept-Language that has one ("en-GB" is gb), else "".
func (s *Server) listenerRegion(r *http.Request) string {
	if s.cfg.CountryHeader != "" {
		if c := strings.ToLower(strings.TrimSpace(r.Header.Get(s.cfg.CountryHeader))); regionName(c) != "" {
			return c
		}
		return ""
	}
	return acceptLanguageRegion(r.Header.Get("Accept-Language"))
}

// acceptLanguageRegion returns the region of the first language range in header that names one
// of the regions Hark knows, in header order (q values rarely reorder real browsers' lists).
func acceptLanguageRegion(header string) string {
	for _, part := range strings.Split(header, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		subs := strings.Split(strings.ToLower(tag), "-")
		for _, sub := range subs[1:] {
			if len(sub) == 2 && regionName(sub) != "" {
				return sub
			}
		}
	}
	return ""
}

// audienceResponse is PodcastAudienceResponse.
type audienceResponse struct {
	ByRegions []audienceRegion `json:"by_regions"`
}

type audienceRegion struct {
	Region string `json:"region"`
	Ratio  string `json:"ratio"`
}

// handlePodcastAudience handles "GET /api/v2/podcasts/{id}/audience": the share of the plays
// in Hark's player over the last 90 days that came from each region, once there are
// Config.AudienceMinPlays plays of a known region; before that, by_regions is empty.
func (s *Server) handlePodcastAudience(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	if _, err := s.store.FindPodcastByID(r.Context(), id); err != nil {
		return podcastNotFound(id, err)
	}
	plays, err := s.store.FindPodcastAudience(r.Context(), id, time.Now().Add(-audienceWindow))
	if err != nil {
		return err
	}
	var total int64
	for _, p := range plays {
		total += p.Plays
	}
	out := audienceResponse{ByRegions: []audienceRegion{}}
	if total >= int64(s.cfg.AudienceMinPlays) {
		for _, p := range plays {
			ratio := strconv.FormatFloat(100*float64(p.Plays)/float64(total), 'f', 2, 64) + "%"
			out.ByRegions = append(out.ByRegions, audienceRegion{Region: p.Region, Ratio: ratio})
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
