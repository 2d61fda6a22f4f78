package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/mmcdole/gofeed"

	"hark"
)

// Parse parses a podcast feed body fetched from feedURL; feedURL resolves relative URLs and
// gives the podcast its fallback podcast:guid. Parse repairs encodings, junk before the root,
// HTML entities, bare ampersands, illegal characters, namespace spellings and truncated
// documents, and lists each repair in Feed.Warnings.
//
// Returns an error matching hark.ErrInvalid, with a message meant for users (see
// hark.ErrorMessage), when body is not a feed: empty, an HTML page, XML of another kind, or
// broken beyond repair. Parse never panics.
func Parse(body []byte, feedURL string) (f *hark.Feed, err error) {
	// The repairs are fuzzed, but a crawler must survive any body: a bug becomes an error that
	// still names the panic for the logs.
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("%w (panic: %v)", hark.Errorf(hark.ErrInvalid, "not a feed: the document could not be parsed"), r)
		}
	}()
	var w warnings
	doc, ns, err := prepare(body, &w)
	if err != nil {
		return nil, err
	}
	gf, err := parseXML(doc)
	if err != nil {
		gf, err = parseSalvaged(doc, err, &w)
		if err != nil {
			return nil, err
		}
	}
	gf = recoverSwallowedItems(doc, gf, &w)
	if isEmptyFeed(gf) {
		return nil, emptyFeedError(doc)
	}
	f = buildFeed(gf, ns, feedURL, &w)
	f.Warnings = w.list
	return f, nil
}

// prepare turns the raw body into UTF-8 XML that starts at the root element and that an XML
// parser accepts.
func prepare(body []byte, w *warnings) ([]byte, namespaces, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, namespaces{}, hark.Errorf(hark.ErrInvalid, "not a feed: empty body")
	}
	text := toUTF8(body, w)
	doc, ok := trimToRoot(text, w)
	if !ok {
		return nil, namespaces{}, notFeedError(text)
	}
	doc = fixMarkup(doc, w)
	doc = fixMissingChannel(doc, w)
	doc, ns := fixNamespaces(doc, w)
	return doc, ns, nil
}

// parseXML runs gofeed on a prepared document. A panic in gofeed becomes an error, so that one
// hostile feed cannot take a crawler down.
func parseXML(doc []byte) (f *gofeed.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("gofeed panic: %v", r)
		}
	}()
	p := gofeed.NewParser()
	p.KeepOriginalFeed = true
	// gofeed looks for an <img> in every item's HTML when the item names no image: about a tenth
	// of the crawl's CPU time on big feeds. Episode art comes from itunes:image or the show.
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	f, err = p.Parse(bytes.NewReader(doc))
	if err != nil {
		return nil, fmt.Errorf("parse feed XML: %w", err)
	}
	return f, nil
}

// parseSalvaged parses the document cut at its first fatal XML error with the open elements
// closed, which rescues truncated downloads and feeds with one broken item at the end.
func parseSalvaged(doc []byte, cause error, w *warnings) (*gofeed.Feed, error) {
	fixed, ok := salvage(doc)
	if !ok {
		return nil, hark.Errorf(hark.ErrInvalid, "not a feed: the XML is broken beyond repair (%s)", xmlErrorText(cause))
	}
	gf, err := parseXML(fixed)
	if err != nil {
		return nil, hark.Errorf(hark.ErrInvalid, "not a feed: the XML is broken beyond repair (%s)", xmlErrorText(cause))
	}
	w.addf("the XML is broken (%s); read it up to the break", xmlErrorText(cause))
	return gf, nil
}

// recoverSwallowedItems reparses with unclosed elements closed when the document has more item
// tags than gofeed found items, and keeps the result if it has more.
func recoverSwallowedItems(doc []byte, gf *gofeed.Feed, w *warnings) *gofeed.Feed {
	if itemTagCount(doc) <= len(gf.Items) {
		return gf
	}
	fixed, changed := closeBeforeItems(doc)
	if !changed {
		return gf
	}
	better, err := parseXML(fixed)
	if err != nil || len(better.Items) <= len(gf.Items) {
		return gf
	}
	w.addf("closed elements left open before an item")
	return better
}

// salvage cuts doc after the last complete token before its first XML error and closes the
// elements still open. It reports false when there is nothing to salvage.
func salvage(doc []byte) ([]byte, bool) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false
	var stack []string
	var good int64
	for {
		tok, err := d.RawToken()
		if err != nil {
			if errors.Is(err, io.EOF) && len(stack) == 0 {
				return nil, false
			}
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, qualifiedName(t.Name))
		case xml.EndElement:
			stack = popTo(stack, qualifiedName(t.Name))
		}
		good = d.InputOffset()
	}
	if len(stack) == 0 || good == 0 {
		return nil, false
	}
	out := append([]byte{}, doc[:good]...)
	for i := len(stack) - 1; i >= 0; i-- {
		out = append(out, "</"+stack[i]+">"...)
	}
	return out, true
}

// popTo pops the stack down to and including the innermost element called name; an end tag
// that matches nothing open is ignored.
func popTo(stack []string, name string) []string {
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i] == name {
			return stack[:i]
		}
	}
	return stack
}

// qualifiedName writes an XML name back as prefix:local.
func qualifiedName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// xmlErrorText shortens a parser error for a user-facing message.
func xmlErrorText(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("line %d: %s", se.Line, se.Msg)
	}
	s := err.Error()
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// isEmptyFeed reports whether gofeed found a root element but nothing of a feed in it.
func isEmptyFeed(f *gofeed.Feed) bool {
	return f.Title == "" && f.Description == "" && f.Link == "" && len(f.Items) == 0 &&
		len(f.Extensions) == 0 && f.Image == nil && f.Published == "" && f.Updated == ""
}
