package http_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
)

// TestPlaylistsBelongToKeys: on a server that takes requests without a key, playlists still
// need one; a playlist's key sees it whole, another key sees it only while it is not private and
// cannot change it; an item added twice is one item.
func TestPlaylistsBelongToKeys(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: false})
	jazz := addJazzShow(t, b.store)
	other, _, err := b.store.CreateAPIKey(t.Context(), "other", 0)
	if err != nil {
		t.Fatal(err)
	}
	as := func(key, method, target string, form url.Values) *httptest.ResponseRecorder {
		c := *b
		c.key = key
		return c.do(t, method, target, form)
	}

	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v2/playlists", nil))
	apiError(t, rec, http.StatusUnauthorized, "playlists belong to API keys")

	mine := createPlaylist(t, b, url.Values{"name": {"Mine"}, "visibility": {"private"}})
	first := decodeJSON(t, b.do(t, http.MethodPost, "/api/v2/playlists/"+mine+"/items", url.Values{"episode_id": {jazz.episodes[0].ID}, "notes": {"one"}}), http.StatusCreated)
	again := decodeJSON(t, b.do(t, http.MethodPost, "/api/v2/playlists/"+mine+"/items", url.Values{"episode_id": {jazz.episodes[0].ID}}), http.StatusOK)
	if first["id"] != again["id"] || again["notes"] != "one" {
		t.Errorf("added twice: %v then %v; want the same item, its notes kept", first, again)
	}

	// Pages follow last_timestamp_ms, the sort time of the last item of the page before.
	decodeJSON(t, b.do(t, http.MethodPost, "/api/v2/playlists/"+mine+"/items", url.Values{"episode_id": {jazz.episodes[1].ID}}), http.StatusCreated)
	page := decodeJSON(t, b.get(t, "/api/v2/playlists/"+mine+"?sort=recent_published_first"), http.StatusOK)
	items := page["items"].([]any)
	if len(items) != 2 || jget(items, 0, "data", "id") != jazz.episodes[0].ID || page["last_timestamp_ms"] != float64(jazz.episodes[1].PublishedAt.UnixMilli()) {
		t.Fatalf("by publication: %v", page)
	}
	cursor := jazz.episodes[0].PublishedAt.UnixMilli()
	page = decodeJSON(t, b.get(t, "/api/v2/playlists/"+mine+"?sort=recent_published_first&last_timestamp_ms="+strconv.FormatInt(cursor, 10)), http.StatusOK)
	if got := jlist(page, "id", "items"); len(got) != 1 || jget(page, "items", 0, "data", "id") != jazz.episodes[1].ID {
		t.Errorf("the page after %d: %v", cursor, page["items"])
	}

	apiError(t, as(other, http.MethodGet, "/api/v2/playlists/"+mine, nil), http.StatusNotFound, "no playlist")
	apiError(t, as(other, http.MethodDelete, "/api/v2/playlists/"+mine, nil), http.StatusNotFound, "no playlist")
	if got := decodeJSON(t, as(other, http.MethodGet, "/api/v2/playlists", nil), http.StatusOK); got["total"] != 0.0 {
		t.Errorf("the other key lists %v", got)
	}
	decodeJSON(t, b.do(t, http.MethodPut, "/api/v2/playlists/"+mine, url.Values{"visibility": {"unlisted"}}), http.StatusOK)
	shared := decodeJSON(t, as(other, http.MethodGet, "/api/v2/playlists/"+mine, nil), http.StatusOK)
	if shared["total"] != 2.0 || shared["visibility"] != "unlisted" {
		t.Errorf("unlisted playlist seen by another key: %v", shared)
	}
	apiError(t, as(other, http.MethodPut, "/api/v2/playlists/"+mine, url.Values{"name": {"Theirs"}}), http.StatusNotFound, "no playlist")
	apiError(t, b.do(t, http.MethodPut, "/api/v2/playlists/"+mine, url.Values{}), http.StatusBadRequest, "at least one of")
	apiError(t, b.do(t, http.MethodPost, "/api/v2/playlists", url.Values{"name": {"x"}, "visibility": {"secret"}}), http.StatusBadRequest, "visibility")
}
