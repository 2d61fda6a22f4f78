package http

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"golang.org/x/text/unicode/norm"

	"hark"
	"hark/artwork"
)

// The one place page and API links to shows, episodes and artwork are built: templates reach
// these through linkFuncs, Go code calls them directly.

// maxSlugLength bounds a slug, in bytes, so a long title does not make a long URL; the cut falls
// between words.
const maxSlugLength = 60

// foldLetters are the letters that Unicode does not decompose into an ASCII letter and a mark.
var foldLetters = strings.NewReplacer("ß", "ss", "æ", "ae", "Æ", "ae", "ø", "o", "Ø", "o", "œ", "oe", "Œ", "oe",
	"ł", "l", "Ł", "l", "đ", "d", "Đ", "d", "ð", "d", "þ", "th", "Þ", "th", "ı", "i")

// slug is title folded to lower-case ASCII words joined by hyphens ("Café Ölçü" is
// "cafe-olcu"), at most maxSlugLength bytes; "" when no letter or digit is left.
func slug(title string) string {
	if !isASCII(title) { // a sitemap slugs 50,000 titles: most are ASCII and skip the folding
		title = norm.NFKD.String(foldLetters.Replace(title))
	}
	b := make([]byte, 0, min(len(title), maxSlugLength+16))
	hyphen := false
	for _, r := range title {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9', 'A' <= r && r <= 'Z':
			if hyphen && len(b) > 0 {
				b = append(b, '-')
			}
			hyphen = false
			b = append(b, byte(unicode.ToLower(r)))
		case unicode.Is(unicode.Mn, r): // accents, once decomposed
		default:
			hyphen = true
		}
		if len(b) > maxSlugLength {
			break
		}
	}
	s := string(b)
	if len(s) > maxSlugLength {
		s = s[:maxSlugLength]
		if i := strings.LastIndexByte(s, '-'); i > 0 {
			s = s[:i]
		}
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// refPath is /{kind}/{slug}-{id}, or /{kind}/{id} for a title without letters.
func refPath(kind, id, title string) string {
	if s := slug(title); s != "" {
		return "/" + kind + "/" + s + "-" + id
	}
	return "/" + kind + "/" + id
}

// podcastPath is the canonical path of a podcast's page.
func podcastPath(id, title string) string { return refPath("podcasts", id, title) }

// episodePath is the canonical path of an episode's page.
func episodePath(id, title string) string { return refPath("episodes", id, title) }

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
