package feed

import (
	"sort"
	"strconv"
	"strings"

	ext "github.com/mmcdole/gofeed/extensions"
)

// extView gives access to the iTunes and Podcasting 2.0 elements of a channel or item, whatever
// prefix the feed bound their namespaces to.
type extView struct {
	itunes  map[string][]ext.Extension
	podcast map[string][]ext.Extension
	all     ext.Extensions
}

// newExtView merges the extension elements of one channel or item by namespace.
func newExtView(exts ext.Extensions, ns namespaces) extView {
	return extView{
		itunes:  mergeExtensions(exts, ns.iTunes),
		podcast: mergeExtensions(exts, ns.podcast),
		all:     exts,
	}
}

// mergeExtensions gathers the elements filed under any of keys into one map keyed by element
// name. The canonical key comes first so that its elements win over an alias's.
func mergeExtensions(exts ext.Extensions, keys map[string]bool) map[string][]ext.Extension {
	names := make([]string, 0, len(exts))
	for key := range exts {
		if keys[key] || keys[strings.TrimSpace(key)] {
			names = append(names, key)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		if ci, cj := names[i] == "itunes" || names[i] == "podcast", names[j] == "itunes" || names[j] == "podcast"; ci != cj {
			return ci
		}
		return names[i] < names[j]
	})
	merged := map[string][]ext.Extension{}
	for _, key := range names {
		for name, list := range exts[key] {
			merged[name] = append(merged[name], list...)
		}
	}
	return merged
}

// text returns the trimmed text of the first element called name.
func text(m map[string][]ext.Extension, name string) string {
	for _, e := range m[name] {
		if v := strings.TrimSpace(e.Value); v != "" {
			return v
		}
	}
	return ""
}

// attr returns the trimmed attribute of the first element called name that has it.
func attr(m map[string][]ext.Extension, name, key string) string {
	for _, e := range m[name] {
		if v := strings.TrimSpace(e.Attrs[key]); v != "" {
			return v
		}
	}
	return ""
}

// child returns the text of the first child element of the first element called name.
func child(m map[string][]ext.Extension, name, childName string) string {
	for _, e := range m[name] {
		if v := text(e.Children, childName); v != "" {
			return v
		}
	}
	return ""
}

// iTunesImage returns the itunes:image URL: the href attribute, or the text some feeds use.
func (x extView) iTunesImage() string {
	return firstNonEmpty(attr(x.itunes, "image", "href"), attr(x.itunes, "image", "url"), text(x.itunes, "image"))
}

// yes reports whether a flag value means true: "yes", "true", "explicit" (any case).
func yes(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "true", "explicit", "1":
		return true
	}
	return false
}

// nonNegativeInt parses a whole number, ignoring negative and malformed values ("1.0" counts).
func nonNegativeInt(s string) int {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 && f < 1e9 && f == float64(int(f)) {
		return int(f)
	}
	return 0
}
