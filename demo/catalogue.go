package demo

import (
	"cmp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults for Config fields left zero.
const (
	ShowsDefault       = 24
	MinEpisodesDefault = 1
	MaxEpisodesDefault = 300
)

// ReferenceDefault is the default Config.Reference: a fixed date, so that output never depends
// on the clock.
var ReferenceDefault = time.Date(2025, time.January, 6, 9, 0, 0, 0, time.UTC)

// Config controls a generated catalogue.
type Config struct {
	// Seed selects the catalogue: the same Config yields the same catalogue, byte for byte.
	Seed int64

	// Shows is the number of shows. Default ShowsDefault.
	Shows int

	// MinEpisodes and MaxEpisodes bound each show's episode count, chosen per show and skewed:
	// most shows are small, a few large. Defaults MinEpisodesDefault and MaxEpisodesDefault;
	// a MaxEpisodes below MinEpisodes is raised to it.
	MinEpisodes, MaxEpisodes int

	// BaseURL prefixes feed, audio and image URLs, for example "http://127.0.0.1:34567".
	// Feeds are at BaseURL+"/feeds/<slug>.xml", enclosures at BaseURL+"/audio/<slug>/<n>.mp3".
	// When empty, Serve sets it to the address it listens on.
	BaseURL string

	// Reference is when each show's initially generated episodes end, give or take a few days.
	// Episodes added by AddEpisodes come after it, at the show's cadence. Default
	// ReferenceDefault.
	Reference time.Time

	// CacheBodies keeps each feed body once rendered and serves the stored bytes until the feed
	// changes, as a host serving static files does. Benchmarks set it so that generating XML
	// does not count against the crawler that shares the machine; a large catalogue then holds
	// every fetched body in memory.
	CacheBodies bool
}

// Show describes one generated podcast.
type Show struct {
	Slug        string // unique; the feed is /feeds/<slug>.xml
	Title       string
	Author      string // itunes:author
	Description string // as in the feed's <description>: plain text or HTML
	Language    string // RSS <language>, e.g. "en-us" or "pt-br"
	Category    string // Apple Podcasts category, e.g. "Society & Culture"
	Subcategory string // Apple Podcasts subcategory, or ""
	ImageURL    string
	Episodes    int // episodes in the feed now
	Explicit    bool
	Serial      bool // itunes:type serial rather than episodic
}

// Catalogue is a generated set of shows. It is safe for concurrent use.
type Catalogue struct {
	cfg   Config
	shows []show         // immutable after New
	index map[string]int // slug -> show

	mu           sync.RWMutex
	counts       []int  // episodes published per show
	noValidators []bool // shows served without ETag and Last-Modified
	baseURL      string
	cached       []cachedBody // per show, when cfg.CacheBodies
}

// cachedBody is a rendered feed and what it was rendered from.
type cachedBody struct {
	count int
	base  string
	body  []byte
}

// New generates the catalogue that cfg describes.
func New(cfg Config) *Catalogue {
	cfg.Shows = max(cmp.Or(cfg.Shows, ShowsDefault), 0)
	cfg.MinEpisodes = max(cmp.Or(cfg.MinEpisodes, MinEpisodesDefault), 0)
	cfg.MaxEpisodes = max(cmp.Or(cfg.MaxEpisodes, MaxEpisodesDefault), cfg.MinEpisodes)
	if cfg.Reference.IsZero() {
		cfg.Reference = ReferenceDefault
	}
	c := &Catalogue{
		cfg:          cfg,
		shows:        make([]show, cfg.Shows),
		index:        make(map[string]int, cfg.Shows),
		counts:       make([]int, cfg.Shows),
		noValidators: make([]bool, cfg.Shows),
		baseURL:      strings.TrimSuffix(cfg.BaseURL, "/"),
	}
	if cfg.CacheBodies {
		c.cached = make([]cachedBody, cfg.Shows)
	}
	for i := range c.shows {
		s := &c.shows[i]
		*s = newShow(cfg, i)
		s.Slug = c.uniqueSlug(slugify(s.Title))
		c.index[s.Slug] = i
		s.finish(cfg.Seed)
		c.counts[i] = s.initial
	}
	return c
}

// uniqueSlug returns slug, or slug-2, slug-3, ... when an earlier show has it.
func (c *Catalogue) uniqueSlug(slug string) string {
	if _, taken := c.index[slug]; !taken {
		return slug
	}
	for k := 2; ; k++ {
		s := slug + "-" + strconv.Itoa(k)
		if _, taken := c.index[s]; !taken {
			return s
		}
	}
}

// Shows returns the shows, in catalogue order: show i is Feed(i).
func (c *Catalogue) Shows() []Show {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]Show, len(c.shows))
	for i := range c.shows {
		out[i] = c.shows[i].Show
		out[i].Episodes = c.counts[i]
		out[i].ImageURL = c.baseURL + out[i].ImageURL
	}
	return out
}

// FeedURLs returns the URL of every feed, in catalogue order.
func (c *Catalogue) FeedURLs() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	urls := make([]string, len(c.shows))
	for i := range c.shows {
		urls[i] = c.baseURL + "/feeds/" + c.shows[i].Slug + ".xml"
	}
	return urls
}

// BaseURL returns the prefix of the catalogue's URLs.
func (c *Catalogue) BaseURL() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.baseURL
}

// SetBaseURL changes the prefix of the catalogue's URLs, for a server whose address is known
// only once it listens (httptest.NewServer). Every feed body and ETag changes with it.
func (c *Catalogue) SetBaseURL(u string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.baseURL = strings.TrimSuffix(u, "/")
}

// Feed returns the RSS XML of show i with all its episodes. It panics if i is out of range.
func (c *Catalogue) Feed(i int) []byte { return c.AppendFeed(nil, i, 0) }

// FeedN returns the RSS XML of show i as it was with its first n episodes: the n oldest, so
// FeedN(i, n) is what Feed(i) returned before later episodes came out. n <= 0, or more than
// the show has, means all. It panics if i is out of range.
func (c *Catalogue) FeedN(i, n int) []byte { return c.AppendFeed(nil, i, n) }

// AppendFeed appends FeedN(i, n) to dst, for benchmarks that reuse one buffer.
func (c *Catalogue) AppendFeed(dst []byte, i, n int) []byte {
	count, base := c.state(i)
	if n <= 0 || n > count {
		n = count
	}
	return appendFeed(dst, &c.shows[i], n, base)
}

// AddEpisodes makes show i publish k more episodes, newer than all before; k <= 0 does
// nothing. The feed's body, ETag and Last-Modified change. It panics if i is out of range.
func (c *Catalogue) AddEpisodes(i, k int) {
	c.mu.Lock()
	c.counts[i] += max(k, 0)
	count, base := c.counts[i], c.baseURL
	c.mu.Unlock()
	if c.cached != nil {
		c.cachedFeed(i, count, base) // a static host writes the new file when the show publishes
	}
}

// SetValidators turns ETag and Last-Modified on (the default) or off for show i's feed. Off,
// the server ignores conditional requests and always answers 200 with the full body, as many
// podcast hosts do. It panics if i is out of range.
func (c *Catalogue) SetValidators(i int, on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.noValidators[i] = !on
}

// state returns what show i's feed depends on that can change.
func (c *Catalogue) state(i int) (count int, base string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.counts[i], c.baseURL
}
