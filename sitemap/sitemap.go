// Package sitemap cuts the podcast and episode pages into sitemap files and writes them
// (https://www.sitemaps.org/protocol.html). The web server serves the files and a periodic job
// (jobs.BuildSitemapsArgs) writes them ahead into Postgres, so that a crawler's fetch reads one
// stored row where writing a file reads and formats tens of thousands.
package sitemap

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"fmt"
	"math/bits"
	"time"

	"hark"
	"hark/db"
)

// Sizes. The protocol allows 50,000 URLs a file. Each file lists the podcasts whose random IDs
// fall in one range of equal width, or those podcasts' episodes, so file N is a keyset read of
// an index and costs the same wherever it lies, where OFFSET would read every row before it.
// The files are as many as make about Target rows each, a power of two so that the count moves
// only when the table doubles; a file of episodes exceeds MaxURLs only if its shows hold twice
// the expected episodes, and the LIMIT keeps the protocol's bound even then (see README,
// "Sitemaps").
const (
	Target   = 25000
	MaxURLs  = 50000
	MaxFiles = 1 << 16
	XMLNS    = "http://www.sitemaps.org/schemas/sitemap/0.9"
)

// Kinds are the tables the sitemaps list, in the order the index names them, each with the
// path of a row's page.
var Kinds = []struct {
	Name string
	Path func(id, title string) string
}{
	{"podcasts", hark.PodcastPath},
	{"episodes", hark.EpisodePath},
}

// pathOf returns the page path of kind's rows, or nil for an unknown kind.
func pathOf(kind string) func(id, title string) string {
	for _, k := range Kinds {
		if k.Name == kind {
			return k.Path
		}
	}
	return nil
}

// ValidKind reports whether kind names sitemap files.
func ValidKind(kind string) bool { return pathOf(kind) != nil }

// Files is how many files list n rows.
func Files(n int) int {
	need := max(1, (n+Target-1)/Target)
	return min(MaxFiles, 1<<bits.Len(uint(need-1)))
}

// Range is the ID range of file n (from 1) of files: [from, to), "" for no bound.
func Range(n, files int) (from, to string) {
	width := uint64(1<<32) / uint64(files)
	if n > 1 {
		from = fmt.Sprintf("%08x", uint64(n-1)*width)
	}
	if n < files {
		to = fmt.Sprintf("%08x", uint64(n)*width)
	}
	return from, to
}

// Name is the file name of file n of kind, as the index lists it under /sitemaps/.
func Name(kind string, n int) string { return fmt.Sprintf("%s-%d.xml", kind, n) }

// Build reads file n of files of kind from the store and writes it, gzipped, with the pages
// under base (Hark's public URL).
func Build(ctx context.Context, store *db.Store, base, kind string, n, files int) (db.SitemapFile, error) {
	path := pathOf(kind)
	if path == nil {
		return db.SitemapFile{}, fmt.Errorf("build sitemap: unknown kind %q", kind)
	}
	from, to := Range(n, files)
	entries, err := store.FindSitemapEntries(ctx, kind, from, to, MaxURLs)
	if err != nil {
		return db.SitemapFile{}, err
	}
	body, err := Gzip(Write(base, entries, path))
	if err != nil {
		return db.SitemapFile{}, err
	}
	return db.SitemapFile{Kind: kind, N: n, Files: files, Base: base, URLs: len(entries), Body: body, BuiltAt: time.Now()}, nil
}

// Gzip compresses a written file as it is stored and sent: crawlers ask for gzip, a file is
// a tenth of its size compressed, and Postgres then reads a tenth of the bytes.
func Gzip(file []byte) ([]byte, error) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(file); err != nil {
		return nil, fmt.Errorf("gzip sitemap: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("gzip sitemap: %w", err)
	}
	return b.Bytes(), nil
}

// Write writes a urlset of entries' pages under base, with when each last changed.
func Write(base string, entries []db.SitemapEntry, path func(id, title string) string) []byte {
	var escaped bytes.Buffer
	_ = xml.EscapeText(&escaped, []byte(base))
	var b bytes.Buffer
	b.Grow(len(xml.Header) + 120 + len(entries)*(escaped.Len()+110))
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="` + XMLNS + `">` + "\n")
	for _, e := range entries {
		// A path is a slug and an ID: letters, digits and hyphens, nothing to escape.
		b.WriteString("<url><loc>")
		b.Write(escaped.Bytes())
		b.WriteString(path(e.ID, e.Title))
		b.WriteString("</loc><lastmod>")
		b.Write(e.UpdatedAt.UTC().AppendFormat(b.AvailableBuffer(), "2006-01-02T15:04:05Z"))
		b.WriteString("</lastmod></url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}
