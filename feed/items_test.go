package feed

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func rssWith(build string, items ...string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Show</title><lastBuildDate>` + build + `</lastBuildDate>` + "\n")
	for _, it := range items {
		fmt.Fprintf(&b, "  <item><title>%s</title><guid>%s</guid><description><![CDATA[<p>%s</p>]]></description></item>\n", it, it, it)
	}
	b.WriteString("</channel></rss>")
	return []byte(b.String())
}

func TestFingerprintFindsOnlyAddedItems(t *testing.T) {
	t.Parallel()
	last, ok := FingerprintOf(rssWith("Mon", "b", "a"))
	if !ok || len(last.Items) != 2 {
		t.Fatalf("FingerprintOf = %+v, %v", last, ok)
	}
	tests := []struct {
		name   string
		body   []byte
		added  []int
		partly bool
	}{
		{"one new episode on top, new build date", rssWith("Tue", "c", "b", "a"), []int{0}, true},
		{"nothing new", rssWith("Mon", "b", "a"), nil, true},
		{"an episode removed", rssWith("Tue", "c", "a"), nil, false},
		{"an old episode edited", rssWith("Tue", "c", "b", "a edited"), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fp, ok := FingerprintOf(tt.body)
			if !ok {
				t.Fatal("no fingerprint")
			}
			added, partly := fp.NewItems(last)
			if partly != tt.partly || !slices.Equal(added, tt.added) {
				t.Fatalf("NewItems = %v, %v; want %v, %v", added, partly, tt.added, tt.partly)
			}
		})
	}

	// The show's own fields changing means a full parse.
	changed, _ := FingerprintOf([]byte(strings.Replace(string(rssWith("Tue", "c", "b", "a")), "<title>Show", "<title>Renamed", 1)))
	if _, ok := changed.NewItems(last); ok {
		t.Error("a renamed show was treated as only new items")
	}
}

func TestKeepItemsParsesToTheNewEpisodes(t *testing.T) {
	t.Parallel()
	body := rssWith("Tue", "c", "b", "a")
	f, err := Parse(KeepItems(body, []int{0}), "https://example.com/feed")
	if err != nil {
		t.Fatal(err)
	}
	if f.Podcast.Title != "Show" || len(f.Episodes) != 1 || f.Episodes[0].GUID != "c" {
		t.Fatalf("parsed %q with %d episodes", f.Podcast.Title, len(f.Episodes))
	}
}

func TestFingerprintRefusesBodiesItCannotCut(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"atom":               `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title></entry></feed>`,
		"unclosed item":      `<rss><channel><item><title>x</title></channel></rss>`,
		"item inside cdata":  `<rss><channel><item><description><![CDATA[ <item> ]]></description></item><item><title>y</title></item></channel></rss>`,
		"text between items": `<rss><channel><item><title>x</title></item>junk<item><title>y</title></item></channel></rss>`,
		"nested items":       `<rss><channel><item><title>x</title><item><title>y</title></item></item></channel></rss>`,
		"close inside cdata": `<rss><channel><item><description><![CDATA[ a </item> b ]]></description></item></channel></rss>`,
	} {
		if _, ok := FingerprintOf([]byte(body)); ok {
			t.Errorf("%s: fingerprinted a body it cannot cut safely", name)
		}
	}
}
