package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"hark"
	"hark/db"
	"hark/search/terms"
)

// playlistFixture is what addListenExtras made through the API: playlists of the bundle's key
// and their items.
type playlistFixture struct {
	main, private, doomed string   // playlist IDs: public with items, private, one to delete
	noteItem, doomedItem  int64    // items of main: one to annotate, one to delete
	curatedID             string   // the first curated list: staffPicks
	staffPicks            []string // the podcasts of an operator's curated list, in its order
	generatedID           string   // the first generated curated list
}

// addSwingShow stores a second music podcast in the United States, with a website on a
// subdomain, so that recommendations, best_podcasts and domains have something to find.
func addSwingShow(t *testing.T, store *db.Store) show {
	t.Helper()
	return addShow(t, store, "https://feeds.example.com/swing.xml", &hark.Feed{
		Podcast: hark.Podcast{
			Title: "Swing Era", Publisher: "Bob Example", Description: "Big bands and their music.",
			ImageURL: "https://img.example/swing.jpg", WebsiteURL: "https://www.swing.example/show",
			Language: "en-us", Country: "us", Categories: []string{"Music"}, GenreIDs: []int{1310},
		},
		Episodes: []hark.Episode{
			{GUID: "s1", Title: "Count Basie", AudioURL: "https://audio.example/s1.mp3", AudioLengthSec: 1500, PublishedAt: day.AddDate(0, 0, 3)},
			{GUID: "s2", Title: "Duke Ellington", AudioURL: "https://audio.example/s2.mp3", AudioLengthSec: 1600, PublishedAt: day.AddDate(0, 0, 10)},
		},
	})
}

// addListenExtras logs searches, counts the typeahead dictionary (which spellcheck reads) and
// makes playlists through the API.
func addListenExtras(t *testing.T, b *testBundle, f *contractFixture) playlistFixture {
	t.Helper()
	for _, q := range []string{"jazz", "jazz", "Jazz  History", "bebop"} {
		if rec := b.get(t, "/api/v2/search?q="+url.QueryEscape(q)); rec.Code != http.StatusOK {
			t.Fatalf("search %q: status %d", q, rec.Code)
		}
	}
	var titles []string
	for _, s := range []show{f.jazz, f.history, f.bare, f.swing} {
		for _, e := range s.episodes {
			titles = append(titles, e.Title)
		}
	}
	b.index.SetTerms(terms.Build(titles, false))

	var lf playlistFixture
	lf.main = createPlaylist(t, b, url.Values{"name": {"Favourites"}, "description": {"To hear again"}})
	lf.private = createPlaylist(t, b, url.Values{"name": {"Secret"}, "visibility": {"private"}, "type": {"podcast_list"}})
	lf.doomed = createPlaylist(t, b, url.Values{"name": {"Doomed"}})
	addItem(t, b, lf.main, url.Values{"episode_id": {f.jazz.episodes[0].ID}, "notes": {"Great"}})
	addItem(t, b, lf.main, url.Values{"podcast_id": {f.history.podcast.ID}})
	lf.noteItem = addItem(t, b, lf.main, url.Values{"episode_id": {f.history.episodes[0].ID}})
	lf.doomedItem = addItem(t, b, lf.main, url.Values{"episode_id": {f.swing.episodes[0].ID}})
	addItem(t, b, lf.private, url.Values{"podcast_id": {f.jazz.podcast.ID}})

	lf.staffPicks = []string{f.history.podcast.ID, f.jazz.podcast.ID}
	if _, err := b.store.CreateCuratedList(context.Background(), "Staff picks", "Two shows we like.", lf.staffPicks); err != nil {
		t.Fatal(err)
	}
	var lists struct {
		CuratedLists []struct{ ID string } `json:"curated_lists"`
	}
	decodeInto(t, b.get(t, "/api/v2/curated_podcasts"), &lists)
	if len(lists.CuratedLists) < 2 {
		t.Fatalf("curated lists %v, want the operator's and generated ones", lists.CuratedLists)
	}
	lf.curatedID, lf.generatedID = lists.CuratedLists[0].ID, lists.CuratedLists[1].ID
	return lf
}

func createPlaylist(t *testing.T, b *testBundle, form url.Values) string {
	t.Helper()
	var pl struct{ ID string }
	decodeInto(t, b.do(t, http.MethodPost, "/api/v2/playlists", form), &pl)
	return pl.ID
}

func addItem(t *testing.T, b *testBundle, playlist string, form url.Values) int64 {
	t.Helper()
	var it struct{ ID int64 }
	decodeInto(t, b.do(t, http.MethodPost, "/api/v2/playlists/"+playlist+"/items", form), &it)
	return it.ID
}

