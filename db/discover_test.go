package db_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"hark"
	"hark/db"
	"hark/db/dbtest"
)

// TestFindSimilarPodcasts lists the shows that share a genre with a podcast, those in its
// language first, each group by quality score; leaves out the podcast itself, dead and empty
// shows, and explicit ones in safe mode; and falls back to the language for a show without
// genres.
func TestFindSimilarPodcasts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewSchema(t)
	store := db.New(pool)
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	shows := map[string]hark.Podcast{}
	add := func(name string, p hark.Podcast, quality float64, episodes bool) {
		t.Helper()
		pod, _, err := store.CreatePodcast(ctx, "https://example.com/"+name, "example.com/"+name, "")
		if err != nil {
			t.Fatal(err)
		}
		p.Title = name
		f := &hark.Feed{Podcast: p}
		if episodes {
			f.Episodes = []hark.Episode{{GUID: name + "-1", Title: name + " one", AudioURL: "https://example.com/" + name + ".mp3", PublishedAt: day}}
		}
		saveCrawl(t, store, pod.ID, f)
		if _, err := pool.Exec(ctx, `UPDATE podcasts SET quality_score = $2 WHERE id = $1`, pod.ID, quality); err != nil {
			t.Fatal(err)
		}
		pod, err = store.FindPodcastByID(ctx, pod.ID)
		if err != nil {
			t.Fatal(err)
		}
		shows[name] = pod
	}
	const jazz, rock, comedy = 1304, 1305, 1303
	add("me", hark.Podcast{Language: "en", GenreIDs: []int{jazz, rock}}, 50, true)
	add("jazz-en-low", hark.Podcast{Language: "en", GenreIDs: []int{jazz}}, 10, true)
	add("rock-en-high", hark.Podcast{Language: "en", GenreIDs: []int{rock}}, 90, true)
	add("jazz-fr-top", hark.Podcast{Language: "fr", GenreIDs: []int{jazz}}, 99, true)
	add("jazz-en-explicit", hark.Podcast{Language: "en", GenreIDs: []int{jazz}, Explicit: true}, 70, true)
	add("jazz-en-empty", hark.Podcast{Language: "en", GenreIDs: []int{jazz}}, 95, false)
	add("comedy-en", hark.Podcast{Language: "en", GenreIDs: []int{comedy}}, 80, true)
	add("nogenre-en", hark.Podcast{Language: "en"}, 40, true)
	add("nogenre-fr", hark.Podcast{Language: "fr"}, 60, true)
	add("jazz-en-dead", hark.Podcast{Language: "en", GenreIDs: []int{jazz}}, 85, true)
	if _, err := pool.Exec(ctx, `UPDATE podcasts SET dead = true WHERE id = $1`, shows["jazz-en-dead"].ID); err != nil {
		t.Fatal(err)
	}

	titles := func(ps []hark.Podcast) []string {
		out := []string{}
		for _, p := range ps {
			out = append(out, p.Title)
		}
		return out
	}
	cases := []struct {
		name  string
		of    string
		safe  bool
		limit int
		want  []string
	}{
		{"genres, language first", "me", false, 8, []string{"rock-en-high", "jazz-en-explicit", "jazz-en-low", "jazz-fr-top"}},
		{"safe mode", "me", true, 8, []string{"rock-en-high", "jazz-en-low", "jazz-fr-top"}},
		{"limit", "me", false, 2, []string{"rock-en-high", "jazz-en-explicit"}},
		{"one genre", "jazz-fr-top", false, 8, []string{"jazz-en-explicit", "me", "jazz-en-low"}},
		{"no genres: the language", "nogenre-en", false, 8, []string{"rock-en-high", "comedy-en", "jazz-en-explicit", "me", "jazz-en-low"}},
		{"no genres, another language", "nogenre-fr", false, 8, []string{"jazz-fr-top"}},
	}
	for _, c := range cases {
		got, err := store.FindSimilarPodcasts(ctx, shows[c.of], c.safe, c.limit)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !slices.Equal(titles(got), c.want) {
			t.Errorf("%s: got %q, want %q", c.name, titles(got), c.want)
		}
	}
}
