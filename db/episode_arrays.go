package db

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"hark"
)

// episodeArrays holds episodes column by column, the shape unnest() takes.
type episodeArrays struct {
	ids, guids, titles, descriptions, audioURLs, audioTypes      []string
	images, links, types, transcriptURLs, transcriptTypes, chaps []string
	persons, notesImages                                         []string
	feedChapters                                                 []*string
	sizes                                                        []int64
	lengths, seasons, numbers                                    []int32
	published                                                    []*time.Time
	explicit                                                     []bool
	seen                                                         map[string]bool
}

func newEpisodeArrays(n int) *episodeArrays {
	return &episodeArrays{seen: make(map[string]bool, n)}
}

// add appends e unless an episode with the same GUID was added already: one statement may not
// touch a row twice, and the feed parser's first occurrence wins.
func (a *episodeArrays) add(e *hark.Episode) {
	guid := clean(e.GUID)
	if guid == "" || a.seen[guid] {
		return
	}
	a.seen[guid] = true
	id := e.ID
	if !hark.ValidID(id) {
		id = hark.NewID()
	}
	a.ids = append(a.ids, id)
	a.guids = append(a.guids, guid)
	a.titles = append(a.titles, clean(e.Title))
	a.descriptions = append(a.descriptions, clean(e.Description))
	a.audioURLs = append(a.audioURLs, clean(e.AudioURL))
	a.audioTypes = append(a.audioTypes, clean(e.AudioType))
	a.sizes = append(a.sizes, max(e.AudioSize, 0))
	a.lengths = append(a.lengths, int32(max(min(e.AudioLengthSec, 1<<30), 0)))
	a.published = append(a.published, nullTime(e.PublishedAt))
	a.explicit = append(a.explicit, e.Explicit)
	a.images = append(a.images, clean(e.ImageURL))
	a.links = append(a.links, clean(e.Link))
	a.seasons = append(a.seasons, int32(max(min(e.Season, 1<<30), 0)))
	a.numbers = append(a.numbers, int32(max(min(e.Number, 1<<30), 0)))
	a.types = append(a.types, clean(e.EpisodeType))
	a.transcriptURLs = append(a.transcriptURLs, clean(e.TranscriptURL))
	a.transcriptTypes = append(a.transcriptTypes, clean(e.TranscriptType))
	a.chaps = append(a.chaps, clean(e.ChaptersURL))
	a.notesImages = append(a.notesImages, joinUnits(e.NotesImages))
	a.feedChapters = append(a.feedChapters, feedChaptersJSON(e.FeedChapters))
	names := make([]string, 0, len(e.Persons))
	for _, p := range e.Persons {
		if p = strings.ReplaceAll(clean(p), "\x1f", " "); p != "" {
			names = append(names, p)
		}
	}
	a.persons = append(a.persons, strings.Join(names, "\x1f"))
}

func (a *episodeArrays) args(podcastID string) pgx.NamedArgs {
	return pgx.NamedArgs{
		"podcast_id": podcastID, "ids": a.ids, "guids": a.guids, "titles": a.titles,
		"descriptions": a.descriptions, "audio_urls": a.audioURLs, "audio_types": a.audioTypes,
		"audio_sizes": a.sizes, "lengths": a.lengths, "published": a.published,
		"explicit": a.explicit, "images": a.images, "links": a.links, "seasons": a.seasons,
		"numbers": a.numbers, "types": a.types, "transcript_urls": a.transcriptURLs,
		"transcript_types": a.transcriptTypes, "chapters": a.chaps, "persons": a.persons,
		"notes_images": a.notesImages, "feed_chapters": a.feedChapters,
	}
}

// joinUnits joins URLs with the unit separator, which string_to_array splits again: unnest
// cannot take an array per row. A URL as net/url writes it has no control character.
func joinUnits(urls []string) string {
	kept := make([]string, 0, len(urls))
	for _, u := range urls {
		if u = clean(u); u != "" && !strings.Contains(u, "\x1f") {
			kept = append(kept, u)
		}
	}
	return strings.Join(kept, "\x1f")
}

// feedChaptersJSON encodes chapters for the feed_chapters column: nil (NULL) for none.
func feedChaptersJSON(chapters []hark.Chapter) *string {
	if len(chapters) == 0 {
		return nil
	}
	b, err := json.Marshal(chapters)
	if err != nil { // a Chapter always encodes; never store half of it
		return nil
	}
	s := clean(string(b))
	return &s
}
