package main

import (
	"strings"
	"testing"
)

// FuzzReadOPML checks that readOPML never panics on an uploaded file and that every URL it
// returns is trimmed and not empty.
func FuzzReadOPML(f *testing.F) {
	for _, s := range []string{
		`<opml><body><outline xmlUrl=" https://a.example/feed "/><outline text="x"><outline xmlURL="http://b.example/rss"/></outline></body></opml>`,
		`<?xml version="1.0" encoding="ISO-8859-1"?><opml><body><outline xmlUrl="http://c.example/é"/></body></opml>`,
		`<opml><body><outline xmlUrl="http://10.0.0.1/"`,
		`<!DOCTYPE opml [<!ENTITY x "http://169.254.169.254/">]><opml><body><outline xmlUrl="&x;"/></body></opml>`,
		"", "<opml/>", "\x00\xff<outline xmlUrl='a'>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		urls, err := readOPML(strings.NewReader(string(b)))
		if err == nil && len(urls) == 0 {
			t.Fatal("readOPML returned no URLs and no error")
		}
		for _, u := range urls {
			if u == "" || u != strings.TrimSpace(u) {
				t.Fatalf("readOPML returned %q", u)
			}
		}
	})
}

// FuzzReadURLLines checks that readURLLines never panics and skips blanks and comments.
func FuzzReadURLLines(f *testing.F) {
	for _, s := range []string{"https://a.example/feed\n\n# comment\n  http://b.example  \r\n", "", "#", strings.Repeat("x", 70000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		urls, _ := readURLLines(strings.NewReader(s))
		for _, u := range urls {
			if u == "" || u != strings.TrimSpace(u) || strings.HasPrefix(u, "#") {
				t.Fatalf("readURLLines returned %q", u)
			}
		}
	})
}
