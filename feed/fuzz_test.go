package feed

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"hark"
)

// FuzzParse feeds arbitrary bytes to Parse: it must never panic, and must return either a feed
// whose text is valid UTF-8 without NUL bytes, or an ErrInvalid error with a user message.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"",
		"<rss><channel><title>T</title><item><guid>1</guid></item></channel></rss>",
		`<?xml version="1.0" encoding="windows-1252"?><rss><channel><title>caf\xe9</title></channel></rss>`,
		"\xef\xbb\xbf<rss><channel><title>A &nbsp; & B</title></channel></rss>",
		`<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="enclosure" href="a.mp3"/></entry></feed>`,
		"<rss><channel><item><title><![CD",
		"<html><head><title>x</title></head></html>",
		"\xff\xfe<\x00r\x00s\x00s\x00>\x00",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	if files, _ := filepath.Glob(filepath.Join("testdata", "*.xml")); len(files) > 0 {
		for _, path := range files {
			if b, err := os.ReadFile(path); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		feed, err := Parse(body, "https://example.com/feed")
		if err != nil {
			if !errors.Is(err, hark.ErrInvalid) || hark.ErrorMessage(err) == "" {
				t.Fatalf("error %v is not a user-facing ErrInvalid", err)
			}
			if strings.Contains(err.Error(), "panic") {
				t.Fatalf("Parse recovered from a panic: %v", err)
			}
			return
		}
		for _, e := range feed.Episodes {
			for _, s := range []string{e.Title, e.Description, e.GUID} {
				if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
					t.Fatalf("episode text %q is invalid UTF-8 or holds NUL", s)
				}
			}
		}
	})
}

// FuzzParseDate checks that ParseDate never panics and returns UTC times within 4-digit years.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"Mon, 02 Jan 2006 15:04:05 -0700", "2020-01-02T15:04:05Z", "03 Apr 02 1500 GMT",
		"Τρι, 29 Ιούν 2004 12:53:00 GMT", "1518478934", "mar., 02 oct. 2018", "5pm", "+0000", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseDate(s)
		if !ok {
			return
		}
		if got.Location().String() != "UTC" || got.Year() < 1000 || got.Year() > 9999 {
			t.Fatalf("ParseDate(%q) = %v", s, got)
		}
	})
}

// FuzzParseDuration checks that ParseDuration never panics and stays within a week.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"3723", "1:02:03", "0:67:16", "1h2m3s", "3723.5", "PT1H", "", "-1", "::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sec, ok := ParseDuration(s)
		if ok && (sec < 0 || sec > maxDurationSec) || !ok && sec != 0 {
			t.Fatalf("ParseDuration(%q) = %d, %v", s, sec, ok)
		}
	})
}

// FuzzNormalizeURL checks that NormalizeURL never panics, that what it accepts is an http(s)
// URL that normalises to itself, and that what it refuses is an ErrInvalid.
func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{
		"https://www.Example.com:443/feed/?a=1#x", "example.com", "feed://x.org/rss", "itpc://x",
		"http://[::1]:80/", "javascript:alert(1)", "", "http://%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := NormalizeURL(s)
		if err != nil {
			if !errors.Is(err, hark.ErrInvalid) {
				t.Fatalf("NormalizeURL(%q) error %v is not ErrInvalid", s, err)
			}
			return
		}
		if !strings.HasPrefix(n, "http://") && !strings.HasPrefix(n, "https://") {
			t.Fatalf("NormalizeURL(%q) = %q", s, n)
		}
		again, err := NormalizeURL(n)
		if err != nil || again != n {
			t.Fatalf("NormalizeURL(%q) = %q, but NormalizeURL(%q) = %q, %v", s, n, n, again, err)
		}
	})
}