// decodeInto decodes a 2xx JSON answer into v.
func decodeInto(t *testing.T, rec *httptest.ResponseRecorder, v any) {
	t.Helper()
	if rec.Code/100 != 2 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatal(err)
	}
}

// extraCases are the contract cases of the operations Hark added for the Listen API's whole
// contract: search_episode_titles, spellcheck, related and trending searches, best_podcasts,
// curated lists, just_listen, recommendations, domains, audience, deletion requests, playlists.
func (f *contractFixture) extraCases(key string) []contractCase {
	jazz, history, swing, lf := f.jazz, f.history, f.swing, f.lists
	unknown := hark.NewID()
	item := func(id int64) string { return strconv.FormatInt(id, 10) }
	return []contractCase{
		{name: "episode titles", target: "/api/v2/search_episode_titles?q=bebop", key: key, status: http.StatusOK, nonEmpty: []string{"results"}},
		{name: "episode titles in a podcast", target: "/api/v2/search_episode_titles?q=roi&podcast_id=" + history.podcast.ID, key: key, status: http.StatusOK, nonEmpty: []string{"results"}},
		{name: "episode titles by feed", target: "/api/v2/search_episode_titles?q=basie&podcast_id_type=rss&podcast_id=" + url.QueryEscape(swing.podcast.FeedURL), key: key, status: http.StatusOK, nonEmpty: []string{"results"}},
		{name: "episode titles by itunes id", target: "/api/v2/search_episode_titles?q=basie&podcast_id_type=itunes_id&podcast_id=123", key: key, status: http.StatusOK},
		{name: "episode titles without q", target: "/api/v2/search_episode_titles", key: key, status: http.StatusBadRequest},
		{name: "spellcheck", target: "/api/v2/spellcheck?q=bebopp+jaz", key: key, status: http.StatusOK, nonEmpty: []string{"tokens"}},
		{name: "spellcheck without q", target: "/api/v2/spellcheck", key: key, status: http.StatusBadRequest},
		{name: "related searches", target: "/api/v2/related_searches?q=jazz", key: key, status: http.StatusOK, nonEmpty: []string{"terms"}},
		{name: "related searches without q", target: "/api/v2/related_searches", key: key, status: http.StatusBadRequest},
		{name: "trending searches", target: "/api/v2/trending_searches", key: key, status: http.StatusOK, nonEmpty: []string{"terms"}},
		{name: "trending searches without key", target: "/api/v2/trending_searches", status: http.StatusUnauthorized},
		{name: "best podcasts", target: "/api/v2/best_podcasts", key: key, status: http.StatusOK, nonEmpty: []string{"podcasts"}},
		{name: "best podcasts of a genre", target: "/api/v2/best_podcasts?genre_id=1310&page=1&region=us&sort=listen_score&safe_mode=1", key: key, status: http.StatusOK, nonEmpty: []string{"podcasts"}},
		{name: "best podcasts past the end", target: "/api/v2/best_podcasts?page=9", key: f.metered, status: http.StatusOK},
		{name: "best podcasts of an unknown genre", target: "/api/v2/best_podcasts?genre_id=999999", key: key, status: http.StatusNotFound},
		{name: "curated lists", target: "/api/v2/curated_podcasts?page=1", key: key, status: http.StatusOK, nonEmpty: []string{"curated_lists"}},
		{name: "curated list", target: "/api/v2/curated_podcasts/" + lf.curatedID, key: key, status: http.StatusOK, nonEmpty: []string{"podcasts"}},
		{name: "curated list generated", target: "/api/v2/curated_podcasts/" + lf.generatedID, key: key, status: http.StatusOK, nonEmpty: []string{"podcasts"}},
		{name: "curated list unknown", target: "/api/v2/curated_podcasts/AAAAAAAAAAA", key: key, status: http.StatusNotFound},
		{name: "just listen", target: "/api/v2/just_listen", key: key, status: http.StatusOK},
		{name: "podcast recommendations", target: "/api/v2/podcasts/" + jazz.podcast.ID + "/recommendations", key: key, status: http.StatusOK, nonEmpty: []string{"recommendations"}},
		{name: "podcast recommendations safe", target: "/api/v2/podcasts/" + swing.podcast.ID + "/recommendations?safe_mode=1", key: key, status: http.StatusOK, nonEmpty: []string{"recommendations"}},
		{name: "podcast recommendations unknown", target: "/api/v2/podcasts/" + unknown + "/recommendations", key: key, status: http.StatusNotFound},
		{name: "episode recommendations", target: "/api/v2/episodes/" + jazz.episodes[0].ID + "/recommendations", key: key, status: http.StatusOK, nonEmpty: []string{"recommendations"}},
		{name: "episode recommendations unknown", target: "/api/v2/episodes/" + unknown + "/recommendations?safe_mode=0", key: key, status: http.StatusNotFound},
		{name: "podcasts by domain", target: "/api/v2/podcasts/domains/swing.example?page=1", key: key, status: http.StatusOK, nonEmpty: []string{"podcasts"}},
		{name: "podcasts by unknown domain", target: "/api/v2/podcasts/domains/nowhere.example", key: key, status: http.StatusNotFound},
		{name: "podcast audience", target: "/api/v2/podcasts/" + jazz.podcast.ID + "/audience", key: key, status: http.StatusOK},
		{name: "podcast audience unknown", target: "/api/v2/podcasts/" + unknown + "/audience", key: key, status: http.StatusNotFound},
		{name: "delete podcast", method: http.MethodDelete, target: "/api/v2/podcasts/" + f.bare.podcast.ID + "?reason=testing", key: key, status: http.StatusOK},
		{name: "delete podcast unknown", method: http.MethodDelete, target: "/api/v2/podcasts/" + unknown, key: key, status: http.StatusNotFound},
		{name: "delete podcast without key", method: http.MethodDelete, target: "/api/v2/podcasts/" + jazz.podcast.ID, status: http.StatusUnauthorized},
		{name: "playlists", target: "/api/v2/playlists?sort=name_a_to_z&page=1", key: key, status: http.StatusOK, nonEmpty: []string{"playlists"}},
		{name: "playlists of another key", target: "/api/v2/playlists", key: f.metered, status: http.StatusOK},
		{name: "playlist", target: "/api/v2/playlists/" + lf.main, key: key, status: http.StatusOK, nonEmpty: []string{"items"}},
		{name: "playlist podcasts by date", target: "/api/v2/playlists/" + lf.main + "?type=podcast_list&sort=recent_published_first&last_timestamp_ms=0", key: f.metered, status: http.StatusOK, nonEmpty: []string{"items"}},
		{name: "playlist private", target: "/api/v2/playlists/" + lf.private, key: key, status: http.StatusOK, nonEmpty: []string{"items"}},
		{name: "playlist private of another key", target: "/api/v2/playlists/" + lf.private, key: f.metered, status: http.StatusNotFound},
		{name: "playlist create", method: http.MethodPost, target: "/api/v2/playlists", form: url.Values{"name": {"New"}, "visibility": {"unlisted"}}, key: key, status: http.StatusCreated},
		{name: "playlist create without name", method: http.MethodPost, target: "/api/v2/playlists", form: url.Values{"description": {"x"}}, key: key, status: http.StatusBadRequest},
		{name: "playlist update", method: http.MethodPut, target: "/api/v2/playlists/" + lf.main, form: url.Values{"description": {"Changed"}}, key: key, status: http.StatusOK},
		{name: "playlist update of another key", method: http.MethodPut, target: "/api/v2/playlists/" + lf.main, form: url.Values{"name": {"Mine"}}, key: f.metered, status: http.StatusNotFound},
		{name: "playlist delete", method: http.MethodDelete, target: "/api/v2/playlists/" + lf.doomed, key: key, status: http.StatusOK},
		{name: "playlist add item again", method: http.MethodPost, target: "/api/v2/playlists/" + lf.main + "/items", form: url.Values{"podcast_id": {history.podcast.ID}}, key: key, status: http.StatusOK},
		{name: "playlist add item", method: http.MethodPost, target: "/api/v2/playlists/" + lf.private + "/items", form: url.Values{"episode_id": {swing.episodes[1].ID}, "notes": {"New"}}, key: key, status: http.StatusCreated},
		{name: "playlist add unknown episode", method: http.MethodPost, target: "/api/v2/playlists/" + lf.main + "/items", form: url.Values{"episode_id": {unknown}}, key: key, status: http.StatusNotFound},
		{name: "playlist add nothing", method: http.MethodPost, target: "/api/v2/playlists/" + lf.main + "/items", form: url.Values{"notes": {"x"}}, key: key, status: http.StatusBadRequest},
		{name: "playlist item notes", method: http.MethodPut, target: "/api/v2/playlists/" + lf.main + "/items/" + item(lf.noteItem), form: url.Values{"notes": {""}}, key: key, status: http.StatusOK},
		{name: "playlist item delete", method: http.MethodDelete, target: "/api/v2/playlists/" + lf.main + "/items/" + item(lf.doomedItem), key: key, status: http.StatusOK},
		{name: "playlist item delete unknown playlist", method: http.MethodDelete, target: "/api/v2/playlists/zzzzzzzzzzz/items/1", key: key, status: http.StatusNotFound},
	}
}
