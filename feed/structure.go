package feed

import (
	"bytes"
	"encoding/xml"
	"regexp"
	"strings"
)

var (
	rssRootPattern      = regexp.MustCompile(`(?i)^<(?:[\w.-]+:)?rss[\s>]`)
	channelStartPattern = regexp.MustCompile(`(?i)<(?:[\w.-]+:)?channel[\s>]`)
	channelEndPattern   = regexp.MustCompile(`(?i)</(?:[\w.-]+:)?channel\s*>`)
	rssEndPattern       = regexp.MustCompile(`(?i)</(?:[\w.-]+:)?rss\s*>`)
)

// fixMissingChannel wraps the children of an <rss> root in the <channel> element the feed
// forgot, so that its title and other channel fields are read.
func fixMissingChannel(doc []byte, w *warnings) []byte {
	if !rssRootPattern.Match(doc) || channelStartPattern.Match(doc) {
		return doc
	}
	end := bytes.IndexByte(doc, '>')
	if end < 0 || doc[end-1] == '/' {
		return doc
	}
	out := make([]byte, 0, len(doc)+32)
	out = append(out, doc[:end+1]...)
	out = append(out, "<channel>"...)
	rest := doc[end+1:]
	if loc := rssEndPattern.FindIndex(rest); loc != nil && !channelEndPattern.Match(rest) {
		out = append(out, rest[:loc[0]]...)
		out = append(out, "</channel>"...)
		rest = rest[loc[0]:]
	}
	w.addf("added the missing <channel> element")
	return append(out, rest...)
}

// itemTagCount counts <item> and <entry> start tags, to notice items an unclosed element
// swallowed.
func itemTagCount(doc []byte) int {
	n := 0
	for _, tag := range []string{"<item", "<entry"} {
		for rest := doc; ; {
			i := bytes.Index(rest, []byte(tag))
			if i < 0 {
				break
			}
			rest = rest[i+len(tag):]
			if len(rest) > 0 && (rest[0] == '>' || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r') {
				n++
			}
		}
	}
	return n
}

// closeBeforeItems closes the elements left open around an <item> or <entry> that is not a
// direct child of its channel, feed or root: an unclosed <itunes:category> or <p> otherwise
// swallows every item after it. It reports whether it changed anything.
func closeBeforeItems(doc []byte) ([]byte, bool) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false
	var stack []string
	var out []byte
	last := 0
	for {
		off := int(d.InputOffset())
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space == "" && (t.Name.Local == "item" || t.Name.Local == "entry") {
				if k := lastContainer(stack); k >= 0 && k < len(stack)-1 {
					out = append(out, doc[last:off]...)
					for i := len(stack) - 1; i > k; i-- {
						out = append(out, "</"+stack[i]+">"...)
					}
					last, stack = off, stack[:k+1]
				}
			}
			stack = append(stack, qualifiedName(t.Name))
		case xml.EndElement:
			stack = popTo(stack, qualifiedName(t.Name))
		}
	}
	if out == nil {
		return doc, false
	}
	return append(out, doc[last:]...), true
}

// lastContainer returns the index of the innermost element that may hold items, or -1.
func lastContainer(stack []string) int {
	for i := len(stack) - 1; i >= 0; i-- {
		_, local, found := strings.Cut(stack[i], ":")
		if !found {
			local = stack[i]
		}
		switch strings.ToLower(local) {
		case "channel", "rss", "rdf", "feed":
			return i
		}
	}
	return -1
}
