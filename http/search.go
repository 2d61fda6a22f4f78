package http

import (
	"fmt"
	"html"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"hark"
	"hark/artwork"
)

// Limits of GET /search, as in the Listen API (ENTERPRISE plan for the offset).
const (
	maxQueryLength  = 200
	maxOffset       = 10000
	pageSizeDefault = 10
	maxPageSize     = 10
	maxPodcastIDs   = 5 // ocid and ncid
)

// searchTypeCurated is type=curated: Hark's generated curated lists (see curated.go).
const searchTypeCurated = "curated"

// onlyInFields are the values only_in takes.
var onlyInFields = []string{"title", "description", "author", "audio"}

// parseSearchQuery checks the params of GET /search and builds the query. Returns ErrInvalid,
// naming the param, for the first bad one.
func parseSearchQuery(v url.Values) (hark.SearchQuery, error) {
	p := &params{v: v}
	q := hark.SearchQuery{Q: p.query("the words to search for")}
	switch t := p.str("type"); t {
	case "", hark.SearchTypeEpisode:
		q.Type = hark.SearchTypeEpisode
	case hark.SearchTypePodcast:
		q.Type = hark.SearchTypePodcast
	case searchTypeCurated:
		q.Type = searchTypeCurated
	default:
		p.fail("type", "must be episode, podcast or curated, not %q", t)
	}
	q.Offset = p.int("offset", 0, 0, maxOffset)
	q.PageSize = p.int("page_size", pageSizeDefault, 1, maxPageSize)
	q.SortByDate = p.flag("sort_by_date")
	q.LenMinMinutes, q.LenMaxMinutes = p.count("len_min"), p.count("len_max")
	p.ordered("len_min", q.LenMinMinutes, "len_max", q.LenMaxMinutes)
	q.GenreIDs = genreIDs(p, "genre_ids")
	q.PublishedBefore, q.PublishedAfter = p.millis("published_before"), p.millis("published_after")
	if !q.PublishedBefore.IsZero() && !q.PublishedAfter.IsZero() && !q.PublishedAfter.Before(q.PublishedBefore) {
		p.fail("published_before", "must be later than published_after")
	}
	q.OnlyIn = onlyIn(p, "only_in")
	q.Language = searchLanguage(p, "language")
	q.Region = searchRegion(p, "region")
	q.OnlyPodcastIDs = p.ids("ocid", "podcast", maxPodcastIDs)
	q.NeverPodcastIDs = p.ids("ncid", "podcast", maxPodcastIDs)
	q.SafeMode = p.flag("safe_mode")
	// Hark does not know which shows have guest interviews or sponsors (feeds do not say), so
	// these filters are accepted, checked and not applied; the API docs say so.
	p.flag("interviews_only")
	p.flag("sponsored_only")
	q.UniquePodcasts = p.flag("unique_podcasts")
	q.EpisodeCountMin, q.EpisodeCountMax = p.count("episode_count_min"), p.count("episode_count_max")
	p.ordered("episode_count_min", q.EpisodeCountMin, "episode_count_max", q.EpisodeCountMax)
	q.UpdateFreqMin, q.UpdateFreqMax = p.count("update_freq_min"), p.count("update_freq_max")
	p.ordered("update_freq_min", q.UpdateFreqMin, "update_freq_max", q.UpdateFreqMax)
	return q, p.err
}

// genreIDs reads a comma-separated list of genre IDs, Hark's (Apple Podcasts') or the Listen
// API's own, as Hark genre IDs. A Listen API genre that stands for every genre (its root,
// "Podcasts", and those Apple has no genre for) leaves no filter.
func genreIDs(p *params, name string) []int {
	var ids []int
	for _, s := range p.list(name) {
		id, err := strconv.Atoi(s)
		if err != nil {
			p.fail(name, "%q is not a genre id; ids are numbers such as 1318", s)
			return nil
		}
		g, ok := hark.GenreForID(id)
		if !ok {
			p.fail(name, "%d is not a genre Hark knows; Hark uses Apple Podcasts genre ids, listed by GET /api/v2/genres, and the Listen API's", id)
			return nil
		}
		if g.ID == 0 { // every genre
			return nil
		}
		if !slices.Contains(ids, g.ID) {
			ids = append(ids, g.ID)
		}
	}
	return ids
}

func onlyIn(p *params, name string) []string {
	var fields []string
	for _, f := range p.list(name) {
		f = strings.ToLower(f)
		if !slices.Contains(onlyInFields, f) {
			p.fail(name, "%q is not one of %s", f, strings.Join(onlyInFields, ", "))
			return nil
		}
		if !slices.Contains(fields, f) {
			fields = append(fields, f)
		}
	}
	return fields
}

func searchLanguage(p *params, name string) string {
	s := p.str(name)
	if s == "" {
		return ""
	}
	code, ok := languageCode(s)
	if !ok {
		p.fail(name, "%q is not a language Hark knows; use a name from GET /api/v2/languages, like English, or a code like en", s)
	}
	return code
}

func searchRegion(p *params, name string) string {
	s := strings.ToLower(p.str(name))
	if s == "" {
		return ""
	}
	if _, ok := regions[s]; !ok {
		p.fail(name, "%q is not a region Hark knows; use a code from GET /api/v2/regions, like us", s)
	}
	return s
}

