package http

import (
	"fmt"
	"net/url"
	"strings"

	"hark"
	"hark/artwork"
)

// pageMeta is what templates/meta.html puts in a page's head: the canonical link, OpenGraph and
// Twitter card tags, oEmbed discovery and JSON-LD. Every URL in it is absolute.
type pageMeta struct {
	Canonical   string
	Title       string
	Description string
	Type        string // og:type
	Image       string // Hark's 600 px copy, or the placeholder
	ImageSize   int    // 0 for the placeholder, whose SVG card scrapers do not read
	// Player is the embeddable player a Twitter/X player card plays inline; "" makes a summary
	// card.
	Player                    string
	PlayerWidth, PlayerHeight int
	OEmbed                    string // the oEmbed URL of the page
	JSONLD                    any    // escaped by html/template as a JSON value
}

// The embeddable players' sizes, as the cards and oEmbed announce them: the height each player
// needs, and the width a card gives it.
const (
	embedWidth          = 500
	embedEpisodeHeight  = 180
	embedPodcastHeight  = 320
	metaDescriptionSize = 200
)

// podcastMeta describes a podcast's page.
func (s *Server) podcastMeta(p *hark.Podcast) *pageMeta {
	canonical := s.podcastURL(p.ID, p.Title)
	m := s.cardMeta(canonical, or(p.Title, "Untitled podcast"), p.Description, p.ImageURL, p.Title)
	m.Type = "website"
	m.Player, m.PlayerWidth, m.PlayerHeight = s.cfg.BaseURL+"/embed/podcasts/"+p.ID, embedWidth, embedPodcastHeight
	m.JSONLD = podcastSeriesLD{
		Context: schemaOrg, Type: "PodcastSeries", URL: canonical, Name: m.Title,
		Description: m.Description, Image: m.Image, WebFeed: p.FeedURL, InLanguage: p.Language,
		Author: publisherLD(p.Publisher),
	}
	return m
}

// episodeMeta describes an episode's page; p is its show.
func (s *Server) episodeMeta(e *hark.Episode, p *hark.Podcast) *pageMeta {
	canonical := s.episodeURL(e.ID, e.Title)
	image, imageTitle := episodeArt(e, p)
	m := s.cardMeta(canonical, or(e.Title, "Untitled episode"), e.Description, image, imageTitle)
	m.Type = "music.song"
	if e.AudioURL != "" {
		m.Player, m.PlayerWidth, m.PlayerHeight = s.cfg.BaseURL+"/embed/episodes/"+e.ID, embedWidth, embedEpisodeHeight
	}
	ld := podcastEpisodeLD{
		Context: schemaOrg, Type: "PodcastEpisode", URL: canonical, Name: m.Title,
		Description: m.Description, Image: m.Image,
		PartOfSeries: &podcastSeriesLD{Type: "PodcastSeries", Name: p.Title, URL: s.podcastURL(p.ID, p.Title)},
	}
	if !e.PublishedAt.IsZero() {
		ld.DatePublished = e.PublishedAt.UTC().Format("2006-01-02")
	}
	if e.AudioLengthSec > 0 {
		ld.TimeRequired = fmt.Sprintf("PT%dM", (e.AudioLengthSec+59)/60)
	}
	if e.AudioURL != "" {
		ld.AssociatedMedia = &mediaObjectLD{Type: "MediaObject", ContentURL: e.AudioURL, EncodingFormat: e.AudioType}
	}
	m.JSONLD = ld
	return m
}

// cardMeta fills what podcast and episode pages share.
func (s *Server) cardMeta(canonical, title, description, imageURL, imageTitle string) *pageMeta {
	m := &pageMeta{
		Canonical:   canonical,
		Title:       title,
		Description: truncate(strings.TrimSpace(plainText(description)), metaDescriptionSize),
		Image:       s.artworkURL(imageURL, imageTitle, artwork.Large),
		OEmbed:      s.cfg.BaseURL + "/oembed?" + url.Values{"url": {canonical}, "format": {"json"}}.Encode(),
	}
	if imageURL != "" {
		m.ImageSize = artwork.Large
	}
	return m
}

func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

const schemaOrg = "https://schema.org"

// podcastSeriesLD is schema.org's PodcastSeries.
type podcastSeriesLD struct {
	Context     string    `json:"@context,omitempty"`
	Type        string    `json:"@type"`
	URL         string    `json:"url"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Image       string    `json:"image,omitempty"`
	WebFeed     string    `json:"webFeed,omitempty"`
	InLanguage  string    `json:"inLanguage,omitempty"`
	Author      *personLD `json:"author,omitempty"`
}

// podcastEpisodeLD is schema.org's PodcastEpisode.
type podcastEpisodeLD struct {
	Context         string           `json:"@context"`
	Type            string           `json:"@type"`
	URL             string           `json:"url"`
	Name            string           `json:"name"`
	Description     string           `json:"description,omitempty"`
	Image           string           `json:"image,omitempty"`
	DatePublished   string           `json:"datePublished,omitempty"`
	TimeRequired    string           `json:"timeRequired,omitempty"`
	AssociatedMedia *mediaObjectLD   `json:"associatedMedia,omitempty"`
	PartOfSeries    *podcastSeriesLD `json:"partOfSeries"`
}

type mediaObjectLD struct {
	Type           string `json:"@type"`
	ContentURL     string `json:"contentUrl"`
	EncodingFormat string `json:"encodingFormat,omitempty"`
}

type personLD struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

// publisherLD names the publisher; nil for none. A feed's author may be a person or a company:
// schema.org's Person is the safer guess for podcast hosts.
func publisherLD(name string) *personLD {
	if name == "" {
		return nil
	}
	return &personLD{Type: "Person", Name: name}
}
