package feed

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"hark"
)

// brokenCheck asserts what one broken fixture must give.
type brokenCheck func(t *testing.T, f *hark.Feed, err error)

// TestParseBrokenFeeds parses every broken fixture: each must give a feed or an error matching
// hark.ErrInvalid with a readable "not a feed" message, never a panic, and the fixtures named
// in brokenChecks must give exactly what is described there.
func TestParseBrokenFeeds(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, path := range fixtureFiles(t, "broken") {
		name := fixtureName(path)
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, err := Parse(readFixture(t, path), fixtureFeedURL)
			checkParseContract(t, f, err)
			if check := brokenChecks[name]; check != nil {
				check(t, f, err)
			}
		})
	}
	for name := range brokenChecks {
		if !seen[name] {
			t.Errorf("brokenChecks names %s, which is not a fixture", name)
		}
	}
}

// checkParseContract checks what holds for any input: a feed without NUL bytes or invalid
// UTF-8, or an ErrInvalid error whose user message explains it.
func checkParseContract(t *testing.T, f *hark.Feed, err error) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, hark.ErrInvalid) || !strings.HasPrefix(hark.ErrorMessage(err), "not a feed: ") {
			t.Fatalf("Parse error %q: want a hark.ErrInvalid starting \"not a feed: \"", err)
		}
		if f != nil {
			t.Fatal("Parse returned a feed and an error")
		}
		return
	}
	texts := []string{f.Podcast.Title, f.Podcast.Description, f.Podcast.Publisher}
	for _, e := range f.Episodes {
		texts = append(texts, e.Title, e.Description, e.GUID, e.AudioURL)
	}
	for _, s := range texts {
		if strings.ContainsRune(s, 0) || !utf8.ValidString(s) {
			t.Errorf("text %q holds NUL or invalid UTF-8", s)
		}
	}
}

