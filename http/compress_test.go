package http_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestCompression: pages and API answers are gzipped for clients that take gzip, and decode to
// what a client without gzip gets; a client without gzip gets them plain.
func TestCompression(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	jazz := addJazzShow(t, b.store)
	for _, target := range []string{"/", "/podcasts/" + jazz.podcast.ID + "?x=1", "/api/v2/genres", "/robots.txt"} {
		plain := b.get(t, target)
		if plain.Header().Get("Content-Encoding") != "" {
			t.Errorf("%s without Accept-Encoding: Content-Encoding %q", target, plain.Header().Get("Content-Encoding"))
		}
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		if strings.HasPrefix(target, "/api/") {
			req.Header.Set("X-ListenAPI-Key", b.key)
		}
		rec := httptest.NewRecorder()
		b.srv.ServeHTTP(rec, req)
		if rec.Code != plain.Code || rec.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s with gzip: %d, Content-Encoding %q, Vary %q; want %d gzipped", target, rec.Code,
				rec.Header().Get("Content-Encoding"), rec.Header().Get("Vary"), plain.Code)
			continue
		}
		zipped := rec.Body.Len()
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		body, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		// The home page's counts may move between the two fetches; the others may not.
		if target != "/" && string(body) != plain.Body.String() {
			t.Errorf("%s: gzipped answer decodes to %d bytes, the plain one is %d", target, len(body), plain.Body.Len())
		}
		if len(body) == 0 || len(body) > 1000 && zipped >= len(body)/2 {
			t.Errorf("%s: %d bytes gzipped for %d plain", target, zipped, len(body))
		}
	}
}
