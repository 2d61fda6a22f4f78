package http

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"math/bits"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"hark"
)

// Sitemap sizes. The sitemap protocol allows 50,000 URLs a file. Each file lists the podcasts
// whose random IDs fall in one range of equal width, or those podcasts' episodes, so file N is
// a keyset read of an index and costs the same wherever it lies, where OFFSET would read every
// row before it. The files are as many as make about sitemapTarget rows each, a power of two so
// that the count moves only when the table doubles; a file of episodes exceeds sitemapMaxURLs
// only if its shows hold twice the expected episodes, and the LIMIT keeps the protocol's bound
// even then (see README, "Sitemaps").
const (
	sitemapTarget   = 25000
	sitemapMaxURLs  = 50000
	sitemapMaxFiles = 1 << 16
	sitemapXMLNS    = "http://www.sitemaps.org/schemas/sitemap/0.9"
	sitemapCache    = "public, max-age=3600"
)

// sitemapKinds are the pages the sitemaps list, by the name in their files' names.
var sitemapKinds = map[string]func(id, title string) string{
	"podcasts": podcastPath,
	"episodes": episodePath,
}

// sitemapFiles is how many files list n rows.
func sitemapFiles(n int) int {
	need := max(1, (n+sitemapTarget-1)/sitemapTarget)
	return min(sitemapMaxFiles, 1<<bits.Len(uint(need-1)))
}

// sitemapRange is the ID range of file n (from 1) of files: [from, to), "" for no bound.
func sitemapRange(n, files int) (from, to string) {
	width := uint64(1<<32) / uint64(files)
	if n > 1 {
		from = fmt.Sprintf("%08x", uint64(n-1)*width)
	}
	if n < files {
		to = fmt.Sprintf("%08x", uint64(n)*width)
	}
	return from, to
}

// handleRobots handles "GET /robots.txt": everything but search results, typeahead, the API
// and operator views may be crawled; the embeds and artwork stay open, as card scrapers
// (Twitterbot among them) obey robots.txt.
func (s *Server) handleRobots(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", sitemapCache)
	_, err := fmt.Fprintf(w, "User-agent: *\nDisallow: /search\nDisallow: /suggest\nDisallow: /api/\n"+
		"Disallow: /account\nDisallow: /riverui\nDisallow: /metrics\nDisallow: /admin\n\nSitemap: %s/sitemap.xml\n", s.cfg.BaseURL)
	return err
}

// handleSitemapIndex handles "GET /sitemap.xml": the index of the podcast and episode sitemaps.
func (s *Server) handleSitemapIndex(w http.ResponseWriter, r *http.Request) error {
	var locs []string
	for _, kind := range []string{"podcasts", "episodes"} {
		n, err := s.store.EstimateRows(r.Context(), kind)
		if err != nil {
			return err
		}
		for i := range sitemapFiles(n) {
			locs = append(locs, s.cfg.BaseURL+"/sitemaps/"+kind+"-"+strconv.Itoa(i+1)+".xml")
		}
	}
	bw := startXML(w)
	bw.WriteString(`<sitemapindex xmlns="` + sitemapXMLNS + `">` + "\n")
	for _, loc := range locs {
		bw.WriteString("<sitemap><loc>")
		_ = xml.EscapeText(bw, []byte(loc))
		bw.WriteString("</loc></sitemap>\n")
	}
	bw.WriteString("</sitemapindex>\n")
	return bw.Flush()
}

// handleSitemap handles "GET /sitemaps/{kind}-{n}.xml": one file of podcast or episode pages,
// with when each last changed.
func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request) error {
	name, ok := strings.CutSuffix(chi.URLParam(r, "file"), ".xml")
	kind, num, ok2 := strings.Cut(name, "-")
	path, ok3 := sitemapKinds[kind]
	n, err := strconv.Atoi(num)
	if !ok || !ok2 || !ok3 || err != nil || n < 1 {
		return hark.Errorf(hark.ErrNotFound, "No such sitemap.")
	}
	rows, err := s.store.EstimateRows(r.Context(), kind)
	if err != nil {
		return err
	}
	files := sitemapFiles(rows)
	if n > files {
		return hark.Errorf(hark.ErrNotFound, "No such sitemap: there are %d %s sitemaps.", files, kind)
	}
	from, to := sitemapRange(n, files)
	entries, err := s.store.FindSitemapEntries(r.Context(), kind, from, to, sitemapMaxURLs)
	if err != nil {
		return err
	}
	var base bytes.Buffer
	_ = xml.EscapeText(&base, []byte(s.cfg.BaseURL))
	bw := startXML(w)
	bw.WriteString(`<urlset xmlns="` + sitemapXMLNS + `">` + "\n")
	for _, e := range entries {
		// A path is a slug and an ID: letters, digits and hyphens, nothing to escape.
		bw.WriteString("<url><loc>")
		bw.Write(base.Bytes())
		bw.WriteString(path(e.ID, e.Title))
		bw.WriteString("</loc><lastmod>")
		bw.Write(e.UpdatedAt.UTC().AppendFormat(bw.AvailableBuffer(), "2006-01-02T15:04:05Z"))
		bw.WriteString("</lastmod></url>\n")
	}
	bw.WriteString("</urlset>\n")
	return bw.Flush()
}

// startXML sets a sitemap's headers and writes the XML declaration.
func startXML(w http.ResponseWriter) *bufio.Writer {
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Cache-Control", sitemapCache)
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(xml.Header)
	return bw
}
