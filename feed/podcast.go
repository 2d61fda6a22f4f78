package feed

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/rss"

	"hark"
)

// buildFeed maps a gofeed result onto a hark.Feed.
func buildFeed(gf *gofeed.Feed, ns namespaces, feedURL string, w *warnings) *hark.Feed {
	x := newExtView(gf.Extensions, ns)
	base := firstNonEmpty(feedURL, gf.FeedLink, gf.Link)
	f := &hark.Feed{Podcast: buildPodcast(gf, x, feedURL, base)}
	if f.Podcast.Title == "" {
		w.addf("the feed has no title")
	}
	f.NewFeedURL = newFeedURL(text(x.itunes, "new-feed-url"), feedURL)
	f.WebSubHub, f.WebSubSelf = webSubLinks(gf)
	if r, ok := gf.OriginalFeed().(*rss.Feed); ok {
		if minutes, err := strconv.Atoi(strings.TrimSpace(r.TTL)); err == nil && minutes > 0 && minutes < 1e6 {
			f.TTL = time.Duration(minutes) * time.Minute
		}
	}
	f.Episodes = buildEpisodes(gf.Items, ns, base, personNames(x), w)
	return f
}

// buildPodcast maps the channel.
func buildPodcast(gf *gofeed.Feed, x extView, feedURL, base string) hark.Podcast {
	p := hark.Podcast{
		Title:       cleanLine(firstNonEmpty(gf.Title, text(x.itunes, "title"))),
		Publisher:   cleanLine(publisher(gf, x)),
		Description: cleanHTML(richest(gf.Description, text(x.itunes, "summary"), text(x.itunes, "subtitle"))),
		ImageURL:    resolveURL(base, firstNonEmpty(x.iTunesImage(), channelImage(gf))),
		WebsiteURL:  resolveURL(base, gf.Link),
		Language:    normalizeLanguage(gf.Language),
		Country:     languageRegion(normalizeLanguage(gf.Language)),
		Explicit:    yes(text(x.itunes, "explicit")),
		Categories:  iTunesCategories(x),
		Type:        podcastType(text(x.itunes, "type")),
		Complete:    yes(text(x.itunes, "complete")),
		Locked:      yes(text(x.podcast, "locked")),
		Medium:      strings.ToLower(text(x.podcast, "medium")),
		FundingURL:  resolveURL(base, attr(x.podcast, "funding", "url")),
		OwnerEmail:  strings.TrimPrefix(child(x.itunes, "owner", "email"), "mailto:"),
	}
	p.GenreIDs = hark.GenreIDsForCategories(p.Categories)
	if n, err := NormalizeURL(feedURL); err == nil {
		p.FeedURL = n
	}
	p.PodcastGUID = podcastGUID(text(x.podcast, "guid"), feedURL)
	return p
}

// publisher picks itunes:author, else the managing editor's or author's name, else the
// itunes:owner name.
func publisher(gf *gofeed.Feed, x extView) string {
	if a := personName(text(x.itunes, "author")); a != "" {
		return a
	}
	if r, ok := gf.OriginalFeed().(*rss.Feed); ok {
		if name := personName(r.ManagingEditor); name != "" {
			return name
		}
	}
	for _, a := range gf.Authors {
		if name := personName(a.Name); name != "" {
			return name
		}
	}
	return child(x.itunes, "owner", "name")
}

// emailNamePattern matches "email (Name)"; namEmailPattern "Name <email>" and "Name (email)".
var (
	emailNamePattern = regexp.MustCompile(`^\S+@\S+\s*\((.+)\)$`)
	nameEmailPattern = regexp.MustCompile(`^(.+?)\s*[<(]\S+@\S+[>)]$`)
)

// personName returns the name in an RSS person field; a bare email address gives "".
func personName(s string) string {
	s = strings.TrimSpace(s)
	if m := emailNamePattern.FindStringSubmatch(s); m != nil {
		return strings.TrimSpace(m[1])
	}
	if m := nameEmailPattern.FindStringSubmatch(s); m != nil {
		return strings.TrimSpace(m[1])
	}
	if strings.Contains(s, "@") && !strings.Contains(s, " ") {
		return ""
	}
	return s
}

