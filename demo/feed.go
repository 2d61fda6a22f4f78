package demo

import (
	"strconv"
	"sync"
)

// feedWriter renders one feed. Pooled, so its scratch buffers outlive a single call.
type feedWriter struct {
	xmlWriter
	ep    episode
	text2 []byte // the description without tags, when content:encoded has the HTML
	show  *show
	base  string // the catalogue's base URL
}

var feedWriters = sync.Pool{New: func() any { return new(feedWriter) }}

// itemSizeEstimate is a typical item's size in bytes, to size a feed's buffer in one go.
const itemSizeEstimate = 1600

// appendFeed appends the RSS of s with its first n episodes, newest first.
func appendFeed(dst []byte, s *show, n int, base string) []byte {
	w := feedWriters.Get().(*feedWriter)
	defer feedWriters.Put(w)
	if cap(dst)-len(dst) < 4096+n*itemSizeEstimate {
		dst = append(make([]byte, 0, len(dst)+4096+n*itemSizeEstimate), dst...)
	}
	w.b, w.show, w.base = dst, s, base
	w.channel(n)
	for k := n; k >= 1; k-- {
		s.episode(&w.ep, k)
		w.item(&w.ep)
	}
	w.raw("  </channel>\n</rss>\n")
	dst = w.b
	w.b, w.show = nil, nil
	return dst
}

func (w *feedWriter) channel(n int) {
	s := w.show
	w.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"`)
	if s.feat&featContentEncoded != 0 {
		w.raw(` xmlns:content="http://purl.org/rss/1.0/modules/content/"`)
	}
	if s.feat&featAtomSelf != 0 {
		w.raw(` xmlns:atom="http://www.w3.org/2005/Atom"`)
	}
	if s.feat&featPodcastNS != 0 {
		w.raw(` xmlns:podcast="https://podcastindex.org/namespace/1.0"`)
	}
	w.raw(">\n  <channel>\n")
	const in = "    "
	w.elem(in, "title", s.Title)
	w.elem(in, "link", s.website)
	if s.feat&featAtomSelf != 0 {
		w.raw(in + `<atom:link href="`)
		w.text(w.base)
		w.raw("/feeds/" + s.Slug + `.xml" rel="self" type="application/rss+xml"/>` + "\n")
	}
	w.elem(in, "description", s.Description)
	w.elem(in, "language", s.Language)
	w.elem(in, "copyright", s.copyright)
	if s.feat&featManagingEditor != 0 {
		w.elem(in, "managingEditor", s.email+" ("+s.Author+")")
	}
	w.elem(in, "generator", "Hark demo")
	w.elemDate(in, "lastBuildDate", s.pubDate(n))
	if s.feat&featTTL != 0 {
		w.elemInt(in, "ttl", 60)
	}
	w.raw(in + "<image>\n")
	w.open(in+"  ", "url")
	w.imageURL()
	w.close("url")
	w.elem(in+"  ", "title", s.Title)
	w.elem(in+"  ", "link", s.website)
	w.raw(in + "</image>\n")
	w.itunesChannel()
	if s.feat&featPodcastNS != 0 {
		w.podcastChannel()
	}
}

func (w *feedWriter) itunesChannel() {
	s := w.show
	const in = "    "
	w.elem(in, "itunes:author", s.Author)
	w.raw(in + "<itunes:owner>\n")
	w.elem(in+"  ", "itunes:name", s.Author)
	w.elem(in+"  ", "itunes:email", s.email)
	w.raw(in + "</itunes:owner>\n" + in + `<itunes:image href="`)
	w.imageURL()
	w.raw(`"/>` + "\n" + in + `<itunes:category text="`)
	w.text(s.Category)
	if s.Subcategory == "" {
		w.raw(`"/>` + "\n")
	} else {
		w.raw(`"><itunes:category text="`)
		w.text(s.Subcategory)
		w.raw(`"/></itunes:category>` + "\n")
	}
	w.elem(in, "itunes:explicit", explicitWords[s.explicitStyle][boolIndex(s.Explicit)])
	w.elem(in, "itunes:type", ifElse(s.Serial, "serial", "episodic"))
}

