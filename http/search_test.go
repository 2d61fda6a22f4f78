package http_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"hark"
)

// filterFixture is a search index holding four shows whose episodes differ in every field the
// search params filter on. Every episode of the first three matches "jazz": in its title, in its
// notes, or only through its podcast's title or publisher.
type filterFixture struct {
	b                         *testBundle
	standards, brasil, london show
	keys                      show              // twelve "Piano" episodes, for the default page size
	names                     map[string]string // episode GUID or podcast short name, by ID
}

func newFilterFixture(t *testing.T) *filterFixture {
	t.Helper()
	b := setup(t, setupOpts{})
	f := &filterFixture{b: b, names: map[string]string{}}
	f.standards = addShow(t, b.store, "https://feeds.example.com/standards.xml", &hark.Feed{
		Podcast: hark.Podcast{Title: "Jazz Standards", Publisher: "Ann Example", Language: "en", GenreIDs: []int{1310}},
		Episodes: []hark.Episode{
			{GUID: "guitar", Title: "Jazz guitar basics", Description: "Chords and scales.", AudioLengthSec: 600, PublishedAt: day},
			{GUID: "drums", Title: "Jazz drums", Description: "Brushes and sticks.", AudioLengthSec: 2700, PublishedAt: day.AddDate(0, 0, 7), Explicit: true},
			{GUID: "interview", Title: "An interview", Description: "We talk about jazz with a drummer.", AudioLengthSec: 1800, PublishedAt: day.AddDate(0, 0, 14)},
		},
	})
	f.brasil = addShow(t, b.store, "https://feeds.example.com/brasil.xml", &hark.Feed{
		Podcast: hark.Podcast{Title: "Jazz do Brasil", Publisher: "Rádio Exemplo", Language: "pt-BR", GenreIDs: []int{1487}},
		Episodes: []hark.Episode{
			{GUID: "bossa", Title: "Bossa nova e jazz", Description: "Violão.", AudioLengthSec: 1200, PublishedAt: day.AddDate(0, 0, 3)},
		},
	})
	f.london = addShow(t, b.store, "https://feeds.example.com/london.xml", &hark.Feed{
		Podcast: hark.Podcast{Title: "London Nights", Publisher: "Jazz FM", Language: "en-GB", GenreIDs: []int{1324, 1543}},
		Episodes: []hark.Episode{
			{GUID: "late", Title: "Late sessions", Description: "Saxophone after midnight.", AudioLengthSec: 3600, PublishedAt: day.AddDate(0, 0, 10)},
		},
	})
	// No feed field sets a podcast's country; the column is what the index reads.
	if _, err := b.pool.Exec(context.Background(), `UPDATE podcasts SET country = 'gb' WHERE id = $1`, f.london.podcast.ID); err != nil {
		t.Fatal(err)
	}
	var piano []hark.Episode
	for i := range 12 {
		piano = append(piano, hark.Episode{GUID: fmt.Sprint("p", i), Title: fmt.Sprint("Piano ", i), PublishedAt: day.AddDate(0, 0, -1-i)})
	}
	f.keys = addShow(t, b.store, "https://feeds.example.com/keys.xml", &hark.Feed{Podcast: hark.Podcast{Title: "Keys"}, Episodes: piano})
	b.reindex(t)

	for _, s := range []struct {
		name string
		show show
	}{{"standards", f.standards}, {"brasil", f.brasil}, {"london", f.london}, {"keys", f.keys}} {
		f.names[s.show.podcast.ID] = s.name
		for _, e := range s.show.episodes {
			f.names[e.ID] = e.GUID
		}
	}
	return f
}

// search runs an API search and returns the names of the results, in order, and the response.
func (f *filterFixture) search(t *testing.T, query string) ([]string, map[string]any) {
	t.Helper()
	got := f.b.getJSON(t, "/api/v2/search?"+query, http.StatusOK)
	var names []string
	for _, r := range got["results"].([]any) {
		id, _ := r.(map[string]any)["id"].(string)
		name, ok := f.names[id]
		if !ok {
			name = "?" + id
		}
		names = append(names, name)
	}
	return names, got
}

