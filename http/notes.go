package http

import (
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"hark"
)

// timestampPattern finds times in show notes: "12:34", "1:02:03", not inside a longer number.
var timestampPattern = regexp.MustCompile(`\b(?:(\d{1,2}):)?([0-5]?\d):([0-5]\d)\b`)

// tagPattern splits sanitized HTML into tags and text.
var tagPattern = regexp.MustCompile(`<[^>]*>`)

// notesWithTimes is the template function "notesat": show notes, sanitized, whose timestamps
// link to the same page at that time (?t=seconds, which starts the page's audio there without
// JavaScript; player.js seeks the playing audio instead). Times inside links stay as they are.
func notesWithTimes(s string) template.HTML {
	safe := string(showNotes(s))
	var b strings.Builder
	inLink := 0
	last := 0
	for _, loc := range tagPattern.FindAllStringIndex(safe, -1) {
		text := safe[last:loc[0]]
		if inLink > 0 {
			b.WriteString(text)
		} else {
			b.WriteString(linkTimes(text))
		}
		tag := strings.ToLower(safe[loc[0]:loc[1]])
		switch {
		case strings.HasPrefix(tag, "<a ") || tag == "<a>":
			inLink++
		case tag == "</a>" && inLink > 0:
			inLink--
		}
		b.WriteString(safe[loc[0]:loc[1]])
		last = loc[1]
	}
	if inLink > 0 {
		b.WriteString(safe[last:])
	} else {
		b.WriteString(linkTimes(safe[last:]))
	}
	return template.HTML(b.String()) // #nosec: sanitized by showNotes; only digit links added
}

// linkTimes wraps each timestamp of escaped text in a link to it.
func linkTimes(text string) string {
	return timestampPattern.ReplaceAllStringFunc(text, func(m string) string {
		sec := timestampSeconds(m)
		t := strconv.Itoa(sec)
		return `<a class="ts" href="?t=` + t + `" data-t="` + t + `">` + m + `</a>`
	})
}

// timestampSeconds reads "h:mm:ss" or "m:ss" as seconds.
func timestampSeconds(m string) int {
	sec := 0
	for _, part := range strings.Split(m, ":") {
		n, _ := strconv.Atoi(part)
		sec = sec*60 + n
	}
	return sec
}

// transcriptLine is one line of a transcript with the time it starts at: a cue's own time, or
// one estimated from its position in the text.
type transcriptLine struct {
	Start int
	At    string // the start as a clock, for cues' real times; "" for estimates
	Text  string
}

// transcriptLines splits a stored transcript into lines. Hark keeps a transcript's text without
// its cue times, so each line's start is estimated from the text before it, spread over the
// episode's length: enough to keep the line being spoken in view while playing.
func transcriptLines(text string, lengthSec int) []transcriptLine {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if text == "" {
		return nil
	}
	out := make([]transcriptLine, 0, len(lines))
	before := 0
	for _, l := range lines {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		start := 0
		if lengthSec > 0 {
			start = int(int64(before) * int64(lengthSec) / int64(len(text)))
		}
		out = append(out, transcriptLine{Start: start, Text: l})
		before += len(l) + 1
	}
	return out
}

// episodeRow is what templates/parts.html needs of an episode to list it and play it.
type episodeRow struct {
	ID, Title, Audio, Image string
	Podcast                 string // the show's title, for the player
	Show                    string // the show's title when the list mixes shows
	Published               time.Time
	Length                  int
	Explicit                bool
}

// rowOf is the template function "ep": the row of e of the show titled podcast, with image
// for the player (the episode's own artwork first). mixed lists name the show in the row.
func rowOf(e hark.Episode, podcast, image string, mixed bool) episodeRow {
	if e.ImageURL != "" {
		image = e.ImageURL
	}
	r := episodeRow{ID: e.ID, Title: e.Title, Audio: e.AudioURL, Image: image, Podcast: podcast,
		Published: e.PublishedAt, Length: e.AudioLengthSec, Explicit: e.Explicit}
	if mixed {
		r.Show = podcast
	}
	return r
}

// initial is the template function "initial": the first letter of a title, for artwork that is
// missing.
func initial(title string) string {
	for _, r := range title {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return string(unicode.ToUpper(r))
		}
	}
	return "?"
}
