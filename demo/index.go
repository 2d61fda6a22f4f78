package demo

import (
	"encoding/xml"
	"html/template"
	"net/http"
	"time"
)

var indexTemplate = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Hark demo podcasts</title></head>
<body>
<h1>Hark demo podcasts</h1>
<p>{{len .}} generated shows. <a href="/opml">OPML of every feed</a>.</p>
<ul>
{{- range .}}
<li><a href="/feeds/{{.Slug}}.xml">{{.Title}}</a> by {{.Author}}: {{.Category}}{{with .Subcategory}} › {{.}}{{end}}, {{.Language}}, {{.Episodes}} episodes</li>
{{- end}}
</ul>
</body>
</html>
`))

// handleFeedIndex handles "GET /feeds/".
func (c *Catalogue) handleFeedIndex(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = indexTemplate.Execute(w, c.Shows()) // only a write to a gone client can fail
}

type opml struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Title   string        `xml:"head>title"`
	Created string        `xml:"head>dateCreated"`
	Body    []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Type    string `xml:"type,attr"`
	Text    string `xml:"text,attr"`
	Title   string `xml:"title,attr"`
	XMLURL  string `xml:"xmlUrl,attr"`
	HTMLURL string `xml:"htmlUrl,attr"`
}

// OPML returns an OPML 2.0 subscription list of every feed.
func (c *Catalogue) OPML() []byte {
	doc := opml{Version: "2.0", Title: "Hark demo podcasts", Created: c.cfg.Reference.Format(time.RFC1123Z)}
	urls := c.FeedURLs()
	for i := range c.shows {
		s := &c.shows[i]
		doc.Body = append(doc.Body, opmlOutline{Type: "rss", Text: s.Title, Title: s.Title, XMLURL: urls[i], HTMLURL: s.website})
	}
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic("demo: marshal OPML: " + err.Error()) // the types above always marshal
	}
	return append([]byte(xml.Header), append(b, '\n')...)
}

// handleOPML handles "GET /opml".
func (c *Catalogue) handleOPML(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/x-opml; charset=utf-8")
	_, _ = w.Write(c.OPML())
}
