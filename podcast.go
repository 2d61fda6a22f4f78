package hark

import "time"

// Podcast is a show, as Hark knows it from its feed and its crawls.
type Podcast struct {
	ID          string // 32-hex public ID
	FeedURL     string // normalised; unique
	Title       string
	Publisher   string // itunes:author, else managingEditor, else owner name
	Description string // HTML as the feed has it; sanitize before showing
	ImageURL    string
	WebsiteURL  string
	Language    string // lower case, e.g. "en" or "pt-br"
	Country     string // ISO 3166 alpha-2, lower case, when known
	Explicit    bool
	Categories  []string // iTunes categories, "Parent" or "Parent > Child"
	GenreIDs    []int    // derived from Categories; see Genres
	Type        string   // "episodic" or "serial"
	PodcastGUID string   // podcast:guid, or the UUIDv5 of the feed URL
	Complete    bool     // itunes:complete: no more episodes will come
	Locked      bool     // podcast:locked
	Medium      string   // podcast:medium
	FundingURL  string   // first podcast:funding
	OwnerEmail  string

	EpisodeCount    int       // episodes stored and not gone
	LatestPubDate   time.Time // newest episode's published_at
	EarliestPubDate time.Time // oldest episode's published_at
	UpdateFreqHours int       // typical hours between episodes, 0 when unknown
	QualityScore    float64   // 0..1, computed from what Hark knows; ranks search results

	Crawl     CrawlState
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CrawlState is what Hark remembers of fetching a podcast's feed.
type CrawlState struct {
	ETag                string
	LastModified        string
	BodyHash            string // sha256 of the last body parsed, to skip unchanged bodies
	LastCrawledAt       time.Time
	LastHTTPStatus      int
	LastError           string // readable reason of the last failure, "" after a success
	ConsecutiveFailures int
	NextCrawlAt         time.Time
	Dead                bool // failing for weeks, or gone (410); checked rarely
}

// Feed is a parsed podcast feed: the show, its episodes and hints for the crawler.
type Feed struct {
	Podcast  Podcast
	Episodes []Episode

	NewFeedURL string        // itunes:new-feed-url, when it differs from the fetched URL
	TTL        time.Duration // RSS ttl, 0 when absent
	WebSubHub  string        // <atom:link rel="hub">
	WebSubSelf string        // <atom:link rel="self">
	Warnings   []string      // repairs made while parsing (bad charset, junk before XML, ...)
}
