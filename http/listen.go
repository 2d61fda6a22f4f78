package http

import (
	"time"

	"hark"
	"hark/artwork"
)

// The types in this file are the Listen API v2 JSON schemas (components/schemas in
// listen-api-v2.openapi.yaml). Every property the spec lists is present, and so are the ones the
// live API sends though the spec lacks them (has_guest_interviews and has_sponsors of whole
// podcasts; see shared/contracts/README.md). What Hark does not know (iTunes IDs, Listen Scores,
// social handles) has the zero value of its JSON type, or null where the spec says "null if not
// available".

// podcastMinimum is PodcastMinimum.
type podcastMinimum struct {
	ID                    string  `json:"id"`
	Title                 string  `json:"title"`
	Publisher             string  `json:"publisher"`
	Image                 string  `json:"image"`
	Thumbnail             string  `json:"thumbnail"`
	ListennotesURL        string  `json:"listennotes_url"`
	ListenScore           *int    `json:"listen_score"`
	ListenScoreGlobalRank *string `json:"listen_score_global_rank"`
}

// podcastExtra is PodcastExtraField; Hark knows none of it.
type podcastExtra struct {
	URL1            string `json:"url1"`
	URL2            string `json:"url2"`
	URL3            string `json:"url3"`
	GoogleURL       string `json:"google_url"`
	SpotifyURL      string `json:"spotify_url"`
	YoutubeURL      string `json:"youtube_url"`
	LinkedinURL     string `json:"linkedin_url"`
	WechatHandle    string `json:"wechat_handle"`
	PatreonHandle   string `json:"patreon_handle"`
	TwitterHandle   string `json:"twitter_handle"`
	FacebookHandle  string `json:"facebook_handle"`
	AmazonMusicURL  string `json:"amazon_music_url"`
	InstagramHandle string `json:"instagram_handle"`
}

// podcastLookingFor is PodcastLookingForField; Hark knows none of it.
type podcastLookingFor struct {
	Guests         bool `json:"guests"`
	Cohosts        bool `json:"cohosts"`
	Sponsors       bool `json:"sponsors"`
	CrossPromotion bool `json:"cross_promotion"`
}

// podcastSimple is PodcastSimple, the podcast in EpisodeFull and POST /podcasts: the spec's
// PodcastMinimum properties first, then its own.
type podcastSimple struct {
	podcastMinimum
	TotalEpisodes        int               `json:"total_episodes"`
	ExplicitContent      bool              `json:"explicit_content"`
	Description          string            `json:"description"`
	ITunesID             int               `json:"itunes_id"`
	RSS                  string            `json:"rss"`
	LatestPubDateMS      int64             `json:"latest_pub_date_ms"`
	LatestEpisodeID      string            `json:"latest_episode_id"`
	EarliestPubDateMS    int64             `json:"earliest_pub_date_ms"`
	Language             string            `json:"language"`
	Country              string            `json:"country"`
	Website              string            `json:"website"`
	Extra                podcastExtra      `json:"extra"`
	IsClaimed            bool              `json:"is_claimed"`
	Email                string            `json:"email"`
	Type                 string            `json:"type"`
	LookingFor           podcastLookingFor `json:"looking_for"`
	GenreIDs             []int             `json:"genre_ids"`
	UpdateFrequencyHours int               `json:"update_frequency_hours"`
	AudioLengthSec       int               `json:"audio_length_sec"`
	HasGuestInterviews   bool              `json:"has_guest_interviews"` // not in the spec; Hark does not know
	HasSponsors          bool              `json:"has_sponsors"`         // not in the spec; Hark does not know
}

// podcastFull is PodcastFull: a podcast with one page of its episodes.
type podcastFull struct {
	podcastSimple
	Episodes           []episodeMinimum `json:"episodes"`
	NextEpisodePubDate int64            `json:"next_episode_pub_date"`
}

// episodeMinimum is EpisodeMinimum, the episodes in PodcastFull.
type episodeMinimum struct {
	ID                 string `json:"id"`
	Title              string `json:"title"`
	Description        string `json:"description"`
	Audio              string `json:"audio"`
	AudioLengthSec     int    `json:"audio_length_sec"`
	Image              string `json:"image"`
	Thumbnail          string `json:"thumbnail"`
	Link               string `json:"link"`
	PubDateMS          int64  `json:"pub_date_ms"`
	ExplicitContent    bool   `json:"explicit_content"`
	MaybeAudioInvalid  bool   `json:"maybe_audio_invalid"`
	ListennotesURL     string `json:"listennotes_url"`
	ListennotesEditURL string `json:"listennotes_edit_url"`
}

