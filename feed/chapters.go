package feed

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"hark"
)

// ChaptersMaxBytes is the largest chapters file fetched, after decompression.
const ChaptersMaxBytes = 1 << 20

// maxChapters bounds what one episode stores and shows.
const maxChapters = 500

// errNoChapters reports a body that is JSON but not a chapters file.
var errNoChapters = errors.New(`no "chapters" array`)

// jsonChapters is the Podcasting 2.0 JSON chapters format.
type jsonChapters struct {
	Version  string `json:"version"`
	Chapters []struct {
		StartTime *float64 `json:"startTime"`
		Title     string   `json:"title"`
		Img       string   `json:"img"`
		URL       string   `json:"url"`
		Toc       *bool    `json:"toc"`
	} `json:"chapters"`
}

// ParseChapters reads a Podcasting 2.0 JSON chapters file fetched from fileURL, against which
// relative links resolve. Chapters without a start time, and those marked "toc": false (meant
// for the player's artwork, not for a table of contents), are left out; the rest come sorted by
// start, at most maxChapters, titles cleaned and links kept only when they are http(s).
func ParseChapters(body []byte, fileURL string) ([]hark.Chapter, error) {
	var doc jsonChapters
	if err := json.Unmarshal(toUTF8(body, &warnings{}), &doc); err != nil {
		return nil, fmt.Errorf("chapters: %w", err)
	}
	if doc.Chapters == nil {
		return nil, fmt.Errorf("chapters: %w", errNoChapters)
	}
	out := make([]hark.Chapter, 0, len(doc.Chapters))
	for _, c := range doc.Chapters {
		if c.StartTime == nil || *c.StartTime < 0 || math.IsInf(*c.StartTime, 0) || (c.Toc != nil && !*c.Toc) {
			continue
		}
		out = append(out, hark.Chapter{Start: *c.StartTime, Title: normalizeLine(c.Title),
			URL: resolveURL(fileURL, c.URL), Image: resolveURL(fileURL, c.Img)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	if len(out) > maxChapters {
		out = out[:maxChapters]
	}
	return out, nil
}

// pscNS is the Podlove Simple Chapters namespace; gofeed files its elements under "psc".
const pscNS = "http://podlove.org/simple-chapters"

// feedChapters reads the Podlove Simple Chapters of an item (<psc:chapters><psc:chapter
// start="1:02:03.4" title="…" href="…" image="…"/>), with ParseChapters' limits: chapters
// whose start is not a normal play time are left out, the rest come sorted by start, at most
// maxChapters, titles cleaned and links kept only when they are http(s). Nil when there are none.
func feedChapters(x extView, base string) []hark.Chapter {
	var out []hark.Chapter
	for _, key := range []string{"psc", pscNS} {
		for _, list := range x.all[key]["chapters"] {
			for _, c := range list.Children["chapter"] {
				start, ok := parseNPT(c.Attrs["start"])
				if !ok {
					continue
				}
				out = append(out, hark.Chapter{Start: start, Title: normalizeLine(c.Attrs["title"]),
					URL: resolveURL(base, c.Attrs["href"]), Image: resolveURL(base, c.Attrs["image"])})
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	if len(out) > maxChapters {
		out = out[:maxChapters]
	}
	return out
}

// parseNPT reads a Normal Play Time as Podlove Simple Chapters write it: "HH:MM:SS(.mmm)",
// "MM:SS(.mmm)" or seconds ("50", "59.12"), in seconds.
func parseNPT(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if strings.Count(s, ":") > 2 {
		return 0, false
	}
	if strings.Contains(s, ":") {
		return parseClock(s)
	}
	return parseNumber(s)
}
