package feed

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hark"
)

// TestParsePodcast20 checks the mapping of every field on a feed written to exercise them.
func TestParsePodcast20(t *testing.T) {
	t.Parallel()
	f, err := Parse(readFixture(t, "testdata/podcast20.xml"), "https://example.com/podcasts/feed.xml")
	mustParse(t, err)
	wantPodcast := hark.Podcast{
		FeedURL:     "https://example.com/podcasts/feed.xml",
		Title:       "Hark & Friends",
		Publisher:   "Hark Media",
		Description: "<p>A <b>longer</b> summary, which wins because it says more.</p>",
		ImageURL:    "https://example.com/podcasts/art/cover.jpg",
		WebsiteURL:  "https://example.com/site/",
		Language:    "en-us",
		Country:     "us",
		Explicit:    true,
		Categories:  []string{"Society & Culture", "Society & Culture > Documentary", "Technology"},
		GenreIDs:    []int{1324, 1543, 1318},
		Type:        "serial",
		PodcastGUID: "c56e4d0b-ab8f-5e4c-9d5a-6a4e6d7b9f21",
		Complete:    true,
		Locked:      true,
		Medium:      "podcast",
		FundingURL:  "https://example.com/support",
		OwnerEmail:  "owner@example.com",
	}
	if diff := cmp.Diff(wantPodcast, f.Podcast); diff != "" {
		t.Errorf("podcast (-want +got):\n%s", diff)
	}
	want(t, "new feed URL equal to the feed URL", f.NewFeedURL, "")
	want(t, "ttl", f.TTL, time.Hour)
	want(t, "hub", f.WebSubHub, "https://pubsubhubbub.appspot.com/")
	want(t, "self", f.WebSubSelf, "https://example.com/podcasts/feed.xml")
	wantWarning(t, f, "dropped 1 episodes whose guid repeats")

	wantEpisodes := []hark.Episode{{
		GUID:           "ep-2",
		Title:          "Q&A with guests",
		Description:    `<p>Long notes with <a href="https://example.com">links</a> and more words.</p>`,
		AudioURL:       "https://example.com/podcasts/ep2.mp3",
		AudioType:      "audio/mpeg",
		AudioSize:      12345678,
		AudioLengthSec: 3723,
		PublishedAt:    time.Date(2024, 1, 2, 15, 0, 0, 0, time.UTC),
		Explicit:       true,
		ImageURL:       "https://example.com/ep2.jpg",
		Season:         2,
		Number:         7,
		EpisodeType:    "bonus",
		TranscriptURL:  "https://example.com/ep2.vtt",
		TranscriptType: "text/vtt",
		ChaptersURL:    "https://example.com/ep2.json",
		Persons:        []string{"Bob Guest"},
	}, {
		GUID:           "https://example.com/ep1.m4a",
		Title:          "Media content only",
		AudioURL:       "https://example.com/ep1.m4a",
		AudioType:      "audio/mp4",
		AudioSize:      999,
		AudioLengthSec: 95,
		PublishedAt:    time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC),
		ImageURL:       "https://example.com/ep1-cover.png",
		Link:           "https://example.com/ep1",
		EpisodeType:    "full",
		Persons:        []string{"Alice Host"}, // inherited from the channel
	}}
	if diff := cmp.Diff(wantEpisodes, f.Episodes); diff != "" {
		t.Errorf("episodes (-want +got):\n%s", diff)
	}
}

// TestParseManyRepairs parses a windows-1252 feed that declares no encoding, starts with PHP
// notices, binds iTunes to the prefix "it" under a misspelled URI, uses French dates and is cut
// off in the middle of an item.
func TestParseManyRepairs(t *testing.T) {
	t.Parallel()
	f, err := Parse(readFixture(t, "testdata/truncated-cp1252-php-junk.xml"), "http://example.fr/podcast/rss.php")
	mustParse(t, err)
	want(t, "title", f.Podcast.Title, "Café Crème & “Friends”")
	want(t, "language", f.Podcast.Language, "fr-fr")
	want(t, "country, from the language", f.Podcast.Country, "fr")
	if len(f.Episodes) != 3 {
		t.Fatalf("%d episodes; want 3", len(f.Episodes))
	}
	e := f.Episodes[0]
	want(t, "episode title", e.Title, "Épisode 2 – ça continue")
	want(t, "date", e.PublishedAt, date(2019, 10, 9, 6, 0, 0))
	want(t, "duration through the it: prefix", e.AudioLengthSec, 2700)
	want(t, "audio", e.AudioURL, "http://example.fr/audio/ep2.mp3")
	want(t, "type from the extension", e.AudioType, "audio/mpeg")
	want(t, "French date with mar. for Tuesday", f.Episodes[1].PublishedAt, date(2019, 10, 1, 6, 0, 0))
	want(t, "cut-off title", f.Episodes[2].Title, "Épisode 0 – coup")
	for _, part := range []string{"guessed windows-1252", "junk before the root", "namespace", "the XML is broken"} {
		wantWarning(t, f, part)
	}
}