// episodeSimple is EpisodeSimple, the episodes of POST /episodes and POST /podcasts.
type episodeSimple struct {
	episodeMinimum
	Podcast podcastMinimum `json:"podcast"`
}

// episodeFull is EpisodeFull, the answer of GET /episodes/{id}.
type episodeFull struct {
	episodeMinimum
	Transcript *string       `json:"transcript"` // Hark keeps no transcripts: always null
	Podcast    podcastSimple `json:"podcast"`
}

// searchResponse is SearchResponse.
type searchResponse struct {
	Took       float64 `json:"took"`
	Count      int     `json:"count"`
	Total      int     `json:"total"`
	NextOffset int     `json:"next_offset"`
	Results    any     `json:"results"` // []episodeSearchResult or []podcastSearchResult
}

// episodeSearchResult is EpisodeSearchResult.
type episodeSearchResult struct {
	ID                     string               `json:"id"`
	TitleOriginal          string               `json:"title_original"`
	TitleHighlighted       string               `json:"title_highlighted"`
	DescriptionOriginal    string               `json:"description_original"`
	DescriptionHighlighted string               `json:"description_highlighted"`
	TranscriptsHighlighted []string             `json:"transcripts_highlighted"`
	Audio                  string               `json:"audio"`
	AudioLengthSec         int                  `json:"audio_length_sec"`
	PubDateMS              int64                `json:"pub_date_ms"`
	Image                  string               `json:"image"`
	Thumbnail              string               `json:"thumbnail"`
	Link                   string               `json:"link"`
	RSS                    string               `json:"rss"`
	ExplicitContent        bool                 `json:"explicit_content"`
	ITunesID               int                  `json:"itunes_id"`
	ListennotesURL         string               `json:"listennotes_url"`
	Podcast                episodeSearchPodcast `json:"podcast"`
}

// episodeSearchPodcast is the podcast inside EpisodeSearchResult.
type episodeSearchPodcast struct {
	ID                    string  `json:"id"`
	TitleOriginal         string  `json:"title_original"`
	TitleHighlighted      string  `json:"title_highlighted"`
	PublisherOriginal     string  `json:"publisher_original"`
	PublisherHighlighted  string  `json:"publisher_highlighted"`
	Image                 string  `json:"image"`
	Thumbnail             string  `json:"thumbnail"`
	GenreIDs              []int   `json:"genre_ids"`
	ListennotesURL        string  `json:"listennotes_url"`
	ListenScore           *int    `json:"listen_score"`
	ListenScoreGlobalRank *string `json:"listen_score_global_rank"`
}

// podcastSearchResult is PodcastSearchResult.
type podcastSearchResult struct {
	ID                     string  `json:"id"`
	TitleOriginal          string  `json:"title_original"`
	TitleHighlighted       string  `json:"title_highlighted"`
	PublisherOriginal      string  `json:"publisher_original"`
	PublisherHighlighted   string  `json:"publisher_highlighted"`
	DescriptionOriginal    string  `json:"description_original"`
	DescriptionHighlighted string  `json:"description_highlighted"`
	Image                  string  `json:"image"`
	Thumbnail              string  `json:"thumbnail"`
	RSS                    string  `json:"rss"`
	Email                  string  `json:"email"`
	Website                string  `json:"website"`
	TotalEpisodes          int     `json:"total_episodes"`
	GenreIDs               []int   `json:"genre_ids"`
	ExplicitContent        bool    `json:"explicit_content"`
	LatestEpisodeID        string  `json:"latest_episode_id"`
	LatestPubDateMS        int64   `json:"latest_pub_date_ms"`
	EarliestPubDateMS      int64   `json:"earliest_pub_date_ms"`
	UpdateFrequencyHours   int     `json:"update_frequency_hours"`
	AudioLengthSec         int     `json:"audio_length_sec"`
	ITunesID               int     `json:"itunes_id"`
	ListennotesURL         string  `json:"listennotes_url"`
	ListenScore            *int    `json:"listen_score"`
	ListenScoreGlobalRank  *string `json:"listen_score_global_rank"`
	HasGuestInterviews     bool    `json:"has_guest_interviews"` // not in the spec; Hark does not know
	HasSponsors            bool    `json:"has_sponsors"`         // not in the spec; Hark does not know
}