// channelImage returns the RSS <image><url> or the Atom logo or icon.
func channelImage(gf *gofeed.Feed) string {
	switch orig := gf.OriginalFeed().(type) {
	case *rss.Feed:
		if orig.Image != nil {
			return orig.Image.URL
		}
	case *atom.Feed:
		return firstNonEmpty(orig.Logo, orig.Icon)
	}
	return ""
}

// normalizeLanguage lower-cases a language tag and writes "en_US" as "en-us".
func normalizeLanguage(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "_", "-")
	if len(s) > 35 || strings.ContainsAny(s, " <>\"'") {
		return ""
	}
	return s
}

// languageRegion returns the country a language tag names ("us" of "en-us", "br" of "pt-br"), or
// "". RSS has no field for the country a show comes from; the region of its language is the one
// sign a feed gives, and what the Listen API's region filter then has to go on.
func languageRegion(lang string) string {
	for i, sub := range strings.Split(lang, "-") {
		if i > 0 && len(sub) == 2 && 'a' <= sub[0] && sub[0] <= 'z' && 'a' <= sub[1] && sub[1] <= 'z' {
			return sub
		}
	}
	return ""
}

// iTunesCategories lists itunes:category as "Parent" and "Parent > Child", without duplicates.
func iTunesCategories(x extView) []string {
	var out []string
	seen := map[string]bool{}
	add := func(c string) {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for _, c := range x.itunes["category"] {
		parent := cleanLine(c.Attrs["text"])
		if parent == "" {
			continue
		}
		add(parent)
		for _, sub := range c.Children["category"] {
			if name := cleanLine(sub.Attrs["text"]); name != "" {
				add(parent + " > " + name)
			}
		}
	}
	return out
}

// podcastType returns "serial" or "episodic", Apple's default.
func podcastType(s string) string {
	if strings.EqualFold(strings.TrimSpace(s), "serial") {
		return "serial"
	}
	return "episodic"
}

// podcastGUID returns the feed's podcast:guid when it is a UUID, else the one computed from
// the feed URL, else "".
func podcastGUID(declared, feedURL string) string {
	if u, err := uuid.Parse(declared); err == nil {
		return u.String()
	}
	if strings.TrimSpace(feedURL) == "" {
		return ""
	}
	return PodcastGUID(feedURL)
}

// newFeedURL returns itunes:new-feed-url normalised, when it is valid and not the URL fetched.
func newFeedURL(declared, feedURL string) string {
	n, err := NormalizeURL(declared)
	if err != nil || declared == "" {
		return ""
	}
	if cur, err := NormalizeURL(feedURL); err == nil && cur == n {
		return ""
	}
	return n
}

// webSubLinks returns the rel="hub" and rel="self" links of the channel.
func webSubLinks(gf *gofeed.Feed) (hub, self string) {
	if a, ok := gf.OriginalFeed().(*atom.Feed); ok {
		for _, l := range a.Links {
			hub, self = pickLink(hub, self, l.Rel, l.Href)
		}
		return hub, self
	}
	for key, elems := range gf.Extensions {
		if key != "atom" && key != "atom10" && key != "atom03" {
			continue
		}
		for _, l := range elems["link"] {
			hub, self = pickLink(hub, self, l.Attrs["rel"], l.Attrs["href"])
		}
	}
	return hub, self
}

// pickLink keeps the first hub and self links seen.
func pickLink(hub, self, rel, href string) (string, string) {
	href = resolveURL("", href)
	switch strings.ToLower(strings.TrimSpace(rel)) {
	case "hub":
		hub = firstNonEmpty(hub, href)
	case "self":
		self = firstNonEmpty(self, href)
	}
	return hub, self
}

// personNames returns the podcast:person names of a channel or item, without duplicates.
func personNames(x extView) []string {
	var names []string
	seen := map[string]bool{}
	for _, p := range x.podcast["person"] {
		if n := cleanLine(p.Value); n != "" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	return names
}
