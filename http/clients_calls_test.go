package http_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"hark"
)

// clientCall is one call of a client plan: an operation by its operationId, the arguments the
// user's code passes, and what the answer must hold.
type clientCall struct {
	Name  string         `json:"name"`
	Op    string         `json:"op"`
	Args  map[string]any `json:"args"`
	Want  int            `json:"-"` // status; 200 when 0
	check func(t *testing.T, data map[string]any)
}

func (c clientCall) status() int {
	if c.Want == 0 {
		return 200
	}
	return c.Want
}

// jget follows object keys and array indexes through decoded JSON; nil when one is missing.
func jget(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

// jlist returns the values at key in each item of the array at path (the items themselves
// when key is "").
func jlist(v any, key string, path ...any) []string {
	a, _ := jget(v, path...).([]any)
	var out []string
	for _, item := range a {
		if key != "" {
			item = jget(item, key)
		}
		out = append(out, fmt.Sprint(item))
	}
	return out
}

// expect fails unless got equals want.
func expect(t *testing.T, what string, got, want any) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// expectHas fails unless list has every one of want.
func expectHas(t *testing.T, what string, list []string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(list, w) {
			t.Errorf("%s = %v, want it to have %q", what, list, w)
		}
	}
}

// clientCalls is the plan every client runs: each of the 31 operations at least once, on the
// contract fixture, in an order where the writes come after the reads they would change.
func clientCalls(f *contractFixture) []clientCall {
	jazz, history, swing, lf := f.jazz, f.history, f.swing, f.lists
	jazzEps := jlistOf(jazz.episodes)
	return []clientCall{
		{Name: "search", Op: "search", Args: map[string]any{"q": "bebop", "type": "episode", "interviews_only": 0, "sponsored_only": 1},
			check: func(t *testing.T, d map[string]any) {
				expect(t, "first result", jget(d, "results", 0, "id"), jazz.episodes[1].ID)
				expect(t, "its podcast", jget(d, "results", 0, "podcast", "id"), jazz.podcast.ID)
			}},
		{Name: "search curated", Op: "search", Args: map[string]any{"q": "music", "type": "curated"},
			check: func(t *testing.T, d map[string]any) {
				expect(t, "first list title", jget(d, "results", 0, "title_original"), "New Music podcasts")
				expectHas(t, "its podcasts", jlist(d, "id", "results", 0, "podcasts"), jazz.podcast.ID, swing.podcast.ID)
			}},
		{Name: "typeahead", Op: "typeahead", Args: map[string]any{"q": "swi", "show_podcasts": 1, "show_genres": 1},
			check: func(t *testing.T, d map[string]any) {
				expectHas(t, "podcasts", jlist(d, "id", "podcasts"), swing.podcast.ID)
			}},
		{Name: "search episode titles", Op: "searchEpisodeTitles", Args: map[string]any{"q": "Duke Ellington", "podcast_id": swing.podcast.ID},
			check: func(t *testing.T, d map[string]any) {
				expect(t, "titles", jlist(d, "title_original", "results"), []string{"Duke Ellington"})
			}},
		{Name: "spellcheck", Op: "spellcheck", Args: map[string]any{"q": "bebopp in new orleanz"},
			check: func(t *testing.T, d map[string]any) {
				expect(t, "suggestions", jlist(d, "suggestion", "tokens"), []string{"bebop", "orleans"})
				expect(t, "corrected", d["corrected_text_html"], "<b><i>bebop</i></b> in new <b><i>orleans</i></b>")
			}},
		{Name: "related searches", Op: "getRelatedSearches", Args: map[string]any{"q": "jazz"},
			check: func(t *testing.T, d map[string]any) { expect(t, "first term", jget(d, "terms", 0), "jazz history") }},
		{Name: "trending searches", Op: "getTrendingSearches", Args: map[string]any{},
			check: func(t *testing.T, d map[string]any) {
				// The fixture searched jazz twice and "jazz history" once; the plan searches too.
				terms := jlist(d, "", "terms")
				expectHas(t, "terms", terms, "jazz", "bebop", "jazz history", "music")
				if slices.Index(terms, "jazz") > slices.Index(terms, "jazz history") {
					t.Errorf("terms = %v, want jazz, asked more, before jazz history", terms)
				}
			}},
		{Name: "best podcasts", Op: "getBestPodcasts", Args: map[string]any{"genre_id": 134, "page": 1, "sort": "listen_score", "safe_mode": 0},
			check: func(t *testing.T, d map[string]any) {
				expect(t, "genre", d["name"], "Music")
				expect(t, "total", d["total"], 2)
				ids := jlist(d, "id", "podcasts")
				slices.Sort(ids)
				want := []string{jazz.podcast.ID, swing.podcast.ID}
				slices.Sort(want)
				expect(t, "podcasts", ids, want)
			}},
		{Name: "podcast", Op: "getPodcastById", Args: map[string]any{"id": jazz.podcast.ID, "sort": "oldest_first"},
			check: func(t *testing.T, d map[string]any) {
				expect(t, "title", d["title"], "The Jazz Hour")
				expect(t, "episodes", jlist(d, "id", "episodes"), []string{jazzEps[2], jazzEps[1], jazzEps[0]})
			}},
		{Name: "podcast unknown", Op: "getPodcastById", Args: map[string]any{"id": hark.NewID()}, Want: 404},
		{Name: "episode", Op: "getEpisodeById", Args: map[string]any{"id": history.episodes[0].ID, "show_transcript": 1},
			check: func(t *testing.T, d map[string]any) {
				expect(t, "title", d["title"], history.episodes[0].Title)
				expect(t, "podcast", jget(d, "podcast", "id"), history.podcast.ID)
			}},
		{Name: "episodes batch", Op: "getEpisodesInBatch", Args: map[string]any{"ids": jazzEps[0] + "," + history.episodes[1].ID},
			check: func(t *testing.T, d map[string]any) {
				expect(t, "ids", jlist(d, "id", "episodes"), []string{jazzEps[0], history.episodes[1].ID})
			}},
		{Name: "podcasts batch by feed", Op: "getPodcastsInBatch", Args: map[string]any{
			"ids": jazz.podcast.ID, "rsses": "http://feeds.example.com/swing.xml,https://unknown.example/feed.xml",
			"itunes_ids": "1457514703", "spotify_ids": "3DDfEsKDIDrTlnPOiG4ZF4", "show_latest_episodes": 1},
			check: func(t *testing.T, d map[string]any) {
				expect(t, "podcasts", jlist(d, "id", "podcasts"), []string{jazz.podcast.ID, swing.podcast.ID})
				expect(t, "latest episode", jget(d, "latest_episodes", 0, "id"), jazzEps[0])
			}},
		{Name: "genres", Op: "getGenres", Args: map[string]any{"top_level_only": 1},
			check: func(t *testing.T, d map[string]any) {
				expectHas(t, "genres", jlist(d, "name", "genres"), "Music", "History")
			}},
		{Name: "regions", Op: "getRegions", Args: map[string]any{},
			check: func(t *testing.T, d map[string]any) { expect(t, "us", jget(d, "regions", "us"), "United States") }},
		{Name: "languages", Op: "getLanguages", Args: map[string]any{},
			check: func(t *testing.T, d map[string]any) {
				expectHas(t, "languages", strings.Fields(strings.Trim(fmt.Sprint(d["languages"]), "[]")), "English", "French")
			}},
		{Name: "just listen", Op: "justListen", Args: map[string]any{},
			check: func(t *testing.T, d map[string]any) {
				all := append(append(append(jlistOf(jazz.episodes), jlistOf(history.episodes)...), jlistOf(swing.episodes)...), jlistOf(f.bare.episodes)...)
				expectHas(t, "a fixture episode", all, fmt.Sprint(d["id"]))
			}},
		{Name: "curated lists", Op: "getCuratedPodcasts", Args: map[string]any{"page": 1},
			check: func(t *testing.T, d map[string]any) {
				expectHas(t, "lists", jlist(d, "id", "curated_lists"), lf.curatedID)
				for _, id := range jlist(d, "id", "curated_lists") {
					expect(t, "id length", len(id), 11)
				}
			}},
		{Name: "curated list", Op: "getCuratedPodcastById", Args: map[string]any{"id": lf.curatedID},
			check: func(t *testing.T, d map[string]any) {
				expect(t, "id", d["id"], lf.curatedID)
				expect(t, "title", d["title"], "Staff picks")
				expect(t, "podcasts", jlist(d, "id", "podcasts"), lf.staffPicks)
				expect(t, "total", d["total"], 2)
			}},
		{Name: "podcast recommendations", Op: "getPodcastRecommendations", Args: map[string]any{"id": jazz.podcast.ID, "safe_mode": 0},
			check: func(t *testing.T, d map[string]any) {
				expect(t, "recommendations", jlist(d, "id", "recommendations"), []string{swing.podcast.ID})
			}},
		{Name: "episode recommendations", Op: "getEpisodeRecommendations", Args: map[string]any{"id": jazzEps[0], "safe_mode": 0},
			check: func(t *testing.T, d map[string]any) {
				expect(t, "recommendations", jlist(d, "id", "recommendations"), []string{swing.episodes[0].ID, jazzEps[1], jazzEps[2]})
			}},
		{Name: "submit known feed", Op: "submitPodcast", Args: map[string]any{"rss": jazz.podcast.FeedURL, "email": "a@example.com"},
			check: func(t *testing.T, d map[string]any) {
				expect(t, "status", d["status"], "found")
				expect(t, "podcast", jget(d, "podcast", "id"), jazz.podcast.ID)
			}},
		{Name: "podcasts by domain", Op: "getPodcastsByDomainName", Args: map[string]any{"domain_name": "swing.example", "page": 1},
			check: func(t *testing.T, d map[string]any) {
				expect(t, "podcasts", jlist(d, "id", "podcasts"), []string{swing.podcast.ID})
			}},
		{Name: "audience", Op: "getPodcastAudience", Args: map[string]any{"id": jazz.podcast.ID},
			check: func(t *testing.T, d map[string]any) { expect(t, "by_regions", d["by_regions"], []any{}) }},
		{Name: "delete podcast", Op: "deletePodcastById", Args: map[string]any{"id": f.bare.podcast.ID, "reason": "testing"},
			check: func(t *testing.T, d map[string]any) { expect(t, "status", d["status"], "in review") }},
		{Name: "my playlists", Op: "getPlaylists", Args: map[string]any{"sort": "name_a_to_z", "page": 1},
			check: func(t *testing.T, d map[string]any) {
				names := jlist(d, "name", "playlists")
				expectHas(t, "names", names, "Favourites", "Secret")
				if !slices.IsSorted(names) {
					t.Errorf("names = %v, want them from a to z", names)
				}
			}},
		{Name: "playlist", Op: "getPlaylistById", Args: map[string]any{"id": lf.main, "type": "episode_list", "sort": "oldest_added_first"},
			check: func(t *testing.T, d map[string]any) {
				expect(t, "name", d["name"], "Favourites")
				expect(t, "first item", jget(d, "items", 0, "data", "id"), jazzEps[0])
				expect(t, "its notes", jget(d, "items", 0, "notes"), "Great")
			}},
		{Name: "playlist create", Op: "createPlaylist", Args: map[string]any{"name": "Made by a client", "visibility": "unlisted", "type": "podcast_list"},
			Want: 201, check: func(t *testing.T, d map[string]any) {
				expect(t, "name", d["name"], "Made by a client")
				expect(t, "type", d["type"], "podcast_list")
				expect(t, "id length", len(fmt.Sprint(d["id"])), 11)
			}},
		{Name: "playlist update", Op: "updatePlaylist", Args: map[string]any{"id": lf.main, "description": "Changed by a client"},
			check: func(t *testing.T, d map[string]any) {
				expect(t, "description", d["description"], "Changed by a client")
				expect(t, "name kept", d["name"], "Favourites")
			}},
		{Name: "playlist add item", Op: "addPlaylistItem", Args: map[string]any{"id": lf.private, "episode_id": swing.episodes[1].ID, "notes": "Worth a listen."},
			check: func(t *testing.T, d map[string]any) {
				expect(t, "type", d["type"], "episode")
				expect(t, "episode", jget(d, "data", "id"), swing.episodes[1].ID)
			}, Want: 201},
		{Name: "playlist item notes", Op: "updatePlaylistItemNotes", Args: map[string]any{"id": lf.main, "item_id": lf.noteItem, "notes": "Annotated"},
			check: func(t *testing.T, d map[string]any) { expect(t, "notes", d["notes"], "Annotated") }},
		{Name: "playlist item delete", Op: "deletePlaylistItem", Args: map[string]any{"id": lf.main, "item_id": lf.doomedItem},
			check: func(t *testing.T, d map[string]any) { expect(t, "status", d["status"], "deleted") }},
		{Name: "playlist delete", Op: "deletePlaylist", Args: map[string]any{"id": lf.doomed},
			check: func(t *testing.T, d map[string]any) { expect(t, "status", d["status"], "deleted") }},
	}
}

func jlistOf(eps []hark.Episode) []string {
	ids := make([]string, len(eps))
	for i, e := range eps {
		ids[i] = e.ID
	}
	return ids
}
