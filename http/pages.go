package http

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"time"

	"hark"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// layoutPages share templates/layout.html; standalone pages are whole documents.
var (
	layoutPages     = []string{"home", "search", "podcast", "episode", "genres", "genre", "publisher", "submit", "docs_api", "error", "signup", "account"}
	standalonePages = []string{"embed"}
	// adminPages share templates/admin_layout.html, the operator pages' frame.
	adminPages = []string{"admin_login", "admin_overview", "admin_crawl", "admin_moderation", "admin_keys", "errors"}
)

// pages holds the parsed templates, one set per page.
type pages struct {
	tmpl map[string]*template.Template
}

// newPages parses the embedded templates. They are part of the binary, so a parse error is a
// programming error and panics at start-up.
func newPages() *pages {
	p := &pages{tmpl: map[string]*template.Template{}}
	for _, name := range layoutPages {
		p.tmpl[name] = template.Must(template.New(name).Funcs(templateFuncs).
			ParseFS(templateFS, "templates/layout.html", "templates/meta.html", "templates/parts.html", "templates/"+name+".html"))
	}
	for _, name := range adminPages {
		p.tmpl[name] = template.Must(template.New(name).Funcs(templateFuncs).
			ParseFS(templateFS, "templates/admin_layout.html", "templates/"+name+".html"))
	}
	for _, name := range standalonePages {
		p.tmpl[name] = template.Must(template.New(name).Funcs(templateFuncs).
			ParseFS(templateFS, "templates/parts.html", "templates/"+name+".html"))
	}
	return p
}

// page is what every template gets: the page's own data in Data.
type page struct {
	Title   string
	Query   string // the search box's text
	BaseURL string
	Data    any
	Meta    *pageMeta // canonical link, cards and structured data (templates/meta.html); nil for none
}

// render writes the named page with status. It renders into a buffer first, so a template error
// becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, pg page) error {
	b, err := s.renderPage(name, pg)
	if err != nil {
		return err
	}
	writeHTML(w, status, b)
	return nil
}

// renderPage renders the named page.
func (s *Server) renderPage(name string, pg page) ([]byte, error) {
	t, ok := s.pages.tmpl[name]
	if !ok {
		return nil, fmt.Errorf("render: no template %q", name)
	}
	pg.BaseURL = s.cfg.BaseURL
	root := "layout"
	if slices.Contains(standalonePages, name) {
		root = name
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, root, pg); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// writeHTML writes a rendered page.
func writeHTML(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// renderErrorPage shows an error page; if even that fails, plain text.
func (s *Server) renderErrorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	pg := page{Title: http.StatusText(status), Data: struct {
		Status    int
		Message   string
		RequestID string
	}{status, msg, RequestID(r.Context())}}
	if err := s.render(w, status, "error", pg); err != nil {
		s.logger.ErrorContext(r.Context(), "Error page failed", slog.Any("error", err))
		http.Error(w, msg, status)
	}
}

var templateFuncs = template.FuncMap{
	"static":          staticURL,
	"highlight":       highlighted,
	"notes":           showNotes,
	"plain":           func(s string, n int) string { return truncate(plainText(s), n) },
	"date":            formatDate,
	"datetime":        formatDateTime,
	"isotime":         func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"ago":             func(t time.Time) string { return relativeTime(t, time.Now()) },
	"due":             func(t time.Time) string { return dueTime(t, time.Now()) },
	"duration":        formatDuration,
	"genre":           genreName,
	"language":        languageName,
	"status":          http.StatusText,
	"add":             func(a, b int) int { return a + b },
	"ep":              rowOf,
	"initial":         initial,
	"notesat":         notesWithTimes,
	"pathescape":      url.PathEscape,
	"genreOptions":    genreOptions,
	"languageOptions": languageOptions,
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("Jan 2, 2006")
}

func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("Jan 2, 2006 15:04 UTC")
}

// formatDuration writes seconds as "1 h 05 min", "42 min" or "" when unknown.
func formatDuration(sec int) string {
	m := (sec + 30) / 60
	switch {
	case sec <= 0:
		return ""
	case sec < 60:
		return fmt.Sprintf("%d s", sec)
	case m < 60:
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d h %02d min", m/60, m%60)
}

// relativeTime says how long ago, or in how long, t is from now: "3 hours ago", "in 2 days".
func relativeTime(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	future := d < 0
	if future {
		d = -d
	}
	var s string
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		s = plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		s = plural(int(d/time.Hour), "hour")
	default:
		s = plural(int(d/(24*time.Hour)), "day")
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

// dueTime is relativeTime for something scheduled: a time already past is "due now".
func dueTime(t, now time.Time) string {
	if !t.IsZero() && t.Before(now) {
		return "due now"
	}
	return relativeTime(t, now)
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

func genreName(id int) string {
	if g, ok := hark.GenreByID(id); ok {
		return g.Name
	}
	return ""
}
