package http

import (
	"net/url"
	"strconv"
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
