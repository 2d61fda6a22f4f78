package search

import (
	"html"
	"strings"

	"github.com/typesense/typesense-go/v3/typesense/api"

	"hark"
)

// hit turns a Typesense hit into a SearchHit with its highlighted fields.
func (p *searchPlan) hit(h *api.SearchResultHit) hark.SearchHit {
	m := docMap(deref(h.Document))
	marks := highlights(h)
	var out hark.SearchHit
	var title, description, publisher string
	if p.kind == kindPodcasts {
		out.Podcast = podcastFromDoc(m)
		title, description, publisher = out.Podcast.Title, out.Podcast.Description, out.Podcast.Publisher
	} else {
		out.Episode, out.Podcast = episodeFromDoc(m), podcastOfEpisodeDoc(m)
		title, description, publisher = out.Episode.Title, out.Episode.Description, out.Podcast.Publisher
	}
	out.TitleHighlighted = lineHTML(marks["title"], title)
	out.DescriptionHighlighted = snippetHTML(marks["description"], description)
	out.PublisherHighlighted = lineHTML(marks["publisher"], publisher)
	return out
}

// highlights returns, per field, Typesense's text with matches marked: the full value where we
// asked for one (highlight_full_fields), else the snippet. 0.24.1 answers with both the
// "highlight" object and the older "highlights" list; newer servers may leave the list out, so we
// read the object.
func highlights(h *api.SearchResultHit) map[string]string {
	out := map[string]string{}
	for field, v := range deref(h.Highlight) {
		m, _ := v.(map[string]any)
		if s, ok := m["value"].(string); ok && s != "" {
			out[field] = s
		} else if s, ok := m["snippet"].(string); ok && s != "" {
			out[field] = s
		}
	}
	return out
}

// lineHTML renders a short field: highlighted when it matched, else escaped.
func lineHTML(marked, plain string) string {
	if !strings.Contains(marked, markStart) {
		return html.EscapeString(plain)
	}
	return highlightHTML(marked)
}

// snippetHTML renders a description: the highlighted snippet around the matches, with "…" where
// it cuts the text, else the escaped start of the text.
func snippetHTML(marked, plain string) string {
	if !strings.Contains(marked, markStart) {
		return html.EscapeString(firstWords(plain, 2*snippetTokens+1))
	}
	text := unmark(marked)
	out := highlightHTML(marked)
	if !strings.HasPrefix(plain, text) {
		out = "…" + out
	}
	if !strings.HasSuffix(plain, text) {
		out += "…"
	}
	return out
}
