package http

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// staticAsset is one embedded file of http/static, named for the page by a hash of its content
// ("app.3f9a1c2e.js"), so that browsers may keep it a year and still see a new release at once.
type staticAsset struct {
	file string // the name in http/static
	url  string // what pages link, under /static/
}

// staticAssets maps both names of every file to it: the fingerprinted one and the plain one.
var staticAssets = func() map[string]staticAsset {
	m := map[string]staticAsset{}
	_ = fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		a := staticAsset{file: name, url: "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext}
		m[name], m[strings.TrimPrefix(a.url, "/static/")] = a, a
		return nil
	})
	return m
}()

// staticURL is the template function "static": the fingerprinted URL of a file of http/static.
// An unknown name is a template bug, so it panics at render and fails the page's tests.
func staticURL(name string) string {
	a, ok := staticAssets[name]
	if !ok {
		panic("static: no file " + name)
	}
	return a.url
}

// staticHandler serves http/static under /static/: the fingerprinted names for a year, the plain
// names (for the rare link that has no template, like a bookmarked favicon) for an hour.
func staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		a, ok := staticAssets[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if name == a.file {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/" + a.file
		files.ServeHTTP(w, r2)
	})
}
