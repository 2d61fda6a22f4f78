package http

import (
	"context"
	"html"
	"regexp"
	"strconv"
	"strings"

	xhtml "golang.org/x/net/html"

	"hark"
	"hark/artwork"
)

// maxNotesImageLookups bounds the images of one page's notes looked up; the crawl keeps copies
// of fewer (the feed's first few), and the others are left out of the page.
const maxNotesImageLookups = 32

// notesImgPattern tells notes that may have images from the many that have none, cheaply.
var notesImgPattern = regexp.MustCompile(`(?i)<img\b`)

// localizeNotesImages points the images of the episode's notes at Hark's copies
// (/artwork/{key}/600.jpg, with the copy's width and height, loaded lazily), so that the page
// never loads an image from the feed's host. Images Hark has no copy of are left as they are,
// for showNotes to drop.
func (s *Server) localizeNotesImages(ctx context.Context, e *hark.Episode) error {
	if !notesImgPattern.MatchString(e.Description) {
		return nil
	}
	var keys []string
	eachImg(e.Description, func(src string) string {
		if u := hark.NotesImageURL(src); u != "" && len(keys) < maxNotesImageLookups {
			keys = append(keys, artwork.NotesKey(u))
		}
		return ""
	})
	if len(keys) == 0 {
		return nil
	}
	stored, err := s.store.FindNotesImages(ctx, keys)
	if err != nil || len(stored) == 0 {
		return err
	}
	e.Description = eachImg(e.Description, func(src string) string {
		u := hark.NotesImageURL(src)
		if u == "" {
			return ""
		}
		key := artwork.NotesKey(u)
		img, ok := stored[key]
		if !ok {
			return ""
		}
		w, h := artwork.FitSize(img.Width, img.Height, artwork.Large)
		return `src="` + notesImagePath(key) + `" width="` + strconv.Itoa(w) + `" height="` + strconv.Itoa(h) + `" loading="lazy"`
	})
	return nil
}

// notesImagePath is where Hark serves its copy of a notes image.
func notesImagePath(key string) string {
	return "/artwork/" + key + "/" + strconv.Itoa(artwork.Large) + ".jpg"
}

// eachImg calls with the src of every <img> of notes, in order. When with returns attributes,
// the tag is written again with them in place of src, width, height and loading, keeping its
// alt; every other byte of notes is kept. It returns the notes so rewritten.
func eachImg(notes string, with func(src string) string) string {
	var b strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(notes))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return b.String()
		}
		raw := z.Raw()
		if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
			b.Write(raw)
			continue
		}
		name, hasAttr := z.TagName()
		if string(name) != "img" {
			b.Write(raw)
			continue
		}
		raw = append([]byte(nil), raw...) // TagAttr may reuse the buffer
		var src, alt string
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			switch string(k) {
			case "src":
				src = string(v)
			case "alt":
				alt = string(v)
			}
		}
		attrs := with(src)
		if attrs == "" {
			b.Write(raw)
			continue
		}
		b.WriteString("<img " + attrs)
		if alt != "" {
			b.WriteString(` alt="` + html.EscapeString(alt) + `"`)
		}
		b.WriteString(">")
	}
}

// These pick <img> tags and their attributes out of sanitized HTML,
// which quotes every attribute value with " and escapes it.
var (
	sanitizedImgPattern = regexp.MustCompile(`<img\b[^>]*>`)
	imgSrcPattern       = regexp.MustCompile(`\ssrc="([^"]*)"`)
	imgAltPattern       = regexp.MustCompile(`\salt="([^"]*)"`)
	localImgSrcPattern  = regexp.MustCompile(`^/artwork/[0-9a-f]{32}/(?:300|600)\.jpg$`)
)

// keepLocalImages drops from sanitized HTML every image but Hark's own copies
// (localizeNotesImages), leaving the alt text of each in its place: a page never loads an
// image from a feed's host, which may be down, and which would learn who reads the page.
func keepLocalImages(safe string) string {
	if !strings.Contains(safe, "<img") {
		return safe
	}
	return sanitizedImgPattern.ReplaceAllStringFunc(safe, func(tag string) string {
		if m := imgSrcPattern.FindStringSubmatch(tag); m != nil && localImgSrcPattern.MatchString(m[1]) {
			return tag
		}
		if m := imgAltPattern.FindStringSubmatch(tag); m != nil {
			return m[1] // escaped by the sanitizer
		}
		return ""
	})
}