func millis(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// TestSearchFilters checks that each search param has its effect on what the index returns.
func TestSearchFilters(t *testing.T) {
	t.Parallel()
	f := newFilterFixture(t)
	std, brasil := f.standards.podcast.ID, f.brasil.podcast.ID
	sorted := cmpopts.SortSlices(func(a, b string) bool { return a < b })

	tests := []struct {
		name, query string
		want        []string // in any order
	}{
		{"no filter, q trimmed", "q=+jazz+", []string{"guitar", "drums", "interview", "bossa", "late"}},
		{"interviews_only and sponsored_only off", "q=jazz&interviews_only=0&sponsored_only=0", []string{"guitar", "drums", "interview", "bossa", "late"}},
		{"interviews_only and sponsored_only on, not applied", "q=jazz&interviews_only=1&sponsored_only=1", []string{"guitar", "drums", "interview", "bossa", "late"}},
		{"len_min and len_max in minutes", "q=jazz&len_min=15&len_max=50", []string{"drums", "interview", "bossa"}},
		{"one genre, repeated", "q=jazz&genre_ids=1487,1487", []string{"bossa"}},
		{"any of the genres", "q=jazz&genre_ids=1310,1487,1310", []string{"guitar", "drums", "interview", "bossa"}},
		{"Listen Notes genre ids: History", "q=jazz&genre_ids=125", []string{"bossa"}},
		{"Listen Notes root genre: any", "q=jazz&genre_ids=67", []string{"guitar", "drums", "interview", "bossa", "late"}},
		{"a sub-genre", "q=jazz&genre_ids=1543", []string{"late"}},
		{"a top-level genre finds its sub-genres' podcasts", "q=jazz&genre_ids=1324", []string{"late"}},
		{"Listen Notes sub-genre: Documentary", "q=jazz&genre_ids=244", []string{"late"}},
		{"Listen Notes ids as code hard-codes them: Personal Finance, Music", "q=jazz&genre_ids=144,134", []string{"guitar", "drums", "interview"}},
		{"Listen Notes ids of The Daily, 67 among them: any", "q=jazz&genre_ids=93,216,213,99,67", []string{"guitar", "drums", "interview", "bossa", "late"}},
		{"Listen Notes Locally Focused: any", "q=jazz&genre_ids=151", []string{"guitar", "drums", "interview", "bossa", "late"}},
		{"Apple's 2019 id of a genre Hark keeps under its older one", "q=jazz&genre_ids=1512", nil},
		{"published between", "q=jazz&published_after=" + millis(day.AddDate(0, 0, 5)) + "&published_before=" + millis(day.AddDate(0, 0, 12)),
			[]string{"drums", "late"}},
		{"only_in title", "q=jazz&only_in=Title", []string{"guitar", "drums", "bossa"}},
		{"only_in title and description", "q=jazz&only_in=Title,description", []string{"guitar", "drums", "interview", "bossa"}},
		{"language by name takes in regional codes (en-GB)", "q=jazz&language=English", []string{"guitar", "drums", "interview", "late"}},
		{"regional language", "q=jazz&language=en-gb", []string{"late"}},
		{"language with a region", "q=jazz&language=pt-BR", []string{"bossa"}},
		{"region in capitals", "q=jazz&region=GB", []string{"late"}},
		{"ocid", "q=jazz&ocid=" + brasil + "," + hark.NewID(), []string{"bossa"}},
		{"ncid", "q=jazz&ncid=" + std, []string{"bossa", "late"}},
		{"safe_mode", "q=jazz&safe_mode=1", []string{"guitar", "interview", "bossa", "late"}},
		{"podcasts", "q=jazz&type=podcast", []string{"standards", "brasil", "london"}},
		{"podcasts by episode count", "q=jazz&type=podcast&episode_count_min=2", []string{"standards"}},
		{"podcasts by episode count max", "q=jazz&type=podcast&episode_count_max=1", []string{"brasil", "london"}},
		{"podcasts by update frequency in hours", "q=jazz&type=podcast&update_freq_min=144&update_freq_max=192", []string{"standards"}},
		{"podcasts by latest episode", "q=jazz&type=podcast&published_after=" + millis(day.AddDate(0, 0, 12)), []string{"standards"}},
		{"every filter at once", "q=+jazz+&type=podcast&offset=0&page_size=5&sort_by_date=1&len_min=10&len_max=60" +
			"&genre_ids=1310,1487,1310&published_before=" + millis(day.AddDate(0, 0, 30)) + "&published_after=" + millis(day.AddDate(0, 0, 12)) +
			"&only_in=Title,description&language=English&ocid=" + std + "," + brasil + "&safe_mode=1" +
			"&episode_count_min=3&episode_count_max=300&update_freq_min=144&update_freq_max=192&unique_podcasts=1",
			[]string{"standards"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, res := f.search(t, tt.query)
			if diff := cmp.Diff(tt.want, got, sorted); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
			if res["total"] != float64(len(tt.want)) {
				t.Errorf("total = %v, want %d", res["total"], len(tt.want))
			}
		})
	}

	t.Run("relevance", func(t *testing.T) {
		t.Parallel()
		got, _ := f.search(t, "q=jazz")
		if len(got) != 5 {
			t.Fatalf("results = %v, want 5", got)
		}
		// Matches in the title rank above matches in the notes or the podcast's names.
		if diff := cmp.Diff([]string{"guitar", "drums", "bossa"}, got[:3], sorted); diff != "" {
			t.Errorf("first three (-want +got):\n%s", diff)
		}
	})
	t.Run("sort_by_date", func(t *testing.T) {
		t.Parallel()
		got, _ := f.search(t, "q=jazz&sort_by_date=1")
		if diff := cmp.Diff([]string{"interview", "late", "drums", "bossa", "guitar"}, got); diff != "" {
			t.Errorf("newest first (-want +got):\n%s", diff)
		}
	})
	t.Run("offset and page_size", func(t *testing.T) {
		t.Parallel()
		got, res := f.search(t, "q=jazz&sort_by_date=1&offset=1&page_size=2")
		if diff := cmp.Diff([]string{"late", "drums"}, got); diff != "" {
			t.Errorf("results 2 and 3 by date (-want +got):\n%s", diff)
		}
		if res["count"] != 2.0 || res["total"] != 5.0 || res["next_offset"] != 3.0 {
			t.Errorf("count %v total %v next_offset %v; want 2 5 3", res["count"], res["total"], res["next_offset"])
		}
	})
	t.Run("unique_podcasts", func(t *testing.T) {
		t.Parallel()
		_, res := f.search(t, "q=jazz&unique_podcasts=1")
		var podcasts []string
		for _, r := range res["results"].([]any) {
			podcasts = append(podcasts, f.names[r.(map[string]any)["podcast"].(map[string]any)["id"].(string)])
		}
		if diff := cmp.Diff([]string{"standards", "brasil", "london"}, podcasts, sorted); diff != "" {
			t.Errorf("podcasts of the results, one each (-want +got):\n%s", diff)
		}
		if res["total"] != 3.0 {
			t.Errorf("total = %v, want 3 podcasts", res["total"])
		}
	})
	t.Run("defaults: episodes, ten a page", func(t *testing.T) {
		t.Parallel()
		got, res := f.search(t, "q=piano")
		if len(got) != 10 || res["total"] != 12.0 || res["next_offset"] != 10.0 {
			t.Errorf("results %v total %v next_offset %v; want 10 of 12 and next_offset 10", got, res["total"], res["next_offset"])
		}
		for i, r := range res["results"].([]any) {
			checkShape(t, fmt.Sprintf("results[%d]", i), r.(map[string]any), episodeSearchResultSchema)
		}
	})
}
