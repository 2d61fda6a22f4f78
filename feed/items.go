package feed

import (
	"bytes"
	"regexp"
	"strconv"

	"github.com/cespare/xxhash/v2"
)

// A Fingerprint tells which items of an RSS body are new since the last crawl without parsing
// it: the hash of everything outside the items (minus dates that change with every episode) and
// one hash per <item> element, on the raw bytes. A re-crawl whose body only gained items then
// parses just those, which is most of the cost of a re-crawl of a big feed.
type Fingerprint struct {
	Head  string   // hex xxHash64 of the channel outside its items, volatile dates removed
	Items []uint64 // per item, in feed order
}

var (
	itemOpen    = []byte("<item")
	itemClose   = []byte("</item>")
	cdataOpen   = []byte("<![CDATA[")
	cdataClose  = []byte("]]>")
	volatileTag = regexp.MustCompile(`(?s)<(lastBuildDate|pubDate)>.*?</(lastBuildDate|pubDate)>`)
)

// items locates the <item> elements of an RSS body. ok is false when the body's shape is not
// plain enough to cut safely (no items, nested or unclosed items, text between items, CDATA that
// crosses an item boundary): the caller then parses the whole body.
func items(body []byte) (spans [][2]int, ok bool) {
	next := indexItemOpen(body)
	for next >= 0 {
		start := next
		j := bytes.Index(body[start:], itemClose)
		if j < 0 {
			return nil, false
		}
		end := start + j + len(itemClose)
		// One search finds the next item and tells nesting: it must not open before this ends.
		if next = indexItemOpen(body[start+len(itemOpen):]); next >= 0 {
			next += start + len(itemOpen)
			if next < end {
				return nil, false
			}
		}
		if len(spans) > 0 && len(bytes.TrimSpace(body[spans[len(spans)-1][1]:start])) > 0 {
			return nil, false // something other than white space between two items
		}
		chunk := body[start:end]
		if bytes.Count(chunk, cdataOpen) != bytes.Count(chunk, cdataClose) {
			return nil, false
		}
		spans = append(spans, [2]int{start, end})
	}
	return spans, len(spans) > 0
}

// indexItemOpen finds "<item" followed by '>' or white space (not <itemscope> or <items>).
func indexItemOpen(b []byte) int {
	off := 0
	for {
		i := bytes.Index(b[off:], itemOpen)
		if i < 0 {
			return -1
		}
		k := off + i + len(itemOpen)
		if k < len(b) && (b[k] == '>' || b[k] == ' ' || b[k] == '\t' || b[k] == '\n' || b[k] == '\r') {
			return off + i
		}
		off = k
	}
}

// FingerprintOf returns the body's fingerprint, or ok false when it cannot be cut into items.
func FingerprintOf(body []byte) (fp Fingerprint, ok bool) {
	spans, ok := items(body)
	if !ok {
		return Fingerprint{}, false
	}
	outside := append(append([]byte{}, body[:spans[0][0]]...), body[spans[len(spans)-1][1]:]...)
	if bytes.Count(outside, cdataOpen) != bytes.Count(outside, cdataClose) {
		return Fingerprint{}, false
	}
	fp.Head = hashHex(volatileTag.ReplaceAll(outside, nil))
	fp.Items = make([]uint64, len(spans))
	for i, s := range spans {
		fp.Items[i] = xxhash.Sum64(body[s[0]:s[1]])
	}
	return fp, true
}

// NewItems compares fp with the fingerprint of the last body parsed. When the channel is the same
// and every earlier item is still there unchanged, it returns the indexes of the items that are
// new, and ok. Otherwise (the show's fields, an old item or the set of items changed) ok is
// false and the whole body must be parsed.
func (fp Fingerprint) NewItems(last Fingerprint) (added []int, ok bool) {
	if last.Head == "" || fp.Head != last.Head || len(last.Items) == 0 {
		return nil, false
	}
	now := make(map[uint64]bool, len(fp.Items))
	for _, h := range fp.Items {
		now[h] = true
	}
	for _, h := range last.Items {
		if !now[h] {
			return nil, false // an item vanished or changed: gone episodes need the full picture
		}
	}
	before := make(map[uint64]bool, len(last.Items))
	for _, h := range last.Items {
		before[h] = true
	}
	for i, h := range fp.Items {
		if !before[h] {
			added = append(added, i)
		}
	}
	return added, true
}

// KeepItems returns the body with only the items at the given indexes: still a whole feed, so
// Parse reads the channel and those items as usual. The body must have a fingerprint.
func KeepItems(body []byte, keep []int) []byte {
	spans, ok := items(body)
	if !ok {
		return body
	}
	out := make([]byte, 0, spans[0][0]+len(body)-spans[len(spans)-1][1]+len(keep)*2048)
	out = append(out, body[:spans[0][0]]...)
	for _, i := range keep {
		out = append(out, body[spans[i][0]:spans[i][1]]...)
		out = append(out, '\n')
	}
	return append(out, body[spans[len(spans)-1][1]:]...)
}

// hashHex is the 64-bit xxHash of b in hex: body and channel fingerprints only need to tell
// "same bytes" from "changed", and on megabyte feeds sha256 cost a fifth of a re-crawl's CPU.
func hashHex(b []byte) string {
	return strconv.FormatUint(xxhash.Sum64(b), 16)
}
