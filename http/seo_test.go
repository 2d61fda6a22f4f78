package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"hark"
	"hark/artwork"
	"hark/db"
	podhttp "hark/http"
	"hark/sitemap"
)

// TestSlugRedirects: pages live at /{kind}/{slug}-{id}; a bare ID or a wrong slug answers 301
// to it with the query kept, and the page names itself canonical.
func TestSlugRedirects(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	jazz := addJazzShow(t, b.store)
	pod, ep := jazz.podcast, jazz.episodes[0]
	podPath, epPath := podhttp.PodcastPath(pod.ID, pod.Title), podhttp.EpisodePath(ep.ID, ep.Title)
	if podPath != "/podcasts/the-jazz-hour-"+pod.ID {
		t.Fatalf("podcast path = %q", podPath)
	}
	for _, tt := range []struct{ from, to string }{
		{"/podcasts/" + pod.ID, podPath},
		{"/podcasts/the-old-name-" + pod.ID + "?before=1773576000000", podPath + "?before=1773576000000"},
		{"/episodes/" + ep.ID, epPath},
		{"/episodes/jazz-" + ep.ID, epPath},
	} {
		rec := b.get(t, tt.from)
		if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != tt.to {
			t.Errorf("GET %s = %d to %q, want 301 to %q", tt.from, rec.Code, rec.Header().Get("Location"), tt.to)
		}
	}
	for _, path := range []string{podPath, epPath} {
		doc := b.getPage(t, path, http.StatusOK)
		if href, _ := doc.Find(`link[rel="canonical"]`).Attr("href"); href != testBaseURL+path {
			t.Errorf("%s: canonical = %q", path, href)
		}
	}
	b.getPage(t, "/podcasts/the-jazz-hour", http.StatusNotFound)
	b.getPage(t, "/episodes/x-"+hark.NewID(), http.StatusNotFound)
}

// TestArtworkServed: a stored copy is served as JPEG of its size with an ETag, a year's cache
// and 304 to a matching If-None-Match; a failed or missing one is the title's placeholder.
func TestArtworkServed(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	ctx := t.Context()
	src := squarePNG(t, 900)
	r, err := artwork.Render(src)
	if err != nil {
		t.Fatal(err)
	}
	good, bad := "https://img.example/good.png", "https://img.example/bad.png"
	if err := b.store.SaveArtwork(ctx, db.Artwork{Key: artwork.Key(good), SourceURL: good, Title: "Good Show",
		Small: r.Copies[artwork.Small], Large: r.Copies[artwork.Large], Digest: "d1g3st"}); err != nil {
		t.Fatal(err)
	}
	if err := b.store.SaveArtwork(ctx, db.Artwork{Key: artwork.Key(bad), SourceURL: bad, Title: "Painted Radio", Error: "HTTP 404 Not Found"}); err != nil {
		t.Fatal(err)
	}
	for _, size := range artwork.Sizes {
		path := "/artwork/" + artwork.Key(good) + "/" + strconv.Itoa(size) + ".jpg"
		rec := b.get(t, path)
		cfg, format, err := image.DecodeConfig(rec.Body)
		if rec.Code != http.StatusOK || err != nil || format != "jpeg" || cfg.Width != size || cfg.Height != size {
			t.Fatalf("%s: %d, %s %dx%d (%v)", path, rec.Code, format, cfg.Width, cfg.Height, err)
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", path, cc)
		}
		etag := rec.Header().Get("ETag")
		if etag == "" {
			t.Fatalf("%s: no ETag", path)
		}
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("If-None-Match", etag)
		rec = httptest.NewRecorder()
		b.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 || rec.Header().Get("ETag") != etag {
			t.Errorf("%s with If-None-Match: %d, %d bytes; want an empty 304", path, rec.Code, rec.Body.Len())
		}
	}
	for _, tt := range []struct{ name, path, initials, cache string }{
		{"failed fetch", "/artwork/" + artwork.Key(bad) + "/300.jpg", ">PR<", "public, max-age=86400"},
		{"not fetched yet", "/artwork/" + artwork.Key("https://img.example/new.png") + "/600.jpg", ">♪<", "public, max-age=300"},
		{"no image", "/artwork/none/" + strconv.Itoa(artwork.Hue("Quiet Corner")) + "-QC.svg", ">QC<", "public, max-age=31536000, immutable"},
	} {
		rec := b.get(t, tt.path)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/svg+xml" ||
			!strings.Contains(rec.Body.String(), tt.initials) || rec.Header().Get("Cache-Control") != tt.cache {
			t.Errorf("%s: %d %q %q: %s", tt.name, rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Cache-Control"), rec.Body)
		}
		if err := xml.Unmarshal(rec.Body.Bytes(), new(struct{})); err != nil {
			t.Errorf("%s: placeholder is not XML: %v", tt.name, err)
		}
	}
	for _, path := range []string{"/artwork/" + artwork.Key(good) + "/301.jpg", "/artwork/nothex/300.jpg",
		"/artwork/none/400-QC.svg", "/artwork/none/10-<script>.svg", "/artwork/none/10-abc.svg"} {
		if rec := b.get(t, path); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, rec.Code)
		}
	}
}