// TestParseRepairs checks the repairs on small inline documents.
func TestParseRepairs(t *testing.T) {
	t.Parallel()
	item := func(n int) string {
		return "<item><title>E" + string(rune('0'+n)) + "</title><guid>g" + string(rune('0'+n)) + "</guid></item>"
	}
	tests := []struct {
		name      string
		body      string
		wantTitle string
		wantItems int
		warning   string
	}{
		{
			name:      "an unclosed element swallows no items",
			body:      `<rss xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>T</title><itunes:category text="Arts">` + item(1) + item(2) + item(3) + "</channel></rss>",
			wantTitle: "T", wantItems: 3, warning: "closed elements left open",
		},
		{
			name:      "truncated in the middle of an item",
			body:      "<rss><channel><title>T</title>" + item(1) + item(2) + "<item><title>E3</tit",
			wantTitle: "T", wantItems: 3, warning: "the XML is broken",
		},
		{
			name:      "a < that starts no tag",
			body:      "<rss><channel><title>Q&A <3 & a < b</title>" + item(1) + "</channel></rss>",
			wantTitle: "Q&A <3 & a < b", wantItems: 1, warning: "escaped 4 bare & or < characters",
		},
		{
			name:      "NUL bytes and controls",
			body:      "<rss><channel><title>A\x00B\x01C</title>" + item(1) + "</channel></rss>",
			wantTitle: "ABC", wantItems: 1, warning: "characters that XML does not allow",
		},
		{
			// A no-break space counts as a space in one-line fields.
			name:      "HTML entities outside CDATA",
			body:      "<rss><channel><title>Caf&eacute;&nbsp;&hellip; &amp; &unknown; &#0;</title>" + item(1) + "</channel></rss>",
			wantTitle: "Café … & &unknown;", wantItems: 1, warning: "entities",
		},
		{
			name:      "RSS 1.0",
			body:      `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>R</title></channel>` + item(1) + `</rdf:RDF>`,
			wantTitle: "R", wantItems: 1,
		},
		{
			name:      "mojibake in a title",
			body:      "<rss><channel><title>CafÃ© donâ€™t</title>" + item(1) + "</channel></rss>",
			wantTitle: "Café don’t", wantItems: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := Parse([]byte(tt.body), "https://example.com/feed")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			want(t, "title", f.Podcast.Title, tt.wantTitle)
			want(t, "episodes", len(f.Episodes), tt.wantItems)
			if tt.warning != "" {
				wantWarning(t, f, tt.warning)
			}
		})
	}
}

// TestParseNotAFeed checks the messages users see for bodies that are not feeds.
func TestParseNotAFeed(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, body, want string }{
		{"empty", "", "not a feed: empty body"},
		{"blank", " \n\t ", "not a feed: empty body"},
		{"html", "<!DOCTYPE html><html><head><title> Not  Found </title></head><body><rss></body></html>", `not a feed: the server returned an HTML page (title "Not Found")`},
		{"json", `{"error": "nope"}`, "not a feed: the body is JSON, not RSS or Atom"},
		{"text", "Internal Server Error", `not a feed: the body is not XML (it starts with "Internal Server Error")`},
		{"other xml", `<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>`, "not a feed: the XML root element is <Error>, not <rss>, <feed> or <rdf:RDF>"},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a feed: the body is binary data, not XML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := Parse([]byte(tt.body), "https://example.com/feed")
			if !errors.Is(err, hark.ErrInvalid) {
				t.Fatalf("Parse = %v, %v; want hark.ErrInvalid", f, err)
			}
			if got := hark.ErrorMessage(err); got != tt.want {
				t.Errorf("message = %q; want %q", got, tt.want)
			}
		})
	}
}

// TestGreekFixtureDate reads the pubDate of the ISO-8859-7 fixture, which Podcast has no field
// for, through the same decoding Parse uses.
func TestGreekFixtureDate(t *testing.T) {
	t.Parallel()
	body := readFixture(t, feedsDir(t)+"/broken/greek-month-names-in-pubdate-iso8859-7.xml")
	var w warnings
	doc, _, err := prepare(body, &w)
	if err != nil {
		t.Fatalf("prepare: %v", err)
	}
	_, rest, _ := strings.Cut(string(doc), "<pubDate>")
	raw, _, _ := strings.Cut(rest, "</pubDate>")
	want(t, "decoded pubDate", raw, "Τρι, 29 Ιούν 2004 12:53:00 GMT")
	got, ok := ParseDate(raw)
	if !ok || !got.Equal(date(2004, 6, 29, 12, 53, 0)) {
		t.Errorf("ParseDate(%q) = %v, %v; want 2004-06-29 12:53:00 UTC", raw, got, ok)
	}
}

func TestLanguageRegion(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, want string }{
		{"en-us", "us"},
		{"pt-br", "br"},
		{"zh-hant-tw", "tw"}, // a script subtag comes first
		{"en", ""},
		{"es-419", ""}, // Latin America: a region, not a country
		{"", ""},
		{"x-klingon", ""}, // a private tag's first subtag is not a language
	} {
		if got := languageRegion(tt.lang); got != tt.want {
			t.Errorf("languageRegion(%q) = %q; want %q", tt.lang, got, tt.want)
		}
	}
}
