package hark

import "time"

// Search types for SearchQuery.Type.
const (
	SearchTypeEpisode = "episode"
	SearchTypePodcast = "podcast"
)

// SearchQuery is a full-text search, with the Listen API v2 /search parameters. Zero values mean
// "no filter". The http package checks user input before it builds one.
type SearchQuery struct {
	Q               string
	Type            string // SearchTypeEpisode (default) or SearchTypePodcast
	Offset          int
	PageSize        int // 1..10 in the Listen API; default 10
	SortByDate      bool
	LenMinMinutes   int
	LenMaxMinutes   int
	GenreIDs        []int
	PublishedBefore time.Time
	PublishedAfter  time.Time
	OnlyIn          []string // any of "title", "description", "author", "audio"
	Language        string
	Region          string
	OnlyPodcastIDs  []string // ocid
	NeverPodcastIDs []string // ncid
	SafeMode        bool     // no explicit content
	EpisodeCountMin int      // podcasts only
	EpisodeCountMax int
	UpdateFreqMin   int // hours, podcasts only
	UpdateFreqMax   int
	UniquePodcasts  bool // at most one episode per podcast
}

// SearchResult is one page of search results.
type SearchResult struct {
	Took  time.Duration
	Total int
	Hits  []SearchHit
}

// SearchHit is one result. For episode searches Episode and Podcast are set (Podcast with the
// fields the index copies into episodes); for podcast searches only Podcast.
type SearchHit struct {
	Episode *Episode
	Podcast *Podcast

	// Highlighted text: HTML-escaped with matches wrapped in
	// <span class="ln-search-highlight">…</span>, as Listen API clients expect.
	TitleHighlighted       string
	DescriptionHighlighted string
	PublisherHighlighted   string // podcast searches
}

// Suggestions answers a typeahead prefix.
type Suggestions struct {
	Terms    []string
	Podcasts []Podcast
	Genres   []Genre
}

// Correction is a word of a query that Hark thinks misspelled, with the word it suggests.
type Correction struct {
	Offset     int // in bytes, from the start of the query
	Token      string
	Suggestion string
}