// TestStructuredData: podcast and episode pages carry OpenGraph, a Twitter player card,
// oEmbed discovery and JSON-LD of the right @type, and show no feed image (no hotlinking).
func TestStructuredData(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	jazz := addJazzShow(t, b.store)
	pod, ep := jazz.podcast, jazz.episodes[0] // the newest, with an image of its own
	for _, tt := range []struct {
		path, ldType, player, image string
	}{
		{podhttp.PodcastPath(pod.ID, pod.Title), "PodcastSeries", "/embed/podcasts/" + pod.ID, pod.ImageURL},
		{podhttp.EpisodePath(ep.ID, ep.Title), "PodcastEpisode", "/embed/episodes/" + ep.ID, ep.ImageURL},
	} {
		doc := b.getPage(t, tt.path, http.StatusOK)
		meta := func(attr, name string) string {
			v, _ := doc.Find(`meta[` + attr + `="` + name + `"]`).Attr("content")
			return v
		}
		wantImage := testBaseURL + "/artwork/" + artwork.Key(tt.image) + "/600.jpg"
		if got := meta("property", "og:image"); got != wantImage {
			t.Errorf("%s: og:image %q, want %q", tt.path, got, wantImage)
		}
		if meta("property", "og:url") != testBaseURL+tt.path || meta("property", "og:title") == "" || meta("property", "og:image:width") != "600" {
			t.Errorf("%s: OpenGraph url %q title %q width %q", tt.path, meta("property", "og:url"), meta("property", "og:title"), meta("property", "og:image:width"))
		}
		if meta("name", "twitter:card") != "player" || meta("name", "twitter:player") != testBaseURL+tt.player ||
			meta("name", "twitter:player:width") == "" || meta("name", "twitter:player:height") == "" {
			t.Errorf("%s: Twitter card %q player %q", tt.path, meta("name", "twitter:card"), meta("name", "twitter:player"))
		}
		oembed, _ := doc.Find(`link[rel="alternate"][type="application/json+oembed"]`).Attr("href")
		if u, err := url.Parse(oembed); err != nil || u.Query().Get("url") != testBaseURL+tt.path {
			t.Errorf("%s: oEmbed discovery %q", tt.path, oembed)
		}
		scripts := doc.Find(`script[type="application/ld+json"]`)
		if scripts.Length() != 1 {
			t.Fatalf("%s: %d JSON-LD scripts", tt.path, scripts.Length())
		}
		var ld map[string]any
		if err := json.Unmarshal([]byte(scripts.Text()), &ld); err != nil {
			t.Fatalf("%s: JSON-LD does not parse: %v\n%s", tt.path, err, scripts.Text())
		}
		if ld["@context"] != "https://schema.org" || ld["@type"] != tt.ldType || ld["url"] != testBaseURL+tt.path || ld["image"] != wantImage {
			t.Errorf("%s: JSON-LD %v", tt.path, ld)
		}
		// Show notes keep only Hark's copies of their images (TestCrawledNotesImagesAndChapters).
		doc.Find("img").Each(func(_ int, img *goquery.Selection) {
			src, _ := img.Attr("src")
			lazy, _ := img.Attr("loading")
			_, w := img.Attr("width")
			_, h := img.Attr("height")
			if !strings.HasPrefix(src, "/artwork/") || lazy != "lazy" || !w || !h {
				t.Errorf("%s: <img src=%q loading=%q>; want Hark's artwork, lazy, with width and height", tt.path, src, lazy)
			}
		})
	}
	if ld := b.getPage(t, podhttp.EpisodePath(ep.ID, ep.Title), http.StatusOK).Find(`script[type="application/ld+json"]`).Text(); !strings.Contains(ld, `"partOfSeries"`) || !strings.Contains(ld, `"contentUrl":"https://audio.example/3.mp3"`) {
		t.Errorf("episode JSON-LD lacks its series or audio: %s", ld)
	}
	// The hostile description is data: it cannot close the script element.
	if body := b.get(t, podhttp.PodcastPath(pod.ID, pod.Title)).Body.String(); strings.Contains(body, "<script>alert") {
		t.Error("the page carries the description's <script> as markup")
	}
}

