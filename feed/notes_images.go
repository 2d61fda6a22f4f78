package feed

import (
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/html"

	"hark"
)

// maxNotesImages is how many images of one episode's notes Hark keeps copies of: the first
// ones, which readers see; pages leave the others out.
const maxNotesImages = 4

// maxImageURLBytes skips image URLs too long to be an image's (data smuggled in a query).
const maxImageURLBytes = 2048

// imgTagPattern tells notes that may have images from the many that have none, cheaply.
var imgTagPattern = regexp.MustCompile(`(?i)<img\b`)

// notesImages returns the first distinct absolute http(s) image URLs of the notes, named as
// hark.NotesImageURL names them; relative ones are left out, as pages cannot place them.
func notesImages(notes string) []string {
	if !imgTagPattern.MatchString(notes) {
		return nil
	}
	var out []string
	z := html.NewTokenizer(strings.NewReader(notes))
	for len(out) < maxNotesImages {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		if string(name) != "img" {
			continue
		}
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			if string(k) != "src" {
				continue
			}
			if u := hark.NotesImageURL(string(v)); u != "" && len(u) <= maxImageURLBytes && !slices.Contains(out, u) {
				out = append(out, u)
			}
			break
		}
	}
	return out
}