// handleSearch handles "GET /api/v2/search".
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) error {
	q, err := parseSearchQuery(r.URL.Query())
	if err != nil {
		return err
	}
	var resp searchResponse
	if q.Type == searchTypeCurated {
		if resp, err = s.searchCurated(r.Context(), q); err != nil {
			return err
		}
	} else {
		res, err := s.search.Search(r.Context(), q)
		if err != nil {
			return fmt.Errorf("search %q: %w", q.Q, err)
		}
		resp = s.searchResponse(q, res)
	}
	if q.Offset == 0 { // a search is counted once, not once per page
		s.searches.RecordSearch(r.Context(), q.Q)
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) searchResponse(q hark.SearchQuery, res *hark.SearchResult) searchResponse {
	resp := searchResponse{
		Took:  math.Round(res.Took.Seconds()*1000) / 1000,
		Total: res.Total,
	}
	if q.Type == hark.SearchTypePodcast {
		results := make([]podcastSearchResult, 0, len(res.Hits))
		for _, h := range res.Hits {
			if h.Podcast != nil {
				results = append(results, s.podcastSearchResult(h))
			}
		}
		resp.Results, resp.Count = results, len(results)
	} else {
		results := make([]episodeSearchResult, 0, len(res.Hits))
		for _, h := range res.Hits {
			if h.Episode != nil {
				results = append(results, s.episodeSearchResult(h))
			}
		}
		resp.Results, resp.Count = results, len(results)
	}
	resp.NextOffset = q.Offset + len(res.Hits)
	return resp
}

// descriptionSnippetLength is how much plain description a result carries when the index sent
// no highlight.
const descriptionSnippetLength = 300

func (s *Server) episodeSearchResult(h hark.SearchHit) episodeSearchResult {
	e := h.Episode
	p := h.Podcast
	if p == nil {
		p = &hark.Podcast{ID: e.PodcastID}
	}
	description := plainText(e.Description)
	image, imageTitle := episodeArt(e, p)
	score, rank := s.rankQuality(p.QualityScore)
	return episodeSearchResult{
		ID:                     e.ID,
		TitleOriginal:          e.Title,
		TitleHighlighted:       orEscaped(h.TitleHighlighted, e.Title),
		DescriptionOriginal:    description,
		DescriptionHighlighted: snippetOrStart(h.DescriptionHighlighted, description),
		TranscriptsHighlighted: []string{},
		Audio:                  e.AudioURL,
		AudioLengthSec:         e.AudioLengthSec,
		PubDateMS:              ms(e.PublishedAt),
		Image:                  image,
		Thumbnail:              s.artworkURL(image, imageTitle, artwork.Small),
		Link:                   e.Link,
		RSS:                    p.FeedURL,
		ExplicitContent:        e.Explicit,
		ListennotesURL:         s.episodeURL(e.ID, e.Title),
		Podcast: episodeSearchPodcast{
			ID:                    p.ID,
			TitleOriginal:         p.Title,
			TitleHighlighted:      html.EscapeString(p.Title),
			PublisherOriginal:     p.Publisher,
			PublisherHighlighted:  orEscaped(h.PublisherHighlighted, p.Publisher),
			Image:                 p.ImageURL,
			Thumbnail:             s.artworkURL(p.ImageURL, p.Title, artwork.Small),
			GenreIDs:              nonNilInts(p.GenreIDs),
			ListennotesURL:        s.podcastURL(p.ID, p.Title),
			ListenScore:           score,
			ListenScoreGlobalRank: rank,
		},
	}
}

func (s *Server) podcastSearchResult(h hark.SearchHit) podcastSearchResult {
	p := h.Podcast
	description := plainText(p.Description)
	score, rank := s.listenScore(p)
	return podcastSearchResult{
		ID:                     p.ID,
		TitleOriginal:          p.Title,
		TitleHighlighted:       orEscaped(h.TitleHighlighted, p.Title),
		PublisherOriginal:      p.Publisher,
		PublisherHighlighted:   orEscaped(h.PublisherHighlighted, p.Publisher),
		DescriptionOriginal:    description,
		DescriptionHighlighted: snippetOrStart(h.DescriptionHighlighted, description),
		Image:                  p.ImageURL,
		Thumbnail:              s.artworkURL(p.ImageURL, p.Title, artwork.Small),
		RSS:                    p.FeedURL,
		Email:                  p.OwnerEmail,
		Website:                p.WebsiteURL,
		TotalEpisodes:          p.EpisodeCount,
		GenreIDs:               nonNilInts(p.GenreIDs),
		ExplicitContent:        p.Explicit,
		LatestPubDateMS:        ms(p.LatestPubDate),
		EarliestPubDateMS:      ms(p.EarliestPubDate),
		UpdateFrequencyHours:   p.UpdateFreqHours,
		ListennotesURL:         s.podcastURL(p.ID, p.Title),
		ListenScore:            score,
		ListenScoreGlobalRank:  rank,
	}
}

// snippetOrStart returns the index's description snippet, as orEscaped does, or the start of the
// description when the index had nothing to highlight in it.
func snippetOrStart(highlight, description string) string {
	if highlight == "" {
		description = truncate(description, descriptionSnippetLength)
	}
	return orEscaped(highlight, description)
}

// orEscaped returns the index's highlight, keeping only its marks, or the plain text escaped
// the same way when the index had nothing to highlight in that field.
func orEscaped(highlight, plain string) string {
	if highlight != "" {
		return safeHighlight(highlight)
	}
	return html.EscapeString(plain)
}
