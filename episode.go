package hark

import "time"

// Episode is one item of a podcast's feed.
type Episode struct {
	ID             string // 32-hex public ID
	PodcastID      string
	GUID           string // the feed's guid, else a stable fallback; unique per podcast
	Title          string
	Description    string // HTML as the feed has it; sanitize before showing
	AudioURL       string
	AudioType      string // enclosure MIME type
	AudioSize      int64  // enclosure length in bytes, 0 when unknown
	AudioLengthSec int    // duration, 0 when unknown
	PublishedAt    time.Time
	Explicit       bool
	ImageURL       string
	Link           string
	Season         int
	Number         int
	EpisodeType    string // full, trailer, bonus
	TranscriptURL  string
	TranscriptType string
	Transcript     string // plain text fetched from TranscriptURL, for the index; "" until fetched
	ChaptersURL    string
	Persons        []string // podcast:person names
	Gone           bool     // vanished from the feed; kept, not deleted

	CreatedAt time.Time
	UpdatedAt time.Time
}