// explicitWords are the itunes:explicit values feeds use for {clean, explicit}: Apple's
// current ones, then two older forms that Apple and parsers still accept.
var explicitWords = [...][2]string{{"false", "true"}, {"no", "yes"}, {"clean", "explicit"}}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (w *feedWriter) podcastChannel() {
	s := w.show
	const in = "    "
	w.elem(in, "podcast:guid", s.guid)
	w.raw(in + `<podcast:locked owner="`)
	w.text(s.email)
	w.raw(`">no</podcast:locked>` + "\n")
	w.elem(in, "podcast:medium", "podcast")
	w.raw(in + `<podcast:funding url="`)
	w.text(s.website)
	w.raw(`support">Support the show</podcast:funding>` + "\n")
	for _, h := range s.hostList {
		w.raw(in + `<podcast:person role="host">`)
		w.text(h)
		w.raw("</podcast:person>\n")
	}
}

func (w *feedWriter) imageURL() {
	w.text(w.base)
	w.raw(w.show.ImageURL)
}

func (w *feedWriter) item(e *episode) {
	s := w.show
	const in = "      "
	w.raw("    <item>\n")
	w.elemBytes(in, "title", e.title)
	if s.feat&featItunesTitle != 0 {
		w.elemBytes(in, "itunes:title", e.itunesTitle)
	}
	w.open(in, "link")
	w.text(s.website)
	w.raw("episodes/")
	w.b = strconv.AppendInt(w.b, int64(e.n), 10)
	w.close("link")
	if s.feat&featContentEncoded != 0 {
		w.text2 = stripTags(w.text2[:0], e.html)
		w.elemBytes(in, "description", w.text2)
		w.open(in, "content:encoded")
		w.cdata(e.html)
		w.close("content:encoded")
	} else {
		w.elemBytes(in, "description", e.html)
	}
	w.raw(in + `<guid isPermaLink="false">`)
	w.guid(e)
	w.raw("</guid>\n")
	w.elemDate(in, "pubDate", e.published)
	w.enclosure(e)
	w.open(in, "itunes:duration")
	w.b = appendDuration(w.b, e.duration, e.durStyle)
	w.close("itunes:duration")
	w.itunesItem(e)
	w.raw("    </item>\n")
}

func (w *feedWriter) enclosure(e *episode) {
	w.raw(`      <enclosure url="`)
	w.text(w.base)
	w.raw("/audio/")
	w.raw(w.show.Slug)
	w.raw("/")
	w.b = strconv.AppendInt(w.b, int64(e.n), 10)
	w.raw(`.mp3" length="`)
	w.b = strconv.AppendInt(w.b, e.size, 10)
	w.raw(`" type="audio/mpeg"/>` + "\n")
}

func (w *feedWriter) itunesItem(e *episode) {
	s := w.show
	const in = "      "
	if e.season > 0 {
		w.elemInt(in, "itunes:season", int64(e.season))
	}
	if !e.bonus {
		w.elemInt(in, "itunes:episode", int64(e.inSeason))
	}
	w.elem(in, "itunes:episodeType", ifElse(e.bonus, "bonus", "full"))
	if s.feat&featEpisodeExplicit != 0 {
		w.elem(in, "itunes:explicit", explicitWords[s.explicitStyle][boolIndex(e.explicit)])
	}
	if s.feat&featEpisodeImage != 0 {
		w.raw(in + `<itunes:image href="`)
		w.imageURL()
		w.raw("?episode=")
		w.b = strconv.AppendInt(w.b, int64(e.n), 10)
		w.raw(`"/>` + "\n")
	}
	if s.feat&featPodcastNS != 0 && e.guest[0] != "" {
		w.raw(in + `<podcast:person role="guest">`)
		w.text(e.guest[0])
		w.raw(" ")
		w.text(e.guest[1])
		w.raw("</podcast:person>\n")
	}
}

// guid appends the item's guid in the show's style. None contains the base URL, so guids
// survive the demo server moving to another port.
func (w *feedWriter) guid(e *episode) {
	s := w.show
	switch s.guidStyle {
	case 0:
		r := rng{mix(s.seed^guidSalt, uint64(e.n))}
		var u [16]byte
		for i := range u {
			u[i] = byte(r.next())
		}
		u[6] = u[6]&0x0f | 0x40
		u[8] = u[8]&0x3f | 0x80
		w.b = appendUUID(w.b, u)
	case 1:
		w.raw("tag:")
		w.raw(s.Slug)
		w.raw(".example.com,")
		w.b = e.published.AppendFormat(w.b, "2006-01-02")
		w.raw(":episode/")
		w.b = strconv.AppendInt(w.b, int64(e.n), 10)
	case 2:
		w.raw(s.website)
		w.raw("episodes/")
		w.b = strconv.AppendInt(w.b, int64(e.n), 10)
	default:
		w.raw(s.guidPrefix)
		w.raw("-")
		w.b = strconv.AppendInt(w.b, int64(e.n), 10)
	}
}
