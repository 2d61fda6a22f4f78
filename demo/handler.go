package demo

import (
	"encoding/binary"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Handler serves the catalogue:
//
//	/feeds/<slug>.xml          RSS, with ETag and Last-Modified unless SetValidators turned them off
//	/feeds/                    an HTML list of the feeds
//	/opml                      OPML of every feed
//	/audio/<slug>/<n>.mp3      a short silent MP3, with Range support
//	/images/<slug>.png         cover art
//
// and redirects / to /feeds/.
func (c *Catalogue) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/feeds/", http.StatusFound)
	})
	mux.HandleFunc("GET /feeds/{$}", c.handleFeedIndex)
	mux.HandleFunc("GET /feeds/{file}", c.handleFeedShow)
	mux.HandleFunc("GET /opml", c.handleOPML)
	mux.HandleFunc("GET /audio/{slug}/{file}", c.handleAudio)
	mux.HandleFunc("GET /images/{file}", c.handleImage)
	return mux
}

// bodies recycles feed bodies: a crawl benchmark fetches thousands of feeds of up to a few MB.
var bodies = sync.Pool{New: func() any { return new([]byte) }}

// showOf returns the index of the show that the {file} path value names (its slug, then ext); when
// there is none it answers 404 and returns false.
func (c *Catalogue) showOf(w http.ResponseWriter, r *http.Request, ext string) (int, bool) {
	slug, ok := strings.CutSuffix(r.PathValue("file"), ext)
	i, found := c.index[slug]
	if !ok || !found {
		http.NotFound(w, r)
		return 0, false
	}
	return i, true
}

// handleFeedShow handles "GET /feeds/{slug}.xml".
func (c *Catalogue) handleFeedShow(w http.ResponseWriter, r *http.Request) {
	i, ok := c.showOf(w, r, ".xml")
	if !ok {
		return
	}
	c.mu.RLock()
	count, base, validators := c.counts[i], c.baseURL, !c.noValidators[i]
	c.mu.RUnlock()

	s := &c.shows[i]
	if validators {
		modified := s.pubDate(count).UTC()
		etag := c.etag(i, count, base)
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", modified.Format(http.TimeFormat))
		if notModified(r, etag, modified) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}

	var body []byte
	if c.cached != nil {
		body = c.cachedFeed(i, count, base)
	} else {
		buf := bodies.Get().(*[]byte)
		defer bodies.Put(buf)
		*buf = appendFeed((*buf)[:0], s, count, base)
		body = *buf
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body) // a client that hung up is no concern of ours
}

// cachedFeed returns show i's stored body for count episodes under base, rendering it first
// when the show changed since it was stored. The stored bytes are never modified.
func (c *Catalogue) cachedFeed(i, count int, base string) []byte {
	c.mu.RLock()
	cb := c.cached[i]
	c.mu.RUnlock()
	if cb.body != nil && cb.count == count && cb.base == base {
		return cb.body
	}
	body := appendFeed(nil, &c.shows[i], count, base)
	c.mu.Lock()
	c.cached[i] = cachedBody{count: count, base: base, body: body}
	c.mu.Unlock()
	return body
}

// etagVersion changes whenever the generator's output does, so no client keeps a stale body.
const etagVersion = 1

// etag returns a strong ETag for show i's feed. It hashes what the body is a function of,
// so a 304 costs no feed generation.
func (c *Catalogue) etag(i, count int, base string) string {
	h := fnv.New64a()
	var b [8]byte
	for _, n := range []uint64{etagVersion, uint64(c.cfg.Seed), uint64(i), uint64(count), uint64(c.shows[i].initial), uint64(c.cfg.Reference.Unix())} {
		binary.LittleEndian.PutUint64(b[:], n)
		h.Write(b[:])
	}
	h.Write([]byte(base))
	return `"` + strconv.FormatUint(h.Sum64(), 16) + `"`
}

// notModified evaluates If-None-Match and, only when it is absent, If-Modified-Since,
// as RFC 9110 section 13.2.2 orders them.
func notModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Values("If-None-Match"); len(inm) > 0 {
		for _, list := range inm {
			for tag := range strings.SplitSeq(list, ",") {
				tag = strings.TrimSpace(tag)
				if tag == "*" || strings.TrimPrefix(tag, "W/") == etag { // weak comparison
					return true
				}
			}
		}
		return false
	}
	since, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	return err == nil && !modified.Truncate(time.Second).After(since)
}

// handleAudio handles "GET /audio/{slug}/{n}.mp3".
func (c *Catalogue) handleAudio(w http.ResponseWriter, r *http.Request) {
	i, found := c.index[r.PathValue("slug")]
	num, ok := strings.CutSuffix(r.PathValue("file"), ".mp3")
	n, err := strconv.Atoi(num)
	if !found || !ok || err != nil || n < 1 {
		http.NotFound(w, r)
		return
	}
	c.mu.RLock()
	count := c.counts[i]
	c.mu.RUnlock()
	if n > count {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "audio/mpeg")
	http.ServeContent(w, r, r.PathValue("file"), c.shows[i].pubDate(n), silentMP3Reader())
}

// handleImage handles "GET /images/{slug}.png".
func (c *Catalogue) handleImage(w http.ResponseWriter, r *http.Request) {
	i, ok := c.showOf(w, r, ".png")
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "image/png")
	http.ServeContent(w, r, r.PathValue("file"), c.cfg.Reference, coverReader(c.shows[i].seed))
}
