package feed

import (
	"regexp"
	"strings"
)

const (
	// iTunesNS is the iTunes podcast namespace as Apple spells it.
	iTunesNS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
	// podcastNS is the Podcasting 2.0 namespace.
	podcastNS = "https://podcastindex.org/namespace/1.0"
)

// xmlnsPattern matches a namespace declaration and its quoted URI.
var xmlnsPattern = regexp.MustCompile(`xmlns(?::([\w.-]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')`)

// namespaces records, for the namespaces Parse reads, the prefixes a feed bound them to.
type namespaces struct {
	iTunes  map[string]bool
	podcast map[string]bool
}

// fixNamespaces rewrites declarations of the iTunes and Podcasting 2.0 namespaces that are
// misspelled (case, surrounding space, the GitHub URL of the spec) to the canonical URIs, and
// records which prefixes each is bound to, so that "it:duration" reads as itunes:duration.
func fixNamespaces(b []byte, w *warnings) ([]byte, namespaces) {
	ns := namespaces{
		iTunes:  map[string]bool{"itunes": true, iTunesNS: true},
		podcast: map[string]bool{"podcast": true, podcastNS: true},
	}
	out := xmlnsPattern.ReplaceAllFunc(b, func(m []byte) []byte {
		sub := xmlnsPattern.FindSubmatch(m)
		prefix, uri := string(sub[1]), string(sub[2])+string(sub[3])
		canon := canonicalNamespace(uri)
		if canon == "" {
			return m
		}
		set := ns.iTunes
		if canon == podcastNS {
			set = ns.podcast
		}
		set[prefix] = true
		if uri == canon {
			return m
		}
		w.addf("read the namespace %q as %s", uri, canon)
		if prefix == "" {
			return []byte(`xmlns="` + canon + `"`)
		}
		return []byte(`xmlns:` + prefix + `="` + canon + `"`)
	})
	return out, ns
}

// canonicalNamespace returns the canonical URI of a spelling of the iTunes or Podcasting 2.0
// namespace, or "".
func canonicalNamespace(uri string) string {
	u := strings.ToLower(strings.TrimSpace(uri))
	switch {
	case strings.Contains(u, "itunes.com/dtds/podcast-1.0.dtd"):
		return iTunesNS
	case strings.Contains(u, "podcastindex.org/namespace/1.0"),
		strings.Contains(u, "podcastindex-org/podcast-namespace"):
		return podcastNS
	}
	return ""
}
