package feed

import (
	"path"
	"strconv"
	"strings"

	"github.com/mmcdole/gofeed"
)

// enclosure is the media file chosen for an episode.
type enclosure struct {
	url, typ string
	size     int64
	duration string // from media:content, when the item has no itunes:duration
	image    string // an image enclosure, used as episode art when nothing better exists
}

// mediaTypes maps file extensions to MIME types for enclosures that lack a usable type.
var mediaTypes = map[string]string{
	".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".m4b": "audio/mp4", ".aac": "audio/aac",
	".ogg": "audio/ogg", ".oga": "audio/ogg", ".opus": "audio/opus", ".wav": "audio/wav",
	".flac": "audio/flac", ".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime",
	".webm": "video/webm", ".mkv": "video/x-matroska",
}

// typeAliases maps non-standard audio types to their registered names.
var typeAliases = map[string]string{
	"audio/mp3": "audio/mpeg", "audio/x-mp3": "audio/mpeg", "audio/mpeg3": "audio/mpeg",
	"audio/x-mpeg": "audio/mpeg", "audio/x-m4a": "audio/mp4", "audio/m4a": "audio/mp4",
}

// pickEnclosure returns the first audio or video enclosure, even when an image enclosure comes
// first; media:content is the fallback. Without audio or video it takes the first enclosure that
// is not an image.
func pickEnclosure(it *gofeed.Item, x extView, base string) enclosure {
	var first, img enclosure
	for _, c := range candidates(it, x) {
		c.url = resolveURL(base, c.url)
		if c.url == "" {
			continue
		}
		c.typ = mediaType(c.typ, c.url)
		switch {
		case isAudioVideo(c.typ):
			c.image = img.url
			return c
		case strings.HasPrefix(c.typ, "image/"):
			if img.url == "" {
				img = c
			}
		case first.url == "":
			first = c
		}
	}
	first.image = img.url
	return first
}

// candidates lists the item's enclosures, then its media:content elements (also inside
// media:group).
func candidates(it *gofeed.Item, x extView) []enclosure {
	var out []enclosure
	for _, e := range it.Enclosures {
		if e != nil {
			out = append(out, enclosure{url: e.URL, typ: e.Type, size: parseLength(e.Length)})
		}
	}
	media := x.all["media"]
	contents := media["content"]
	for _, g := range media["group"] {
		contents = append(contents, g.Children["content"]...)
	}
	for _, m := range contents {
		typ := m.Attrs["type"]
		if typ == "" && (m.Attrs["medium"] == "audio" || m.Attrs["medium"] == "video") {
			typ = m.Attrs["medium"] + "/"
		}
		out = append(out, enclosure{url: m.Attrs["url"], typ: typ, size: parseLength(m.Attrs["fileSize"]), duration: m.Attrs["duration"]})
	}
	return out
}

// mediaType normalises an enclosure type, inferring it from the file extension when missing or
// generic.
func mediaType(typ, url string) string {
	typ, _, _ = strings.Cut(strings.ToLower(strings.TrimSpace(typ)), ";")
	typ = strings.TrimSpace(typ)
	if alias, ok := typeAliases[typ]; ok {
		return alias
	}
	if typ != "" && typ != "audio/" && typ != "video/" && !strings.Contains(typ, "octet-stream") {
		return typ
	}
	p, _, _ := strings.Cut(url, "?")
	if t, ok := mediaTypes[strings.ToLower(path.Ext(p))]; ok {
		return t
	}
	if typ == "audio/" || typ == "video/" {
		return typ + "mpeg"
	}
	return typ
}

// isAudioVideo reports whether a MIME type is playable media.
func isAudioVideo(typ string) bool {
	return strings.HasPrefix(typ, "audio/") || strings.HasPrefix(typ, "video/") || typ == "application/ogg"
}

// parseLength parses an enclosure length in bytes; blank, zero, negative or text gives 0.
func parseLength(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// mediaImage returns the item's media:thumbnail or image media:content URL.
func mediaImage(x extView) string {
	media := x.all["media"]
	if u := attr(media, "thumbnail", "url"); u != "" {
		return u
	}
	for _, m := range media["content"] {
		if m.Attrs["medium"] == "image" || strings.HasPrefix(m.Attrs["type"], "image/") {
			return m.Attrs["url"]
		}
	}
	return ""
}