// TestOEmbed: /oembed answers a rich oEmbed 1.0 response for this site's podcast and episode
// URLs within maxwidth and maxheight, 404 for others, 501 for XML.
func TestOEmbed(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	jazz := addJazzShow(t, b.store)
	pod, ep := jazz.podcast, jazz.episodes[1]
	epURL := testBaseURL + podhttp.EpisodePath(ep.ID, ep.Title)
	got := b.getJSON(t, "/oembed?format=json&url="+url.QueryEscape(epURL), http.StatusOK)
	for k, want := range map[string]any{"type": "rich", "version": "1.0", "provider_name": "Hark",
		"title": "Bebop", "width": float64(500), "height": float64(180), "thumbnail_width": float64(600), "thumbnail_height": float64(600),
		"thumbnail_url": testBaseURL + "/artwork/" + artwork.Key(pod.ImageURL) + "/600.jpg"} {
		if got[k] != want {
			t.Errorf("oembed %s = %#v, want %#v", k, got[k], want)
		}
	}
	if h, _ := got["html"].(string); !strings.HasPrefix(h, `<iframe src="`+testBaseURL+`/embed/episodes/`+ep.ID+`"`) || !strings.Contains(h, `width="500" height="180"`) {
		t.Errorf("oembed html = %q", h)
	}

	got = b.getJSON(t, "/oembed?maxwidth=320&maxheight=120&url="+url.QueryEscape(testBaseURL+"/podcasts/"+pod.ID), http.StatusOK)
	if got["width"] != float64(320) || got["height"] != float64(120) || got["thumbnail_width"] != nil || !strings.Contains(got["html"].(string), "/embed/podcasts/"+pod.ID) {
		t.Errorf("podcast oembed within 320x120 = %v; want the player shrunk and no thumbnail larger than the bounds", got)
	}
	got = b.getJSON(t, "/oembed?maxwidth=400&maxheight=400&url="+url.QueryEscape(testBaseURL+"/podcasts/"+pod.ID), http.StatusOK)
	if got["thumbnail_width"] != float64(300) || !strings.HasSuffix(got["thumbnail_url"].(string), "/300.jpg") {
		t.Errorf("podcast oembed within 400x400: thumbnail %v %v; want the 300 px copy", got["thumbnail_url"], got["thumbnail_width"])
	}

	for _, tt := range []struct {
		target string
		status int
	}{
		{"/oembed?format=xml&url=" + url.QueryEscape(epURL), http.StatusNotImplemented},
		{"/oembed?url=" + url.QueryEscape(testBaseURL+"/episodes/"+hark.NewID()), http.StatusNotFound},
		{"/oembed?url=" + url.QueryEscape("https://elsewhere.example/episodes/"+ep.ID), http.StatusNotFound},
		{"/oembed?url=" + url.QueryEscape(testBaseURL+"/search?q=jazz"), http.StatusNotFound},
		{"/oembed", http.StatusBadRequest},
	} {
		if e := b.getJSON(t, tt.target, tt.status); e["error"] == nil {
			t.Errorf("%s: body %v has no error", tt.target, e)
		}
	}
}

