package search

import (
	"strings"
	"time"

	"hark"
	"hark/search/terms"
)

// episodeDoc is an episode as the episodes collection stores it: the episode plus the podcast
// fields that filters, ranking and the result page need. json tags are the schema's field names.
type episodeDoc struct {
	ID             string   `json:"id"`
	PodcastID      string   `json:"podcast_id"`
	Title          string   `json:"title"`
	TitleKey       string   `json:"title_key,omitempty"` // see titleKey
	Description    string   `json:"description"`         // plain text, see plainText
	PodcastTitle   string   `json:"podcast_title"`
	Publisher      string   `json:"publisher"`
	Transcript     string   `json:"transcript,omitempty"`
	Persons        []string `json:"persons,omitempty"`
	GenreIDs       []int    `json:"genre_ids"`
	Language       string   `json:"language"`
	Languages      []string `json:"languages"` // see languageTags
	Country        string   `json:"country,omitempty"`
	Explicit       bool     `json:"explicit"` // the episode's or the podcast's flag, for safe mode
	PublishedAt    int64    `json:"published_at"`
	AudioLengthSec int      `json:"audio_length_sec"`
	Quality        float64  `json:"quality"`
	UpdatedAt      int64    `json:"updated_at"`

	// Display only (not indexed).
	GUID            string `json:"guid,omitempty"`
	Audio           string `json:"audio,omitempty"`
	AudioType       string `json:"audio_type,omitempty"`
	AudioSize       int64  `json:"audio_size,omitempty"`
	Image           string `json:"image,omitempty"`
	Link            string `json:"link,omitempty"`
	EpisodeType     string `json:"episode_type,omitempty"`
	Season          int    `json:"season,omitempty"`
	Number          int    `json:"number,omitempty"`
	TranscriptURL   string `json:"transcript_url,omitempty"`
	ChaptersURL     string `json:"chapters_url,omitempty"`
	EpisodeExplicit bool   `json:"episode_explicit"`
	PodcastExplicit bool   `json:"podcast_explicit"`
	PodcastImage    string `json:"podcast_image,omitempty"`
	PodcastFeedURL  string `json:"podcast_feed_url,omitempty"`
	PodcastWebsite  string `json:"podcast_website,omitempty"`
}

// podcastDoc is a podcast as the podcasts collection stores it.
type podcastDoc struct {
	ID              string   `json:"id"`
	PodcastID       string   `json:"podcast_id"` // = ID; see podcastIDFilter
	Title           string   `json:"title"`
	TitleKey        string   `json:"title_key,omitempty"` // see titleKey
	Publisher       string   `json:"publisher"`
	Description     string   `json:"description"`
	GenreIDs        []int    `json:"genre_ids"`
	Language        string   `json:"language"`
	Languages       []string `json:"languages"` // see languageTags
	Country         string   `json:"country,omitempty"`
	Explicit        bool     `json:"explicit"`
	EpisodeCount    int      `json:"episode_count"`
	UpdateFreqHours int      `json:"update_freq_hours"`
	LatestPubDate   int64    `json:"latest_pub_date"`
	Quality         float64  `json:"quality"`
	PodcastGUID     string   `json:"podcast_guid,omitempty"`
	UpdatedAt       int64    `json:"updated_at"`

	// Display only (not indexed).
	Image           string `json:"image,omitempty"`
	Website         string `json:"website,omitempty"`
	FeedURL         string `json:"feed_url,omitempty"`
	Type            string `json:"type,omitempty"`
	EarliestPubDate int64  `json:"earliest_pub_date,omitempty"`
	OwnerEmail      string `json:"owner_email,omitempty"`
}

func newEpisodeDoc(e *hark.Episode, p *hark.Podcast) episodeDoc {
	title := cleanLine(e.Title)
	return episodeDoc{
		ID:              e.ID,
		PodcastID:       e.PodcastID,
		Title:           title,
		TitleKey:        titleKey(title),
		Description:     plainText(e.Description, maxDescription),
		PodcastTitle:    cleanLine(p.Title),
		Publisher:       cleanLine(p.Publisher),
		Transcript:      e.Transcript,
		Persons:         cleanLines(e.Persons),
		GenreIDs:        nonNil(p.GenreIDs),
		Language:        normCode(p.Language),
		Languages:       languageTags(p.Language),
		Country:         normCode(p.Country),
		Explicit:        e.Explicit || p.Explicit,
		PublishedAt:     unix(e.PublishedAt),
		AudioLengthSec:  e.AudioLengthSec,
		Quality:         p.QualityScore,
		UpdatedAt:       unix(e.UpdatedAt),
		GUID:            e.GUID,
		Audio:           e.AudioURL,
		AudioType:       e.AudioType,
		AudioSize:       e.AudioSize,
		Image:           e.ImageURL,
		Link:            e.Link,
		EpisodeType:     e.EpisodeType,
		Season:          e.Season,
		Number:          e.Number,
		TranscriptURL:   e.TranscriptURL,
		ChaptersURL:     e.ChaptersURL,
		EpisodeExplicit: e.Explicit,
		PodcastExplicit: p.Explicit,
		PodcastImage:    p.ImageURL,
		PodcastFeedURL:  p.FeedURL,
		PodcastWebsite:  p.WebsiteURL,
	}
}

func newPodcastDoc(p *hark.Podcast) podcastDoc {
	title := cleanLine(p.Title)
	return podcastDoc{
		ID:              p.ID,
		PodcastID:       p.ID,
		Title:           title,
		TitleKey:        terms.Fold(title), // show names keep their stop words, as their queries do
		Publisher:       cleanLine(p.Publisher),
		Description:     plainText(p.Description, maxDescription),
		GenreIDs:        nonNil(p.GenreIDs),
		Language:        normCode(p.Language),
		Languages:       languageTags(p.Language),
		Country:         normCode(p.Country),
		Explicit:        p.Explicit,
		EpisodeCount:    p.EpisodeCount,
		UpdateFreqHours: p.UpdateFreqHours,
		LatestPubDate:   unix(p.LatestPubDate),
		Quality:         p.QualityScore,
		PodcastGUID:     p.PodcastGUID,
		UpdatedAt:       unix(p.UpdatedAt),
		Image:           p.ImageURL,
		Website:         p.WebsiteURL,
		FeedURL:         p.FeedURL,
		Type:            p.Type,
		EarliestPubDate: unix(p.EarliestPubDate),
		OwnerEmail:      p.OwnerEmail,
	}
}

// titleKey is an episode title as queries match it: folded as planSearch folds a query (see
// terms.Fold), with its stop words glued to the words after them (see terms.GlueTitle) and
// without the stop words themselves (see terms.TitleKey).
func titleKey(title string) string { return terms.TitleKey(terms.GlueTitle(terms.Fold(title))) }

// normCode lower-cases a language or country code, as filters compare them exactly.
func normCode(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// languageTags is what a language filter matches: the feed's language code and, for a regional
// one, its language alone, so that a search for English ("en") finds shows whose feeds say
// "en-US" or "en-gb", and one for "pt-br" finds only Brazilian Portuguese.
func languageTags(code string) []string {
	code = normCode(code)
	if code == "" {
		return []string{}
	}
	if primary, _, regional := strings.Cut(code, "-"); regional && primary != "" {
		return []string{code, primary}
	}
	return []string{code}
}

// nonNil returns ids, or an empty slice for nil: a required int32[] field may be empty but
// Typesense rejects null.
func nonNil(ids []int) []int {
	if ids == nil {
		return []int{}
	}
	return ids
}

// unix returns t in unix seconds, 0 for the zero time.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// fromUnix is the inverse of unix.
func fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}
