package feed

import (
	"bytes"
	"html"
	"regexp"
	"strings"

	"hark"
)

var (
	// htmlPagePattern spots an HTML page: a doctype or one of the elements every page has.
	htmlPagePattern = regexp.MustCompile(`(?i)<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])`)
	// htmlTitlePattern finds the title of an HTML page.
	htmlTitlePattern = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	// firstElementPattern finds the first element of an XML document.
	firstElementPattern = regexp.MustCompile(`<([A-Za-z_][\w:.-]*)[\s>/]`)
	// newLocationPattern finds the target of an RSS <redirect><newLocation>.
	newLocationPattern = regexp.MustCompile(`(?is)<newLocation>\s*([^<\s]+)\s*</newLocation>`)
)

// notFeedError explains, for a user, why a UTF-8 body without a feed root is not a feed.
func notFeedError(b []byte) error {
	t := bytes.TrimSpace(b)
	head := t[:min(len(t), 64<<10)]
	switch {
	case len(t) == 0:
		return hark.Errorf(hark.ErrInvalid, "not a feed: empty body")
	case t[0] == '{' || t[0] == '[':
		return hark.Errorf(hark.ErrInvalid, "not a feed: the body is JSON, not RSS or Atom")
	case bytes.IndexByte(head[:min(len(head), 512)], 0) >= 0:
		return hark.Errorf(hark.ErrInvalid, "not a feed: the body is binary data, not XML")
	case t[0] != '<':
		return hark.Errorf(hark.ErrInvalid, "not a feed: the body is not XML (it starts with %q)", snippet(t))
	}
	m := firstElementPattern.FindSubmatchIndex(head)
	if m == nil {
		return hark.Errorf(hark.ErrInvalid, "not a feed: the document has no root element")
	}
	if htmlPagePattern.Match(head[:m[1]]) {
		if title := htmlTitle(head); title != "" {
			return hark.Errorf(hark.ErrInvalid, "not a feed: the server returned an HTML page (title %q)", title)
		}
		return hark.Errorf(hark.ErrInvalid, "not a feed: the server returned an HTML page")
	}
	return hark.Errorf(hark.ErrInvalid, "not a feed: the XML root element is <%s>, not <rss>, <feed> or <rdf:RDF>", head[m[2]:m[3]])
}

// emptyFeedError explains a feed root without a channel, title or episodes.
func emptyFeedError(doc []byte) error {
	if m := newLocationPattern.FindSubmatch(doc); m != nil {
		return hark.Errorf(hark.ErrInvalid, "not a feed: the document says the feed moved to %s", m[1])
	}
	return hark.Errorf(hark.ErrInvalid, "not a feed: the document has no channel, title or episodes")
}

// htmlTitle returns the cleaned title of an HTML page, at most 100 characters.
func htmlTitle(b []byte) string {
	m := htmlTitlePattern.FindSubmatch(b)
	if m == nil {
		return ""
	}
	t := strings.Join(strings.Fields(html.UnescapeString(string(m[1]))), " ")
	if r := []rune(t); len(r) > 100 {
		t = string(r[:100]) + "…"
	}
	return t
}

// snippet returns the first characters of b for an error message.
func snippet(b []byte) string {
	r := []rune(string(b[:min(len(b), 200)]))
	if len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return string(r)
}