// TestSitemaps: robots.txt names the sitemap index; the index and every file it lists validate
// against the sitemap schema (xmllint with http/testdata's XSD) and a strict reading here: the
// namespace, absolute canonical locs, W3C lastmod, at most 50,000 URLs.
func TestSitemaps(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	jazz := addJazzShow(t, b.store)
	rec := b.get(t, "/robots.txt")
	if !strings.Contains(rec.Body.String(), "Sitemap: "+testBaseURL+"/sitemap.xml\n") || !strings.Contains(rec.Body.String(), "Disallow: /search\n") {
		t.Errorf("robots.txt:\n%s", rec.Body)
	}
	index := b.get(t, "/sitemap.xml")
	validateXML(t, "sitemap.xml", index.Body.Bytes(), "siteindex.xsd")
	var idx struct {
		XMLName xml.Name
		Locs    []string `xml:"sitemap>loc"`
	}
	if err := xml.Unmarshal(index.Body.Bytes(), &idx); err != nil || idx.XMLName.Space != "http://www.sitemaps.org/schemas/sitemap/0.9" || idx.XMLName.Local != "sitemapindex" {
		t.Fatalf("index: %v %v", idx.XMLName, err)
	}
	want := []string{testBaseURL + "/sitemaps/podcasts-1.xml", testBaseURL + "/sitemaps/episodes-1.xml"}
	if strings.Join(idx.Locs, " ") != strings.Join(want, " ") {
		t.Fatalf("index lists %v, want %v", idx.Locs, want)
	}
	var locs []string
	lastmod := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`)
	for _, loc := range idx.Locs {
		rec := b.get(t, strings.TrimPrefix(loc, testBaseURL))
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/xml; charset=utf-8" {
			t.Fatalf("%s: %d %q", loc, rec.Code, rec.Header().Get("Content-Type"))
		}
		validateXML(t, loc, rec.Body.Bytes(), "sitemap.xsd")
		var set struct {
			XMLName xml.Name
			URLs    []struct {
				Loc     string `xml:"loc"`
				Lastmod string `xml:"lastmod"`
			} `xml:"url"`
		}
		if err := xml.Unmarshal(rec.Body.Bytes(), &set); err != nil || set.XMLName.Space != "http://www.sitemaps.org/schemas/sitemap/0.9" || set.XMLName.Local != "urlset" {
			t.Fatalf("%s: %v %v", loc, set.XMLName, err)
		}
		if len(set.URLs) > 50000 {
			t.Errorf("%s lists %d URLs", loc, len(set.URLs))
		}
		for _, u := range set.URLs {
			if !lastmod.MatchString(u.Lastmod) {
				t.Errorf("%s: lastmod %q", loc, u.Lastmod)
			}
			locs = append(locs, u.Loc)
		}
	}
	wantLocs := []string{testBaseURL + podhttp.PodcastPath(jazz.podcast.ID, jazz.podcast.Title)}
	for _, e := range jazz.episodes {
		wantLocs = append(wantLocs, testBaseURL+podhttp.EpisodePath(e.ID, e.Title))
	}
	for _, w := range wantLocs {
		if !strings.Contains(strings.Join(locs, "\n"), w) {
			t.Errorf("sitemaps lack %s", w)
		}
	}
	if len(locs) != len(wantLocs) {
		t.Errorf("sitemaps list %d URLs, want %d", len(locs), len(wantLocs))
	}
	for _, path := range []string{"/sitemaps/episodes-2.xml", "/sitemaps/episodes-0.xml", "/sitemaps/users-1.xml", "/sitemaps/episodes-1.txt"} {
		if rec := b.get(t, path); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, rec.Code)
		}
	}
}

// validateXML runs xmllint --schema on doc. make test installs xmllint (scripts/xmllint.sh); a
// developer's run without it skips this half.
func validateXML(t *testing.T, name string, doc []byte, schema string) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		if os.Getenv("HARK_REQUIRE_SERVICES") != "" {
			t.Fatal("xmllint is missing: run scripts/xmllint.sh")
		}
		t.Log("xmllint missing: schema validation skipped")
		return
	}
	f := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(t.Context(), "xmllint", "--noout", "--nonet", "--schema", filepath.Join("testdata", schema), f).CombinedOutput()
	if err != nil {
		t.Errorf("%s does not validate against %s: %v\n%s", name, schema, err, out)
	}
}

func squarePNG(t *testing.T, side int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	img.Set(1, 1, color.Transparent)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSitemapFilesStored: a sitemap file is served from what build_sitemaps (or an earlier
// request) stored, with an ETag that answers 304; a stale stored file is written afresh.
func TestSitemapFilesStored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, setupOpts{})
	jazz := addJazzShow(t, b.store)
	first := b.get(t, "/sitemaps/podcasts-1.xml")
	etag := first.Header().Get("ETag")
	if first.Code != http.StatusOK || etag == "" || !strings.Contains(first.Body.String(), podhttp.PodcastPath(jazz.podcast.ID, jazz.podcast.Title)) {
		t.Fatalf("first fetch: %d, ETag %q:\n%s", first.Code, etag, first.Body)
	}
	req := httptest.NewRequest(http.MethodGet, "/sitemaps/podcasts-1.xml", nil)
	req.Header.Set("If-None-Match", etag)
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("fetch with If-None-Match %s: %d, %d bytes; want 304 and no body", etag, rec.Code, rec.Body.Len())
	}

	// What is stored is what is served, as the job wrote it.
	empty := xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>` + "\n"
	body, err := sitemap.Gzip([]byte(empty))
	if err != nil {
		t.Fatal(err)
	}
	stored := db.SitemapFile{Kind: "podcasts", N: 1, Files: 1, Base: testBaseURL, URLs: 0, BuiltAt: time.Now(), Body: body}
	if _, err := b.store.SaveSitemapFile(ctx, &stored); err != nil {
		t.Fatal(err)
	}
	if rec := b.get(t, "/sitemaps/podcasts-1.xml"); rec.Body.String() != empty || rec.Header().Get("ETag") != `"`+stored.Digest+`"` {
		t.Errorf("served %q with ETag %s; want the stored file %q", rec.Body, rec.Header().Get("ETag"), empty)
	}
	// A crawler that takes gzip gets the stored bytes as they are.
	req = httptest.NewRequest(http.MethodGet, "/sitemaps/podcasts-1.xml", nil)
	req.Header.Set("Accept-Encoding", "br;q=1.0, gzip;q=0.8")
	rec = httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	if rec.Header().Get("Content-Encoding") != "gzip" || !bytes.Equal(rec.Body.Bytes(), body) {
		t.Errorf("gzip fetch: Content-Encoding %q, %d bytes; want the stored %d gzip bytes", rec.Header().Get("Content-Encoding"), rec.Body.Len(), len(body))
	}
	// A stored file older than the job would leave it is written again from the catalogue.
	stored.BuiltAt = time.Now().Add(-3 * time.Hour)
	if stored.Body, err = sitemap.Gzip([]byte(empty + " ")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.SaveSitemapFile(ctx, &stored); err != nil {
		t.Fatal(err)
	}
	if rec := b.get(t, "/sitemaps/podcasts-1.xml"); !strings.Contains(rec.Body.String(), podhttp.PodcastPath(jazz.podcast.ID, jazz.podcast.Title)) {
		t.Errorf("a stale stored file was served:\n%s", rec.Body)
	}
	// A stale file whose pages did not change is written again once, and is then fresh: it was
	// written again by every request while its body's time was read as its age.
	fresh, _, err := b.store.FindSitemapFile(ctx, "podcasts", 1, 1, testBaseURL, "")
	if err != nil {
		t.Fatal(err)
	}
	fresh.BuiltAt = time.Now().Add(-3 * time.Hour)
	if changed, err := b.store.SaveSitemapFile(ctx, &fresh); err != nil || changed {
		t.Fatalf("saving the same body: changed %v, %v; want unchanged", changed, err)
	}
	b.get(t, "/sitemaps/podcasts-1.xml")
	rewritten, _, err := b.store.FindSitemapFile(ctx, "podcasts", 1, 1, testBaseURL, "")
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(rewritten.CheckedAt) > time.Minute || rewritten.Digest != fresh.Digest {
		t.Errorf("stale unchanged file after a request: checked at %v, digest %s (was %s); want checked now, same body",
			rewritten.CheckedAt, rewritten.Digest, fresh.Digest)
	}
	b.get(t, "/sitemaps/podcasts-1.xml")
	if again, _, err := b.store.FindSitemapFile(ctx, "podcasts", 1, 1, testBaseURL, ""); err != nil || !again.CheckedAt.Equal(rewritten.CheckedAt) {
		t.Errorf("a fresh file was written again: checked at %v, was %v (%v)", again.CheckedAt, rewritten.CheckedAt, err)
	}
}
