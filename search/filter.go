package search

import (
	"regexp"
	"strconv"
	"strings"

	"hark"
)

// User input reaches filter_by only through this file. Every string value is first checked
// against a pattern that excludes backticks, then backtick-quoted, so it stays one value: nothing
// in it can close the quote and add "|| explicit:true" or the like. Numbers are formatted here.

var (
	languagePattern = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{2,8})*$`) // "en", "pt-br", "zh-hant-tw"
	regionPattern   = regexp.MustCompile(`^[a-z]{2}$`)                    // ISO 3166 alpha-2
)

// quote backtick-quotes a value that the caller has validated (a Hark ID, a language code).
func quote(s string) string { return "`" + s + "`" }

// quoteList returns [`a`,`b`] for validated values.
func quoteList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = quote(v)
	}
	return "[" + strings.Join(q, ",") + "]"
}

func intList(vals []int) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = strconv.Itoa(v)
	}
	return "[" + strings.Join(q, ",") + "]"
}

// filters collects filter_by clauses, joined with &&.
type filters []string

func (f *filters) add(clause string) { *f = append(*f, clause) }

func (f *filters) rangeOf(field string, min, max int64) {
	if min > 0 {
		f.add(field + ":>=" + strconv.FormatInt(min, 10))
	}
	if max > 0 {
		f.add(field + ":<=" + strconv.FormatInt(max, 10))
	}
}

func (f filters) String() string { return strings.Join(f, " && ") }

// buildFilter turns the filters of q into a filter_by for the collection of kind. Returns
// ErrInvalid, in words for the user, for a value that is out of range or not of the expected shape.
func buildFilter(q *hark.SearchQuery, kind string) (string, error) {
	var f filters
	if err := lengthFilter(&f, q, kind); err != nil {
		return "", err
	}
	if len(q.GenreIDs) > 0 {
		for _, g := range q.GenreIDs {
			if g <= 0 {
				return "", hark.Errorf(hark.ErrInvalid, "genre_ids: %d is not a genre ID", g)
			}
		}
		f.add("genre_ids:" + intList(q.GenreIDs))
	}
	if err := dateFilter(&f, q, kind); err != nil {
		return "", err
	}
	if q.Language != "" {
		lang := strings.ToLower(q.Language)
		if !languagePattern.MatchString(lang) {
			return "", hark.Errorf(hark.ErrInvalid, "language: %q is not a language code such as en or pt-br", q.Language)
		}
		f.add("languages:=" + quote(lang)) // "en" matches "en-us" too: see languageTags
	}
	if q.Region != "" {
		region := strings.ToLower(q.Region)
		if !regionPattern.MatchString(region) {
			return "", hark.Errorf(hark.ErrInvalid, "region: %q is not a two-letter country code such as us", q.Region)
		}
		f.add("country:=" + quote(region))
	}
	if err := podcastIDFilter(&f, q); err != nil {
		return "", err
	}
	if q.SafeMode {
		f.add("explicit:=false")
	}
	if err := podcastOnlyFilter(&f, q, kind); err != nil {
		return "", err
	}
	return f.String(), nil
}

func lengthFilter(f *filters, q *hark.SearchQuery, kind string) error {
	if q.LenMinMinutes == 0 && q.LenMaxMinutes == 0 || kind != kindEpisodes {
		return nil // Listen API: len_min/len_max apply to episodes only
	}
	if q.LenMinMinutes < 0 || q.LenMaxMinutes < 0 {
		return hark.Errorf(hark.ErrInvalid, "len_min and len_max must not be negative")
	}
	if q.LenMaxMinutes > 0 && q.LenMaxMinutes < q.LenMinMinutes {
		return hark.Errorf(hark.ErrInvalid, "len_max (%d) is less than len_min (%d)", q.LenMaxMinutes, q.LenMinMinutes)
	}
	f.rangeOf("audio_length_sec", int64(q.LenMinMinutes)*60, int64(q.LenMaxMinutes)*60)
	return nil
}

// dateFilter applies published_before/after to episodes' published_at and, as the Listen API
// does, to podcasts' latest_pub_date.
func dateFilter(f *filters, q *hark.SearchQuery, kind string) error {
	field := "published_at"
	if kind == kindPodcasts {
		field = "latest_pub_date"
	}
	before, after := q.PublishedBefore, q.PublishedAfter
	if !before.IsZero() && !after.IsZero() && !after.Before(before) {
		return hark.Errorf(hark.ErrInvalid, "published_after must be earlier than published_before")
	}
	if !after.IsZero() {
		f.add(field + ":>" + strconv.FormatInt(after.Unix(), 10))
	}
	if !before.IsZero() {
		f.add(field + ":<" + strconv.FormatInt(before.Unix(), 10))
	}
	return nil
}

// podcastIDFilter applies ocid/ncid. Both collections have podcast_id: Typesense 0.24.1 refuses
// "id:!=[...]" ("Not equals filtering is not supported on the `id` field"), so podcast documents
// carry their ID a second time.
func podcastIDFilter(f *filters, q *hark.SearchQuery) error {
	const field = "podcast_id"
	for _, ids := range [][]string{q.OnlyPodcastIDs, q.NeverPodcastIDs} {
		for _, id := range ids {
			if !hark.ValidID(id) {
				return hark.Errorf(hark.ErrInvalid, "%q is not a podcast ID", id)
			}
		}
	}
	if len(q.OnlyPodcastIDs) > 0 {
		f.add(field + ":=" + quoteList(q.OnlyPodcastIDs))
	}
	if len(q.NeverPodcastIDs) > 0 {
		f.add(field + ":!=" + quoteList(q.NeverPodcastIDs))
	}
	return nil
}

// podcastOnlyFilter applies the filters the Listen API has for podcast searches only.
func podcastOnlyFilter(f *filters, q *hark.SearchQuery, kind string) error {
	if kind != kindPodcasts {
		return nil
	}
	for _, r := range []struct {
		field, param string
		min, max     int
	}{
		{"episode_count", "episode_count", q.EpisodeCountMin, q.EpisodeCountMax},
		{"update_freq_hours", "update_freq", q.UpdateFreqMin, q.UpdateFreqMax},
	} {
		if r.min < 0 || r.max < 0 {
			return hark.Errorf(hark.ErrInvalid, "%s_min and %s_max must not be negative", r.param, r.param)
		}
		if r.max > 0 && r.max < r.min {
			return hark.Errorf(hark.ErrInvalid, "%s_max (%d) is less than %s_min (%d)", r.param, r.max, r.param, r.min)
		}
		f.rangeOf(r.field, int64(r.min), int64(r.max))
	}
	return nil
}
