package http_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"hark"
)

// contractCase is one request to the API and the status Hark should answer it with.
type contractCase struct {
	name     string
	method   string // GET when empty
	target   string
	form     url.Values // the url-encoded body of a POST
	key      string     // X-ListenAPI-Key; none when empty
	down     bool       // search through an index whose Typesense is down
	status   int
	nonEmpty []string // top-level arrays that must have items, so that their schema is checked
	absent   []string // top-level properties that the spec says show up only when asked for
}

// TestListenAPIContract sends every operation of the Listen API that Hark implements, with
// several combinations of params, and checks each answer against the official spec: status,
// body and headers. POST /podcasts/{id}/refresh is Hark's own, so the spec has nothing to say.
//
// Hark answers 400 to bad params of GET /podcasts/{id}, GET /episodes/{id}, POST /podcasts,
// POST /episodes and GET /genres too, where the spec lists no 400; those answers are tested in
// api_test.go, not here.
func TestListenAPIContract(t *testing.T) {
	t.Parallel()
	c := loadContract(t)
	b := setup(t, setupOpts{requireKey: true})
	f := newContractFixture(t, b)
	down, _ := downIndex(t)
	downSrv := b.withIndex(down).srv

	key, metered, spent := b.key, f.metered, f.spent
	jazz, history, bare := f.jazz, f.history, f.bare
	// The newest episodes of history come ten to a page: the cursor of page 1 is its tenth.
	cursor := strconv.FormatInt(history.episodes[9].PublishedAt.UnixMilli(), 10)
	oldestCursor := strconv.FormatInt(history.episodes[len(history.episodes)-10].PublishedAt.UnixMilli(), 10)
	ids := func(ids ...string) string { return strings.Join(ids, ",") }

	tests := []contractCase{
		// GET /search
		{name: "search default type", target: "/api/v2/search?q=jazz", key: key, status: http.StatusOK, nonEmpty: []string{"results"}},
		{name: "search episodes by date", target: "/api/v2/search?q=jazz&type=episode&sort_by_date=1&page_size=2", key: key, status: http.StatusOK, nonEmpty: []string{"results"}},
		{name: "search episodes second page", target: "/api/v2/search?q=jazz&type=episode&page_size=2&offset=2", key: key, status: http.StatusOK, nonEmpty: []string{"results"}},
		{name: "search episodes unique podcasts", target: "/api/v2/search?q=jazz&type=episode&unique_podcasts=1", key: key, status: http.StatusOK, nonEmpty: []string{"results"}},
		{name: "search episodes filtered", target: "/api/v2/search?q=jazz&type=episode&only_in=title,description&len_min=10&len_max=90&safe_mode=1&genre_ids=1310&published_after=" + millis(day.AddDate(0, 0, -1)), key: key, status: http.StatusOK, nonEmpty: []string{"results"}},
		{name: "search episodes without artwork", target: "/api/v2/search?q=lighthouse&type=episode", key: key, status: http.StatusOK, nonEmpty: []string{"results"}},
		{name: "search episodes in French", target: "/api/v2/search?q=roi&type=episode&language=French", key: key, status: http.StatusOK, nonEmpty: []string{"results"}},
		{name: "search episodes no hits", target: "/api/v2/search?q=xylophonist", key: key, status: http.StatusOK},
		{name: "search podcasts", target: "/api/v2/search?q=jazz&type=podcast", key: key, status: http.StatusOK, nonEmpty: []string{"results"}},
		{name: "search podcasts by region", target: "/api/v2/search?q=histoire&type=podcast&region=fr&language=French", key: key, status: http.StatusOK, nonEmpty: []string{"results"}},
		{name: "search podcasts filtered", target: "/api/v2/search?q=jazz&type=podcast&genre_ids=1310&episode_count_min=1&episode_count_max=50&sort_by_date=1&ncid=" + history.podcast.ID, key: key, status: http.StatusOK, nonEmpty: []string{"results"}},
		{name: "search podcasts without artwork", target: "/api/v2/search?q=lighthouse&type=podcast", key: key, status: http.StatusOK, nonEmpty: []string{"results"}},
		{name: "search podcasts metered key", target: "/api/v2/search?q=jazz&type=podcast&offset=0&page_size=1", key: metered, status: http.StatusOK, nonEmpty: []string{"results"}},
		{name: "search without q", target: "/api/v2/search?type=episode", key: key, status: http.StatusBadRequest},
		{name: "search curated lists", target: "/api/v2/search?q=music&type=curated", key: key, status: http.StatusOK, nonEmpty: []string{"results"}},
		{name: "search interviews and sponsored only", target: "/api/v2/search?q=jazz&interviews_only=1&sponsored_only=1", key: key, status: http.StatusOK, nonEmpty: []string{"results"}},
		{name: "search without key", target: "/api/v2/search?q=jazz", status: http.StatusUnauthorized},
		{name: "search over quota", target: "/api/v2/search?q=jazz", key: spent, status: http.StatusTooManyRequests},
		{name: "search index down", target: "/api/v2/search?q=jazz", key: key, down: true, status: http.StatusServiceUnavailable},

		// GET /typeahead
		{name: "typeahead terms", target: "/api/v2/typeahead?q=ja", key: key, status: http.StatusOK, nonEmpty: []string{"terms"}, absent: []string{"genres", "podcasts"}},
		{name: "typeahead everything", target: "/api/v2/typeahead?q=the+ja&show_podcasts=1&show_genres=1", key: key, status: http.StatusOK, nonEmpty: []string{"terms", "podcasts"}},
		{name: "typeahead genres safe", target: "/api/v2/typeahead?q=mus&show_genres=1&show_podcasts=1&safe_mode=1", key: key, status: http.StatusOK, nonEmpty: []string{"genres"}},
		{name: "typeahead without q", target: "/api/v2/typeahead?show_podcasts=1", key: key, status: http.StatusBadRequest},
		{name: "typeahead without key", target: "/api/v2/typeahead?q=ja", status: http.StatusUnauthorized},
		{name: "typeahead index down", target: "/api/v2/typeahead?q=ja", key: key, down: true, status: http.StatusServiceUnavailable},

		// GET /podcasts/{id}
		{name: "podcast", target: "/api/v2/podcasts/" + jazz.podcast.ID, key: key, status: http.StatusOK, nonEmpty: []string{"episodes"}},
		{name: "podcast page 1", target: "/api/v2/podcasts/" + history.podcast.ID, key: key, status: http.StatusOK, nonEmpty: []string{"episodes"}},
		{name: "podcast page 2", target: "/api/v2/podcasts/" + history.podcast.ID + "?next_episode_pub_date=" + cursor, key: key, status: http.StatusOK, nonEmpty: []string{"episodes"}},
		{name: "podcast oldest first", target: "/api/v2/podcasts/" + history.podcast.ID + "?sort=oldest_first", key: key, status: http.StatusOK, nonEmpty: []string{"episodes"}},
		{name: "podcast oldest first page 2", target: "/api/v2/podcasts/" + history.podcast.ID + "?sort=oldest_first&next_episode_pub_date=" + oldestCursor, key: key, status: http.StatusOK, nonEmpty: []string{"episodes"}},
		{name: "podcast past its last page", target: "/api/v2/podcasts/" + jazz.podcast.ID + "?next_episode_pub_date=" + millis(day), key: key, status: http.StatusOK},
		{name: "podcast without artwork", target: "/api/v2/podcasts/" + bare.podcast.ID, key: key, status: http.StatusOK, nonEmpty: []string{"episodes"}},
		{name: "podcast not crawled yet", target: "/api/v2/podcasts/" + f.uncrawled.ID, key: key, status: http.StatusOK},
		{name: "podcast unknown", target: "/api/v2/podcasts/" + hark.NewID(), key: key, status: http.StatusNotFound},
		{name: "podcast malformed id", target: "/api/v2/podcasts/nope", key: key, status: http.StatusNotFound},
		{name: "podcast without key", target: "/api/v2/podcasts/" + jazz.podcast.ID, status: http.StatusUnauthorized},

		// GET /episodes/{id}
		{name: "episode", target: "/api/v2/episodes/" + jazz.episodes[1].ID, key: key, status: http.StatusOK},
		{name: "episode with transcript asked", target: "/api/v2/episodes/" + jazz.episodes[0].ID + "?show_transcript=1", key: key, status: http.StatusOK},
		{name: "episode without artwork", target: "/api/v2/episodes/" + bare.episodes[0].ID + "?show_transcript=0", key: key, status: http.StatusOK},
		{name: "episode serial", target: "/api/v2/episodes/" + history.episodes[3].ID, key: metered, status: http.StatusOK},
		{name: "episode unknown", target: "/api/v2/episodes/" + hark.NewID(), key: key, status: http.StatusNotFound},
		{name: "episode without key", target: "/api/v2/episodes/" + jazz.episodes[1].ID, status: http.StatusUnauthorized},

		// POST /episodes
		{name: "episodes batch", method: http.MethodPost, target: "/api/v2/episodes", form: url.Values{"ids": {ids(jazz.episodes[2].ID, history.episodes[0].ID, bare.episodes[0].ID)}}, key: key, status: http.StatusOK, nonEmpty: []string{"episodes"}},
		{name: "episodes batch some unknown", method: http.MethodPost, target: "/api/v2/episodes", form: url.Values{"ids": {ids(hark.NewID(), jazz.episodes[0].ID)}}, key: key, status: http.StatusOK, nonEmpty: []string{"episodes"}},
		{name: "episodes batch all unknown", method: http.MethodPost, target: "/api/v2/episodes", form: url.Values{"ids": {ids(hark.NewID())}}, key: key, status: http.StatusOK},
		{name: "episodes batch without key", method: http.MethodPost, target: "/api/v2/episodes", form: url.Values{"ids": {jazz.episodes[0].ID}}, status: http.StatusUnauthorized},

		// POST /podcasts
		{name: "podcasts batch", method: http.MethodPost, target: "/api/v2/podcasts", form: url.Values{"ids": {ids(jazz.podcast.ID, history.podcast.ID, bare.podcast.ID, f.uncrawled.ID)}}, key: key, status: http.StatusOK, nonEmpty: []string{"podcasts"}, absent: []string{"latest_episodes"}},
		{name: "podcasts batch latest episodes", method: http.MethodPost, target: "/api/v2/podcasts", form: url.Values{"ids": {ids(jazz.podcast.ID, history.podcast.ID, hark.NewID())}, "show_latest_episodes": {"1"}}, key: key, status: http.StatusOK, nonEmpty: []string{"podcasts", "latest_episodes"}},
		{name: "podcasts batch latest episodes page 2", method: http.MethodPost, target: "/api/v2/podcasts", form: url.Values{"ids": {ids(jazz.podcast.ID, history.podcast.ID)}, "show_latest_episodes": {"1"}, "next_episode_pub_date": {cursor}}, key: key, status: http.StatusOK, nonEmpty: []string{"podcasts", "latest_episodes"}},
		{name: "podcasts batch without latest episodes", method: http.MethodPost, target: "/api/v2/podcasts", form: url.Values{"ids": {bare.podcast.ID}, "show_latest_episodes": {"0"}}, key: key, status: http.StatusOK, nonEmpty: []string{"podcasts"}, absent: []string{"latest_episodes"}},
		{name: "podcasts batch without key", method: http.MethodPost, target: "/api/v2/podcasts", form: url.Values{"ids": {jazz.podcast.ID}}, status: http.StatusUnauthorized},

		// POST /podcasts/submit
		{name: "submit known feed", method: http.MethodPost, target: "/api/v2/podcasts/submit", form: url.Values{"rss": {jazz.podcast.FeedURL}}, key: key, status: http.StatusOK},
		{name: "submit new feed", method: http.MethodPost, target: "/api/v2/podcasts/submit", form: url.Values{"rss": {"https://new.example/feed.xml"}, "email": {"host@new.example"}}, key: key, status: http.StatusOK},
		{name: "submit without rss", method: http.MethodPost, target: "/api/v2/podcasts/submit", form: url.Values{}, key: key, status: http.StatusBadRequest},
		{name: "submit not a feed URL", method: http.MethodPost, target: "/api/v2/podcasts/submit", form: url.Values{"rss": {"ftp://feeds.example.com/x"}}, key: key, status: http.StatusBadRequest},
		{name: "submit without key", method: http.MethodPost, target: "/api/v2/podcasts/submit", form: url.Values{"rss": {jazz.podcast.FeedURL}}, status: http.StatusUnauthorized},

		// GET /genres, /languages, /regions
		{name: "genres", target: "/api/v2/genres", key: key, status: http.StatusOK, nonEmpty: []string{"genres"}},
		{name: "genres top level", target: "/api/v2/genres?top_level_only=1", key: metered, status: http.StatusOK, nonEmpty: []string{"genres"}},
		{name: "genres without key", target: "/api/v2/genres", status: http.StatusUnauthorized},
		{name: "languages", target: "/api/v2/languages", key: key, status: http.StatusOK, nonEmpty: []string{"languages"}},
		{name: "languages over quota", target: "/api/v2/languages", key: spent, status: http.StatusTooManyRequests},
		{name: "languages without key", target: "/api/v2/languages", status: http.StatusUnauthorized},
		{name: "regions", target: "/api/v2/regions", key: key, status: http.StatusOK},
		{name: "regions without key", target: "/api/v2/regions", status: http.StatusUnauthorized},
	}
	tests = append(tests, f.extraCases(key)...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := http.Handler(b.srv)
			if tt.down {
				srv = downSrv
			}
			req, res := send(srv, tt)
			if res.StatusCode != tt.status {
				t.Fatalf("%s %s: status %d, want %d; body: %s", req.Method, req.URL, res.StatusCode, tt.status, readBody(t, res))
			}
			c.check(t, req, res)
			if len(tt.nonEmpty)+len(tt.absent) > 0 {
				checkTopLevel(t, readBody(t, res), tt.nonEmpty, tt.absent)
			}
		})
	}
}

