package http

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"hark"
	"hark/artwork"
)

// The one place page and API links to shows, episodes and artwork are built: templates reach
// these through linkFuncs, Go code calls them directly.

// slug, podcastPath and episodePath are hark's, under the names the templates and handlers use.
var (
	slug        = hark.Slug
	podcastPath = hark.PodcastPath
	episodePath = hark.EpisodePath
)

// refID is the ID at the end of a page reference, "{slug}-{id}" or a bare "{id}"; "" when ref
// ends in no ID.
func refID(ref string) string {
	if len(ref) < 32 {
		return ""
	}
	id := ref[len(ref)-32:]
	if !hark.ValidID(id) || (len(ref) > 32 && ref[len(ref)-33] != '-') {
		return ""
	}
	return id
}

// withRefID lets h read the bare ID in its {id} parameter when the path names "{slug}-{id}".
func withRefID(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if rctx := chi.RouteContext(r.Context()); rctx != nil {
			for i, k := range rctx.URLParams.Keys {
				if k == "id" {
					if id := refID(rctx.URLParams.Values[i]); id != "" {
						rctx.URLParams.Values[i] = id
					}
				}
			}
		}
		h(w, r)
	}
}

// redirectCanonical answers 301 to canonical (with the query kept) when the request's path is
// another one: an old /podcasts/{id} link, or a slug from an older title. It reports whether it
// did.
func redirectCanonical(w http.ResponseWriter, r *http.Request, canonical string) bool {
	if r.URL.Path == canonical {
		return false
	}
	target := canonical
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.Redirect(w, r, target, http.StatusMovedPermanently)
	return true
}

// artworkPath is the path of Hark's copy of the image at imageURL, size px square (artwork.Small
// or artwork.Large); or, when there is no image URL, of the placeholder drawn from title.
// Feed images are never linked from pages: that would hand every visitor's address to the host.
func artworkPath(imageURL, title string, size int) string {
	if imageURL == "" {
		return "/artwork/none/" + strconv.Itoa(artwork.Hue(title)) + "-" + url.PathEscape(artwork.Initials(title)) + ".svg"
	}
	return "/artwork/" + artwork.Key(imageURL) + "/" + strconv.Itoa(size) + ".jpg"
}

// artworkURL is artworkPath made absolute, for the API and for cards other sites fetch.
func (s *Server) artworkURL(imageURL, title string, size int) string {
	return s.cfg.BaseURL + artworkPath(imageURL, title, size)
}

// linkFuncs are the link builders templates call: {{podcastPath .ID .Title}},
// {{artwork .ImageURL .Title 300}}.
var linkFuncs = map[string]any{
	"podcastPath": podcastPath,
	"episodePath": episodePath,
	"artwork":     artworkPath,
}

func init() {
	for name, f := range linkFuncs {
		templateFuncs[name] = f
	}
}
