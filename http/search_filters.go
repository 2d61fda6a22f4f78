package http

import (
	"html"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"hark"
)

// searchFilters are the filters a person sets on the search page, by the form's names. They
// become the API's parameters (apiValues), so both check input the same way.
type searchFilters struct {
	Genre    string // a genre ID
	Language string // a language name or code
	LenMin   string // minutes
	LenMax   string
	After    string // a date, 2006-01-02
	Before   string
	Podcast  string // search only this show's episodes
}

// filtersOf reads the filters from a search page's query.
func filtersOf(v url.Values) searchFilters {
	return searchFilters{Genre: v.Get("genre"), Language: v.Get("language"), LenMin: v.Get("len_min"),
		LenMax: v.Get("len_max"), After: v.Get("after"), Before: v.Get("before"), Podcast: v.Get("podcast")}
}

// values are the filters as the search page's query, for its links; empty ones are left out.
func (f searchFilters) values() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"genre": f.Genre, "language": f.Language, "len_min": f.LenMin,
		"len_max": f.LenMax, "after": f.After, "before": f.Before, "podcast": f.Podcast} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// Any says whether a filter is set.
func (f searchFilters) Any() bool { return len(f.values()) > 0 }

// apiValues are the filters as /api/v2/search parameters. A date the API cannot read is passed on
// as typed, so its error names it.
func (f searchFilters) apiValues() url.Values {
	v := url.Values{}
	set := func(k, x string) {
		if x != "" {
			v.Set(k, x)
		}
	}
	set("genre_ids", f.Genre)
	set("language", f.Language)
	set("len_min", f.LenMin)
	set("len_max", f.LenMax)
	set("ocid", f.Podcast)
	set("published_after", dateMillis(f.After, 0))
	set("published_before", dateMillis(f.Before, 24*time.Hour)) // the whole day given
	return v
}

// dateMillis turns a form's date into Unix milliseconds (UTC), plus add.
func dateMillis(d string, add time.Duration) string {
	if d == "" {
		return ""
	}
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return strconv.FormatInt(t.Add(add).UnixMilli(), 10)
}

// searchGenres are the genres the search page's filter offers.
func searchGenres() []hark.Genre { return hark.Genres }

// filterOptions holds the <option> lists of the search page's genre and language filters,
// written once for each selected value: hundreds of options per page cost more to run through
// the template than the rest of the page. Only offered values are kept, so it stays bounded.
var filterOptions sync.Map // "genre:"+selected or "language:"+selected → template.HTML

// genreOptions is the genre filter's options, with selected (a genre ID) selected.
func genreOptions(selected string) template.HTML {
	return cachedOptions("genre:", selected, func(b *strings.Builder) bool {
		found := false
		for _, g := range searchGenres() {
			id := strconv.Itoa(g.ID)
			b.WriteString(`<option value="` + id + `"`)
			if id == selected {
				b.WriteString(" selected")
				found = true
			}
			b.WriteString(">" + html.EscapeString(g.Name) + "</option>")
		}
		return found
	})
}

// languageOptions is the language filter's options, with selected (a language name) selected.
func languageOptions(selected string) template.HTML {
	return cachedOptions("language:", selected, func(b *strings.Builder) bool {
		found := false
		for _, l := range languageNames {
			b.WriteString("<option")
			if l == selected {
				b.WriteString(" selected")
				found = true
			}
			b.WriteString(">" + html.EscapeString(l) + "</option>")
		}
		return found
	})
}

// cachedOptions returns the options write makes for selected, kept under prefix+selected when
// selected is one of them (write reports whether it was) or "".
func cachedOptions(prefix, selected string, write func(b *strings.Builder) bool) template.HTML {
	if v, ok := filterOptions.Load(prefix + selected); ok {
		return v.(template.HTML)
	}
	var b strings.Builder
	b.WriteString(`<option value="">Any</option>`)
	found := write(&b)
	out := template.HTML(b.String()) //nolint:gosec // every name is escaped above
	if found || selected == "" {
		filterOptions.Store(prefix+selected, out)
	}
	return out
}