// send answers one case's request. The request it returns is a fresh copy: the server read the
// body of the one it answered.
func send(srv http.Handler, tt contractCase) (*http.Request, *http.Response) {
	method := cmp.Or(tt.method, http.MethodGet)
	newReq := func() *http.Request {
		var req *http.Request
		if tt.form != nil {
			req = httptest.NewRequest(method, tt.target, strings.NewReader(tt.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req = httptest.NewRequest(method, tt.target, nil)
		}
		if tt.key != "" {
			req.Header.Set("X-ListenAPI-Key", tt.key)
		}
		return req
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, newReq())
	return newReq(), rec.Result()
}

func readBody(t *testing.T, res *http.Response) []byte {
	t.Helper()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// checkTopLevel checks that the arrays nonEmpty name have items and the properties absent names
// are not there.
func checkTopLevel(t *testing.T, body []byte, nonEmpty, absent []string) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v", err)
	}
	for _, k := range nonEmpty {
		if list, _ := m[k].([]any); len(list) == 0 {
			t.Errorf("%s = %v, want items for the spec to check", k, m[k])
		}
	}
	for _, k := range absent {
		if v, ok := m[k]; ok {
			t.Errorf("%s = %v, want it left out unless asked for", k, v)
		}
	}
}

// contractFixture is realistic data for every operation: a podcast with hostile notes and an
// explicit episode, a serial French podcast with more than a page of episodes and a country, a
// podcast whose feed gave almost nothing but titles and audio, and a submitted feed that has not
// been crawled yet.
type contractFixture struct {
	jazz, history, bare show
	swing               show // a second music podcast, for recommendations
	uncrawled           hark.Podcast
	lists               playlistFixture
	metered             string // an API key with a quota it has not used up
	spent               string // an API key that has used up its quota
}

func newContractFixture(t *testing.T, b *testBundle) *contractFixture {
	t.Helper()
	ctx := context.Background()
	f := &contractFixture{jazz: addJazzShow(t, b.store)}

	var reigns []hark.Episode
	for i := range 14 {
		reigns = append(reigns, hark.Episode{
			GUID: fmt.Sprint("roi-", i), Title: fmt.Sprintf("Le roi n°%d", i+1),
			Description: fmt.Sprintf("<p>Épisode %d de l'histoire des rois de France.</p>", i+1),
			AudioURL:    fmt.Sprintf("https://audio.example/histoire/%d.mp3", i+1), AudioLengthSec: 1500 + 60*i,
			PublishedAt: day.AddDate(0, 0, -7*i), Link: fmt.Sprintf("https://histoire.example/%d", i+1),
		})
	}
	f.history = addShow(t, b.store, "https://feeds.example.com/histoire.xml", &hark.Feed{
		Podcast: hark.Podcast{
			Title: "Histoire de France", Publisher: "Radio Exemple", Description: "Les rois, dans l'ordre.",
			ImageURL: "https://img.example/histoire.jpg", WebsiteURL: "https://histoire.example",
			Language: "fr-fr", Country: "fr", Categories: []string{"History"}, GenreIDs: []int{1487}, Type: "serial",
			Explicit: true, OwnerEmail: "contact@histoire.example",
		},
		Episodes: reigns,
	})
	f.bare = addShow(t, b.store, "https://feeds.example.com/lighthouse.xml", &hark.Feed{
		Podcast:  hark.Podcast{Title: "Lighthouse"},
		Episodes: []hark.Episode{{GUID: "1", Title: "Lighthouse keepers", AudioURL: "https://audio.example/lh.mp3", PublishedAt: day}},
	})
	f.swing = addSwingShow(t, b.store)
	var err error
	if f.uncrawled, _, err = b.store.CreatePodcast(ctx, "https://feeds.example.com/soon.xml", "feeds.example.com/soon.xml", ""); err != nil {
		t.Fatal(err)
	}
	b.reindex(t)
	f.lists = addListenExtras(t, b, f)

	if f.metered, _, err = b.store.CreateAPIKey(ctx, "metered", 1000); err != nil {
		t.Fatal(err)
	}
	if f.spent, _, err = b.store.CreateAPIKey(ctx, "spent", 1); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/v2/regions", nil)
	req.Header.Set("X-ListenAPI-Key", f.spent)
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("first request of a key with a quota of 1: status %d", rec.Code)
	}
	return f
}