// podcastTypeahead is PodcastTypeaheadResult.
type podcastTypeahead struct {
	ID                   string `json:"id"`
	TitleOriginal        string `json:"title_original"`
	TitleHighlighted     string `json:"title_highlighted"`
	PublisherOriginal    string `json:"publisher_original"`
	PublisherHighlighted string `json:"publisher_highlighted"`
	Image                string `json:"image"`
	Thumbnail            string `json:"thumbnail"`
	ExplicitContent      bool   `json:"explicit_content"`
}

// ms is t in Unix milliseconds, the Listen API's time format; 0 for the zero time.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// nonNilInts returns ids, or an empty slice so that JSON has [] rather than null.
func nonNilInts(ids []int) []int {
	if ids == nil {
		return []int{}
	}
	return ids
}

func (s *Server) podcastURL(id, title string) string { return s.cfg.BaseURL + podcastPath(id, title) }
func (s *Server) episodeURL(id, title string) string { return s.cfg.BaseURL + episodePath(id, title) }

func (s *Server) podcastMinimum(p *hark.Podcast) podcastMinimum {
	score, rank := s.listenScore(p)
	return podcastMinimum{
		ID:                    p.ID,
		Title:                 p.Title,
		Publisher:             p.Publisher,
		Image:                 p.ImageURL,
		Thumbnail:             s.artworkURL(p.ImageURL, p.Title, artwork.Small),
		ListennotesURL:        s.podcastURL(p.ID, p.Title),
		ListenScore:           score,
		ListenScoreGlobalRank: rank,
	}
}

// podcastSimple converts p; latestEpisodeID is "" when the caller did not look it up.
func (s *Server) podcastSimple(p *hark.Podcast, latestEpisodeID string) podcastSimple {
	return podcastSimple{
		podcastMinimum:       s.podcastMinimum(p),
		TotalEpisodes:        p.EpisodeCount,
		ExplicitContent:      p.Explicit,
		Description:          sanitizeHTML(p.Description),
		RSS:                  p.FeedURL,
		LatestPubDateMS:      ms(p.LatestPubDate),
		LatestEpisodeID:      latestEpisodeID,
		EarliestPubDateMS:    ms(p.EarliestPubDate),
		Language:             languageName(p.Language),
		Country:              regionName(p.Country),
		Website:              p.WebsiteURL,
		Email:                p.OwnerEmail,
		Type:                 podcastType(p.Type),
		GenreIDs:             nonNilInts(p.GenreIDs),
		UpdateFrequencyHours: p.UpdateFreqHours,
	}
}

// podcastType keeps the spec's enum: episodic or serial.
func podcastType(t string) string {
	if t == "serial" {
		return t
	}
	return "episodic"
}

// episodeMinimum converts e; p gives the artwork when the episode has none.
func (s *Server) episodeMinimum(e *hark.Episode, p *hark.Podcast) episodeMinimum {
	image, title := episodeArt(e, p)
	return episodeMinimum{
		ID:              e.ID,
		Title:           e.Title,
		Description:     sanitizeHTML(e.Description),
		Audio:           e.AudioURL,
		AudioLengthSec:  e.AudioLengthSec,
		Image:           image,
		Thumbnail:       s.artworkURL(image, title, artwork.Small),
		Link:            e.Link,
		PubDateMS:       ms(e.PublishedAt),
		ExplicitContent: e.Explicit,
		ListennotesURL:  s.episodeURL(e.ID, e.Title),
	}
}

// episodeImage is the path of Hark's 600 px copy of an episode's artwork (its own, else its
// show's), or of its placeholder: what pages show.
func episodeImage(e *hark.Episode, p *hark.Podcast) string {
	image, title := episodeArt(e, p)
	return artworkPath(image, title, artwork.Large)
}

// episodeArt is the image URL of an episode's artwork, its own or else its show's, with the
// title its placeholder is drawn from.
func episodeArt(e *hark.Episode, p *hark.Podcast) (imageURL, title string) {
	if e.ImageURL != "" || p == nil {
		return e.ImageURL, e.Title
	}
	return p.ImageURL, p.Title
}
