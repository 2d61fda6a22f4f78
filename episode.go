package hark

import (
	"net/url"
	"strings"
	"time"
)

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
	// FeedChapters are the chapters the feed lists in the item itself (Podlove Simple
	// Chapters), nil when none; pages show them when no podcast:chapters file was read. A
	// crawl stores it; reads of episodes leave it nil (db.FindTimeline reads it).
	FeedChapters []Chapter
	// NotesImages are the first images of the notes (NotesImageURL of each src), which Hark
	// keeps copies of so that pages never load them from the feed's host. A crawl stores it;
	// reads of episodes leave it nil.
	NotesImages []string
	Persons     []string // podcast:person names
	Gone        bool     // vanished from the feed; kept, not deleted

	CreatedAt time.Time
	UpdatedAt time.Time
}

// NotesImageURL is how Hark names an image of show notes by the src it has: the URL trimmed
// and written as net/url writes it (as the HTML sanitizer does), or "" unless it is an absolute
// http(s) URL. The feed parser and the pages name the same image the same way.
func NotesImageURL(src string) string {
	u, err := url.Parse(strings.TrimSpace(src))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return u.String()
}
