package http

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"hark"
	"hark/jobs"
	"hark/sitemap"
)

// sitemapCache is how long crawlers and caches may keep a sitemap.
const sitemapCache = "public, max-age=3600"

// sitemapStale is how old a stored sitemap file may be before a request writes it again: the
// build_sitemaps job rewrites them every jobs.SitemapsInterval, so only a stopped job leaves
// them this old.
const sitemapStale = 2 * jobs.SitemapsInterval

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
	for _, k := range sitemap.Kinds {
		n, err := s.store.EstimateRows(r.Context(), k.Name)
		if err != nil {
			return err
		}
		for i := range sitemap.Files(n) {
			locs = append(locs, s.cfg.BaseURL+"/sitemaps/"+sitemap.Name(k.Name, i+1))
		}
	}
	bw := startXML(w)
	bw.WriteString(`<sitemapindex xmlns="` + sitemap.XMLNS + `">` + "\n")
	for _, loc := range locs {
		bw.WriteString("<sitemap><loc>")
		_ = xml.EscapeText(bw, []byte(loc))
		bw.WriteString("</loc></sitemap>\n")
	}
	bw.WriteString("</sitemapindex>\n")
	return bw.Flush()
}

// handleSitemap handles "GET /sitemaps/{kind}-{n}.xml": one file of podcast or episode pages,
// with when each last changed. It serves the file build_sitemaps stored, and writes (and
// stores) the file itself when none is stored for the current count of files or the stored one
// is stale.
func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	name, ok := strings.CutSuffix(chi.URLParam(r, "file"), ".xml")
	kind, num, ok2 := strings.Cut(name, "-")
	n, err := strconv.Atoi(num)
	if !ok || !ok2 || !sitemap.ValidKind(kind) || err != nil || n < 1 {
		return hark.Errorf(hark.ErrNotFound, "No such sitemap.")
	}
	rows, err := s.store.EstimateRows(ctx, kind)
	if err != nil {
		return err
	}
	files := sitemap.Files(rows)
	if n > files {
		return hark.Errorf(hark.ErrNotFound, "No such sitemap: there are %d %s sitemaps.", files, kind)
	}
	f, notModified, err := s.store.FindSitemapFile(ctx, kind, n, files, s.cfg.BaseURL, etagValue(r.Header.Get("If-None-Match")))
	if err != nil && !errors.Is(err, hark.ErrNotFound) {
		return err
	}
	if err != nil || time.Since(f.CheckedAt) > sitemapStale {
		notModified = false
		if f, err = sitemap.Build(ctx, s.store, s.cfg.BaseURL, kind, n, files); err != nil {
			return err
		}
		if _, err := s.store.SaveSitemapFile(ctx, &f); err != nil {
			// The file is written: serve it, and let the next request or the job store it.
			s.logger.WarnContext(ctx, "Sitemap not stored", slog.String("file", sitemap.Name(kind, n)), slog.Any("error", err))
		}
	}
	h := w.Header()
	h.Set("Content-Type", "application/xml; charset=utf-8")
	h.Set("Cache-Control", sitemapCache)
	if f.Digest != "" {
		h.Set("ETag", `"`+f.Digest+`"`)
	}
	if notModified {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Add("Vary", "Accept-Encoding")
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", strconv.Itoa(len(f.Body)))
		_, _ = w.Write(f.Body)
		return nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(f.Body))
	if err != nil {
		return fmt.Errorf("read stored sitemap %s: %w", sitemap.Name(kind, n), err)
	}
	_, _ = io.Copy(w, zr)
	return nil
}

// acceptsGzip reports whether the request's Accept-Encoding takes gzip (without q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") || strings.TrimSpace(coding) == "*" {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// etagValue is the first entity tag of an If-None-Match header without its quotes (a weak
// one's too), or "".
func etagValue(ifNoneMatch string) string {
	tag, _, _ := strings.Cut(ifNoneMatch, ",")
	tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
	return strings.Trim(tag, `"`)
}

// startXML sets a sitemap's headers and writes the XML declaration.
func startXML(w http.ResponseWriter) *bufio.Writer {
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Cache-Control", sitemapCache)
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(xml.Header)
	return bw
}
