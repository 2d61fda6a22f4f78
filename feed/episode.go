package feed

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"hark"
)

// earliestPubDate is the earliest publication date taken as real; earlier ones ("0001-01-01")
// are placeholders. Archives of old recordings do carry dates from the 1970s and 1980s.
var earliestPubDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// buildEpisodes maps the items, keeping the first of several with the same GUID. Items with
// podcast:person inherit none; the others inherit the channel's persons, as the Podcasting 2.0
// spec says.
func buildEpisodes(items []*gofeed.Item, ns namespaces, base string, channelPersons []string, w *warnings) []hark.Episode {
	eps := make([]hark.Episode, 0, len(items))
	seen := make(map[string]bool, len(items))
	dups, badDates := 0, 0
	for _, it := range items {
		if it == nil {
			continue
		}
		e, dateDropped := buildEpisode(it, newExtView(it.Extensions, ns), base)
		if dateDropped {
			badDates++
		}
		if seen[e.GUID] {
			dups++
			continue
		}
		seen[e.GUID] = true
		if e.Persons == nil && channelPersons != nil {
			e.Persons = append([]string(nil), channelPersons...)
		}
		eps = append(eps, e)
	}
	if dups > 0 {
		w.addf("dropped %d episodes whose guid repeats an earlier one", dups)
	}
	if badDates > 0 {
		w.addf("%d episodes have no usable publication date", badDates)
	}
	return eps
}

// buildEpisode maps one item; dateDropped reports a date that was present but unusable.
func buildEpisode(it *gofeed.Item, x extView, base string) (e hark.Episode, dateDropped bool) {
	enc := pickEnclosure(it, x, base)
	e = hark.Episode{
		Title:       cleanLine(firstNonEmpty(it.Title, text(x.itunes, "title"))),
		Description: cleanHTML(richest(it.Content, it.Description, text(x.itunes, "summary"))),
		AudioURL:    enc.url,
		AudioType:   enc.typ,
		AudioSize:   enc.size,
		Explicit:    yes(text(x.itunes, "explicit")),
		ImageURL:    resolveURL(base, firstNonEmpty(x.iTunesImage(), mediaImage(x), enc.image)),
		Link:        resolveURL(base, it.Link),
		Season:      nonNegativeInt(firstNonEmpty(text(x.itunes, "season"), text(x.podcast, "season"))),
		Number:      nonNegativeInt(firstNonEmpty(text(x.itunes, "episode"), text(x.podcast, "episode"))),
		EpisodeType: episodeType(text(x.itunes, "episodeType")),
		ChaptersURL: resolveURL(base, attr(x.podcast, "chapters", "url")),
		Persons:     personNames(x),
	}
	e.FeedChapters = feedChapters(x, base)
	e.NotesImages = notesImages(e.Description)
	e.AudioLengthSec, _ = ParseDuration(firstNonEmpty(text(x.itunes, "duration"), enc.duration))
	e.TranscriptURL, e.TranscriptType = pickTranscript(x, base)
	e.PublishedAt, dateDropped = publishedAt(it)
	e.GUID = episodeGUID(it, e)
	return e, dateDropped
}

// publishedAt returns gofeed's parsed date, else ParseDate's reading of the raw text (localised
// names, odd layouts); placeholder dates count as absent.
func publishedAt(it *gofeed.Item) (time.Time, bool) {
	raw := firstNonEmpty(it.Published, it.Updated)
	var t time.Time
	switch {
	case it.PublishedParsed != nil:
		t = *it.PublishedParsed
	case it.UpdatedParsed != nil:
		t = *it.UpdatedParsed
	default:
		t, _ = ParseDate(raw)
	}
	if t.Before(earliestPubDate) || t.Equal(time.Unix(0, 0)) { // the epoch is a placeholder too
		return time.Time{}, raw != ""
	}
	return t.UTC(), false
}

// episodeGUID returns the guid; else the enclosure URL, the link, "title|date", or, for an
// item with none of those, a hash of its description.
func episodeGUID(it *gofeed.Item, e hark.Episode) string {
	if g := strings.TrimSpace(it.GUID); g != "" {
		return g
	}
	if e.AudioURL != "" {
		return e.AudioURL
	}
	if e.Link != "" {
		return e.Link
	}
	date := strings.TrimSpace(it.Published)
	if !e.PublishedAt.IsZero() {
		date = e.PublishedAt.Format(time.RFC3339)
	}
	if e.Title != "" || date != "" {
		return e.Title + "|" + date
	}
	sum := sha256.Sum256([]byte(e.Description))
	return "sha256:" + hex.EncodeToString(sum[:16])
}

// episodeType returns full, trailer or bonus; full when unset or unknown.
func episodeType(s string) string {
	switch t := strings.ToLower(strings.TrimSpace(s)); t {
	case "trailer", "bonus":
		return t
	}
	return "full"
}

// transcriptRank orders transcript types: timed text first, then plain text, then the rest.
var transcriptRank = map[string]int{
	"text/vtt": 1, "application/x-subrip": 2, "application/srt": 2, "text/srt": 2,
	"text/plain": 3, "text/html": 4, "application/json": 5,
}

// pickTranscript returns the podcast:transcript whose type ranks best.
func pickTranscript(x extView, base string) (url, typ string) {
	best := 1 << 30
	for _, t := range x.podcast["transcript"] {
		u := resolveURL(base, t.Attrs["url"])
		if u == "" {
			continue
		}
		ty := strings.ToLower(strings.TrimSpace(t.Attrs["type"]))
		rank, ok := transcriptRank[ty]
		if !ok {
			rank = 100
		}
		if rank < best {
			best, url, typ = rank, u, ty
		}
	}
	return url, typ
}