// brokenChecks are the expectations for the broken fixtures, by file name.
var brokenChecks = map[string]brokenCheck{
	"atom-entry-link-rel-enclosure-minimal": episode(0, func(t *testing.T, e hark.Episode) {
		want(t, "audio URL", e.AudioURL, "http://example.org/podcast.mp3")
		want(t, "audio type", e.AudioType, "audio/mpeg")
		want(t, "size", e.AudioSize, int64(123456))
		want(t, "guid falls back to the enclosure", e.GUID, "http://example.org/podcast.mp3")
	}),
	"atom10-entry-link-rel-enclosure": both(
		podcast(func(t *testing.T, p hark.Podcast) {
			want(t, "title", p.Title, "Sample Feed")
			want(t, "language", p.Language, "en")
		}),
		episode(0, func(t *testing.T, e hark.Episode) {
			want(t, "title", e.Title, "First entry title")
			want(t, "audio URL", e.AudioURL, "http://www.example.com/movie.mp4")
			want(t, "audio type", e.AudioType, "video/mpeg4")
			want(t, "size", e.AudioSize, int64(42301))
			want(t, "published", e.PublishedAt, date(2005, 11, 9, 0, 23, 47))
			want(t, "link resolved against xml:base", e.Link, "http://example.org/entry/3")
			want(t, "guid", e.GUID, "tag:feedparser.org,2005-11-09:/docs/examples/atom10.xml:3")
		})),
	"bare-ampersand-in-title":      title("Fish & Chips & more <3"),
	"bogus-encoding-name-declared": notFeed("no channel, title or episodes"),
	"channel-image-url-wrapped-in-whitespace": podcast(func(t *testing.T, p hark.Podcast) {
		want(t, "image", p.ImageURL, "https://www.nps.gov/common/uploads/podcasts/0C4BEEC8-DDCF-0DBA-20016EC90B82DAEA.jpg")
	}),
	"comment-only-no-root-element":             notFeed("no root element"),
	"control-char-0x08-in-title":               episodeTitle("abcd"),
	"cp1252-codepoints-as-c1-controls-in-utf8": episodeDescription("don’t"),
	"dc-date-unix-timestamp": both(episodeCount(2), episode(0, func(t *testing.T, e hark.Episode) {
		want(t, "pubDate wins over dc:date", e.PublishedAt, date(2017, 10, 16, 15, 10, 0))
	})),
	"declared-utf8-invalid-bytes-in-cdata": episodeDescription("’<>”©"),
	"double-encoded-html-entities":         episodeDescription("…"),
	"empty-file-zero-bytes":                notFeed("empty body"),
	"enclosure-missing-url": both(episodeCount(1), episode(0, func(t *testing.T, e hark.Episode) {
		want(t, "audio URL", e.AudioURL, "")
	})),
	"enclosure-relative-url":      episodeAudio("https://example.com/podcasts/example.mp3"),
	"enclosure-url-leading-space": episodeAudio("http://example.com/example.mp3"),
	"enclosure-with-child-elements": episode(0, func(t *testing.T, e hark.Episode) {
		want(t, "an image enclosure is not audio", e.AudioURL, "")
		want(t, "image enclosure as episode art", e.ImageURL, "http://example.org/enclosure.jpg")
	}),
	"enclosure-with-text-content": episode(0, func(t *testing.T, e hark.Episode) {
		want(t, "audio URL", e.AudioURL, "http://example.org/podcast.mp3")
		want(t, "size", e.AudioSize, int64(123456))
	}),
	"euc-kr-declared":           episodeDescription("\ub144"),
	"gb2312-undeclared-chinese": episodeTitle("不归移民漫画系列：专业工作"),
	"greek-month-names-in-pubdate-iso8859-7": func(t *testing.T, f *hark.Feed, err error) {
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
	},
	"html-document-moved-page":             notFeed(`the server returned an HTML page (title "Document Moved")`),
	"html-page-instead-of-feed-soundcloud": notFeed("the server returned an HTML page"),
	"invalid-encoding-name-utf8-content":   both(title("테스트 피드"), episodeTitle("Café")),
	"item-without-guid-and-title":          guidIs("http://example.com/test.ogg"),
	"items-with-and-without-enclosure": func(t *testing.T, f *hark.Feed, err error) {
		mustParse(t, err)
		var guids []string
		for _, e := range f.Episodes {
			guids = append(guids, e.GUID)
		}
		want(t, "guids", strings.Join(guids, " "), "https://example.com/podcasts/test.mp3 B| https://example.com/podcasts/test2.ogg")
	},
	"itunes-episode-negative-number": episode(0, func(t *testing.T, e hark.Episode) { want(t, "number", e.Number, 0) }),
	"itunes-namespace-uri-uppercase": func(t *testing.T, f *hark.Feed, err error) {
		mustParse(t, err)
		wantWarning(t, f, "namespace")
	},
	"itunes-new-feed-url": func(t *testing.T, f *hark.Feed, err error) {
		mustParse(t, err)
		want(t, "new feed URL", f.NewFeedURL, "http://newlocation.com/example.rss")
	},
	"itunes-ns-alternate-prefix-it":      episodeDuration(1200),
	"itunes-ns-default-xmlns-on-element": episodeDuration(1200),
	"itunes-single-quoted-attrs": both(episodeCount(3), podcast(func(t *testing.T, p hark.Podcast) {
		want(t, "image", p.ImageURL, "http://example.com/podcasts/everything/AllAboutEverything.jpg")
		want(t, "categories", strings.Join(p.Categories, ", "), "Technology, Technology > Gadgets, Technology > TV & Film")
	})),
	"itunes-spaces-around-attr-equals": both(episodeCount(3), episodeDuration(424)),
	"koi8r-undeclared-russian":         episodeTitle("Как пережить новогоднюю ночь"),
	"latin1-undeclared-no-xmldecl-fr": both(episodeCount(10), episode(0, func(t *testing.T, e hark.Episode) {
		wantContains(t, "description", e.Description, "nombre d'études montrent", "pourraient être à l'origine")
	})),
	"latin1-undeclared-pt-localized-dates": both(
		podcast(func(t *testing.T, p hark.Podcast) { want(t, "description", p.Description, "Últimas Notícias") }),
		episode(0, func(t *testing.T, e hark.Episode) {
			wantContains(t, "title", e.Title, "simulações de 2º turno")
			want(t, "Portuguese pubDate", e.PublishedAt, date(2018, 9, 24, 22, 42, 40))
		})),
	"leading-whitespace-before-root":               title("Feed Title"),
	"legacy-entity-without-semicolon":              title("?page=1&copy=2;mode=x & done"),
	"namespace-uri-with-whitespace-and-mixed-case": podcast(func(t *testing.T, p hark.Podcast) { want(t, "publisher", p.Publisher, "Example Author") }),
	"no-xmldecl-stray-high-byte": episode(0, func(t *testing.T, e hark.Episode) {
		wantContains(t, "description", e.Description, ">¤</a>")
	}),
	"not-xml-garbage":                                           notFeed("no channel, title or episodes"),
	"paged-feed-atom-first-next-prev-last":                      both(episodeCount(1), episodeDuration(2367)),
	"paged-feed-atom-first-next":                                title("Paged Feed Example"),
	"podlove-chapters-mixed-time-formats":                       episodeDuration(3600),
	"real-blank-line-before-xmldecl-sv":                         both(title("Tvillingpodden"), episodeCount(1)),
	"real-endorphine-fuer-delfine-blank-line-before-xmldecl-de": both(title("Endorphine für Delfine"), episodeCount(32)),
	"real-linux-admin-show-iso-like-pubdate": both(episodeCount(2), episode(0, func(t *testing.T, e hark.Episode) {
		want(t, "ISO-like pubDate", e.PublishedAt, date(2012, 9, 23, 2, 36, 0))
	})),
	"real-mismatched-tag": both(title("All Things Chemical"), episodeCount(4)),
	"real-php-warnings-before-feed-pt-br": func(t *testing.T, f *hark.Feed, err error) {
		mustParse(t, err)
		want(t, "title", f.Podcast.Title, "Canal Meia Horinha")
		want(t, "episodes", len(f.Episodes), 8)
		wantWarning(t, f, "junk before the root element")
	},
	// 131 items, one of which repeats a guid: the repeat is dropped.
	"real-taverncast-whitespace-before-xmldecl": func(t *testing.T, f *hark.Feed, err error) {
		mustParse(t, err)
		want(t, "episodes", len(f.Episodes), 130)
		wantWarning(t, f, "dropped 1 episodes whose guid repeats")
	},
	"real-undefined-entities-no-guids": both(episodeCount(10),
		guidIs("https://www.commercialintegrator.com/wp-content/uploads/2020/03/EP-98.mp3")),
	"real-undefined-entity-nbsp": func(t *testing.T, f *hark.Feed, err error) {
		mustParse(t, err)
		want(t, "episodes", len(f.Episodes), 41)
		nbsp := false
		for _, e := range f.Episodes {
			if strings.Contains(e.Description, "&nbsp;") {
				t.Fatalf("description %q: want &nbsp; decoded to U+00A0", e.Description)
			}
			nbsp = nbsp || strings.Contains(e.Description, "\u00a0")
		}
		if !nbsp {
			t.Error("no description holds U+00A0; want the bare &nbsp; decoded")
		}
	},
	"rss-redirect-newlocation": notFeed("moved to http://weblog.infoworld.com/udell/rss.xml"),
	"rss092-two-digit-year-date": both(episodeCount(2), episode(0, func(t *testing.T, e hark.Episode) {
		want(t, "guid falls back to the enclosure", e.GUID, "http://www.oreilly.com/001.mp3")
		want(t, "size", e.AudioSize, int64(54321))
	})),
	"shiftjis-undeclared-japanese":      episodeTitle("DrecomRSSに記事投稿が反映されない…"),
	"spam-wordpress-ebook-podcast-feed": episodeCount(104),
	"truncated-incomplete-cdata-crlf": func(t *testing.T, f *hark.Feed, err error) {
		mustParse(t, err)
		want(t, "title", f.Podcast.Title, "can feedparser read this xml")
		want(t, "episodes", len(f.Episodes), 1)
		wantWarning(t, f, "the XML is broken")
	},
	"two-enclosures-image-before-audio": episode(0, func(t *testing.T, e hark.Episode) {
		want(t, "audio after an image enclosure", e.AudioURL, "http://example.net/audio.mp3")
		want(t, "image", e.ImageURL, "http://example.org/coverart.jpg")
	}),
	"unclosed-root-end-tag":                  episode(0, func(t *testing.T, e hark.Episode) { want(t, "link", e.Link, "http://link/get?a=1&b=2") }),
	"undeclared-itunes-prefix-channel":       func(t *testing.T, f *hark.Feed, err error) { mustParse(t, err) },
	"undeclared-itunes-prefix-item-duration": episodeDuration(1200),
	// UTF-16 and UTF-32 decode to an empty <rss></rss>: an error about the content, not "not XML".
	"utf16be-no-bom":                       notFeed("no channel, title or episodes"),
	"utf16le-with-bom":                     notFeed("no channel, title or episodes"),
	"utf32be-with-bom":                     notFeed("no channel, title or episodes"),
	"utf8-bom-no-xmldecl":                  title("Feed Title"),
	"utf8-bom-then-invalid-bytes":          title("Valid UTF8: ѨInvalid UTF8: España"),
	"utf8-bom-with-xmldecl":                notFeed("no channel, title or episodes"),
	"utf8-bytes-declared-iso8859-1":        both(title("테스트 피드"), episodeTitle("Café")),
	"utf8-bytes-declared-windows1252":      title("Euro €"),
	"windows1251-declared-ru-news":         both(title("iBash.Org.Ru"), episodeCount(50), episodeTitle("Цитата #17703")),
	"windows1252-bytes-declared-iso8859-1": episodeDescription("This is a £“test.”"),
	"windows1252-declared-euro-sign":       title("Euro €"),
	"windows1252-undeclared-smart-quotes":  episodeDescription("This is a £“test.”"),
	"windows1255-undeclared-hebrew": episode(0, func(t *testing.T, e hark.Episode) {
		wantContains(t, "description", e.Description, "האם תדפיס נייר של אתר אינטרנט")
	}),
	"xhtml-doctype-before-rss": title("found"),
	"xml-but-not-a-feed":       notFeed("the XML root element is <note>"),
}
