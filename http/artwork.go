package http

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"hark"
	"hark/artwork"
)

// Cache lifetimes of artwork answers. A stored copy never changes under its URL (a new image
// URL is a new key); a placeholder stands in for a copy that may come, so it is kept briefly.
const (
	artworkCacheControl        = "public, max-age=31536000, immutable"
	pendingArtworkCacheControl = "public, max-age=300"
	failedArtworkCacheControl  = "public, max-age=86400"
)

// handleArtwork handles "GET /artwork/{key}/{size}.jpg": Hark's copy of a feed's image, with an
// ETag and a year's cache. Before the copy is made (or when the image could not be fetched or
// read) it answers the placeholder drawn from the title, for a shorter time.
func (s *Server) handleArtwork(w http.ResponseWriter, r *http.Request) error {
	key := chi.URLParam(r, "key")
	size, err := strconv.Atoi(strings.TrimSuffix(chi.URLParam(r, "file"), ".jpg"))
	if !artwork.ValidKey(key) || err != nil || !artwork.ValidSize(size) || !strings.HasSuffix(r.URL.Path, ".jpg") {
		return hark.Errorf(hark.ErrNotFound, "No such artwork.")
	}
	c, err := s.store.FindArtworkCopy(r.Context(), key, size, etagDigest(r.Header.Get("If-None-Match"), size))
	switch {
	case errors.Is(err, hark.ErrNotFound):
		writePlaceholder(w, r, "", pendingArtworkCacheControl)
		return nil
	case err != nil:
		return err
	case c.Bytes == nil && !c.NotModified:
		writePlaceholder(w, r, c.Title, failedArtworkCacheControl)
		return nil
	}
	h := w.Header()
	h.Set("ETag", `"`+c.Digest+"-"+strconv.Itoa(size)+`"`)
	h.Set("Cache-Control", artworkCacheControl)
	if c.NotModified {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", "image/jpeg")
	h.Set("Content-Length", strconv.Itoa(len(c.Bytes)))
	_, _ = w.Write(c.Bytes)
	return nil
}

// etagDigest is the digest in an If-None-Match naming a copy of this size, or "".
func etagDigest(ifNoneMatch string, size int) string {
	suffix := "-" + strconv.Itoa(size)
	for _, tag := range strings.Split(ifNoneMatch, ",") {
		tag = strings.Trim(strings.TrimPrefix(strings.TrimSpace(tag), "W/"), `"`)
		if d, ok := strings.CutSuffix(tag, suffix); ok && d != "" {
			return d
		}
	}
	return ""
}

// handleArtworkPlaceholder handles "GET /artwork/none/{hue}-{initials}.svg": the tile of a show
// or episode without artwork. Pages link it with the title's initials and colour, so it needs no
// lookup; the handler accepts only what artwork.Initials and artwork.Hue can give.
func (s *Server) handleArtworkPlaceholder(w http.ResponseWriter, r *http.Request) error {
	name, ok := strings.CutSuffix(chi.URLParam(r, "file"), ".svg")
	hueText, initials, ok2 := strings.Cut(name, "-")
	if u, err := url.PathUnescape(initials); err == nil {
		initials = u
	}
	hue, err := strconv.Atoi(hueText)
	if !ok || !ok2 || err != nil || hue < 0 || hue > 359 || !artwork.ValidInitials(initials) {
		return hark.Errorf(hark.ErrNotFound, "No such placeholder.")
	}
	svg := artwork.PlaceholderSVG(initials, hue)
	writeSVG(w, r, svg, artworkCacheControl)
	return nil
}

// writePlaceholder answers the placeholder of title.
func writePlaceholder(w http.ResponseWriter, r *http.Request, title, cacheControl string) {
	writeSVG(w, r, artwork.Placeholder(title), cacheControl)
}

func writeSVG(w http.ResponseWriter, r *http.Request, svg []byte, cacheControl string) {
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml")
	h.Set("Cache-Control", cacheControl)
	// An SVG opened on its own is a document: it may run nothing and load nothing.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	digest := artwork.Digest(svg)
	h.Set("ETag", `"`+digest+`"`)
	if strings.Contains(r.Header.Get("If-None-Match"), `"`+digest+`"`) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(svg)
}
