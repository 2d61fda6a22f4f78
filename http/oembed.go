package http

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"

	"hark"
	"hark/artwork"
)

// oembedResponse is an oEmbed 1.0 "rich" response (https://oembed.com, section 2.3.4).
type oembedResponse struct {
	Type            string `json:"type"`
	Version         string `json:"version"`
	Title           string `json:"title"`
	AuthorName      string `json:"author_name,omitempty"`
	AuthorURL       string `json:"author_url,omitempty"`
	ProviderName    string `json:"provider_name"`
	ProviderURL     string `json:"provider_url"`
	CacheAge        int    `json:"cache_age"`
	ThumbnailURL    string `json:"thumbnail_url,omitempty"`
	ThumbnailWidth  int    `json:"thumbnail_width,omitempty"`
	ThumbnailHeight int    `json:"thumbnail_height,omitempty"`
	HTML            string `json:"html"`
	Width           int    `json:"width"`
	Height          int    `json:"height"`
}

// oembedCacheAge is how long consumers may keep an answer, in seconds.
const oembedCacheAge = 86400

// handleOEmbed handles "GET /oembed?url=&format=json&maxwidth=&maxheight=": the embeddable player
// of a podcast or episode page of this site, so that blogging platforms embed a pasted link.
// Only JSON is served: format=xml answers 501, as the spec asks of an unsupported format.
func (s *Server) handleOEmbed(w http.ResponseWriter, r *http.Request) error {
	p := &params{v: r.URL.Query()}
	if f := p.str("format"); f != "" && f != "json" {
		writeJSON(w, http.StatusNotImplemented, errorBody{Error: errorDetail{Code: http.StatusNotImplemented, Message: "Only format=json is supported."}})
		return nil
	}
	maxWidth := p.int("maxwidth", 0, 0, 10000)
	maxHeight := p.int("maxheight", 0, 0, 10000)
	target := p.str("url")
	if target == "" {
		p.fail("url", "is required: the URL of a podcast or episode page")
	}
	if p.err != nil {
		return p.err
	}
	kind, id := s.ownPage(target)
	if id == "" {
		return hark.Errorf(hark.ErrNotFound, "Hark has no embed for this URL.")
	}
	resp, err := s.oembedFor(r, kind, id)
	if err != nil {
		return err
	}
	fitOEmbed(&resp, maxWidth, maxHeight)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// ownPage says which of this site's podcast or episode pages (or embeds) raw names: "podcasts"
// or "episodes" and the ID, or "" for any other URL.
func (s *Server) ownPage(raw string) (kind, id string) {
	u, err := url.Parse(raw)
	base, _ := url.Parse(s.cfg.BaseURL)
	if err != nil || base == nil || !strings.EqualFold(u.Host, base.Host) {
		return "", ""
	}
	path := strings.TrimPrefix(u.Path, "/embed")
	for _, k := range []string{"podcasts", "episodes"} {
		if ref, ok := strings.CutPrefix(path, "/"+k+"/"); ok && !strings.Contains(ref, "/") {
			return k, refID(ref)
		}
	}
	return "", ""
}

// oembedFor describes the player of a podcast or an episode.
func (s *Server) oembedFor(r *http.Request, kind, id string) (oembedResponse, error) {
	resp := oembedResponse{Type: "rich", Version: "1.0", ProviderName: "Hark", ProviderURL: s.cfg.BaseURL + "/",
		CacheAge: oembedCacheAge, Width: embedWidth}
	var pod hark.Podcast
	var image, imageTitle, src string
	if kind == "episodes" {
		e, err := s.store.FindEpisodeByID(r.Context(), id)
		if err != nil {
			return resp, episodeNotFound(id, err)
		}
		if pod, err = s.store.FindPodcastByID(r.Context(), e.PodcastID); err != nil {
			return resp, err
		}
		resp.Title, resp.Height, src = or(e.Title, "Untitled episode"), embedEpisodeHeight, "/embed/episodes/"+e.ID
		image, imageTitle = episodeArt(&e, &pod)
	} else {
		var err error
		if pod, err = s.store.FindPodcastByID(r.Context(), id); err != nil {
			return resp, podcastNotFound(id, err)
		}
		resp.Title, resp.Height, src = or(pod.Title, "Untitled podcast"), embedPodcastHeight, "/embed/podcasts/"+pod.ID
		image, imageTitle = pod.ImageURL, pod.Title
	}
	resp.AuthorName, resp.AuthorURL = or(pod.Publisher, pod.Title), s.podcastURL(pod.ID, pod.Title)
	resp.HTML = s.cfg.BaseURL + src // fitOEmbed makes the iframe, once the size is known
	if image != "" {
		resp.ThumbnailURL = s.artworkURL(image, imageTitle, artwork.Large)
		resp.ThumbnailWidth, resp.ThumbnailHeight = artwork.Large, artwork.Large
	}
	return resp, nil
}

// fitOEmbed keeps the player and thumbnail within maxWidth and maxHeight (0: no bound), as the
// spec requires, and writes the iframe. A thumbnail that fits in neither size is left out.
func fitOEmbed(resp *oembedResponse, maxWidth, maxHeight int) {
	if maxWidth > 0 {
		resp.Width = min(resp.Width, maxWidth)
	}
	if maxHeight > 0 {
		resp.Height = min(resp.Height, maxHeight)
	}
	if resp.ThumbnailURL != "" {
		limit := min(nonZero(maxWidth), nonZero(maxHeight))
		switch {
		case limit >= artwork.Large:
		case limit >= artwork.Small:
			resp.ThumbnailURL = strings.Replace(resp.ThumbnailURL, fmt.Sprintf("/%d.jpg", artwork.Large), fmt.Sprintf("/%d.jpg", artwork.Small), 1)
			resp.ThumbnailWidth, resp.ThumbnailHeight = artwork.Small, artwork.Small
		default:
			resp.ThumbnailURL, resp.ThumbnailWidth, resp.ThumbnailHeight = "", 0, 0
		}
	}
	resp.HTML = fmt.Sprintf(`<iframe src="%s" title="%s" width="%d" height="%d" style="border:0" loading="lazy" allow="autoplay; encrypted-media"></iframe>`,
		html.EscapeString(resp.HTML), html.EscapeString(resp.Title), resp.Width, resp.Height)
}

// nonZero is n, or a bound above every size for 0.
func nonZero(n int) int {
	if n == 0 {
		return 1 << 30
	}
	return n
}
