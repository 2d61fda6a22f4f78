package http_test

import (
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hark"
	"hark/db"
	"hark/db/dbtest"
	"hark/db/querycount"
	"hark/jobs"
)

// TestBatchLookupsAreOneQueryEach: the batch endpoints answer in the order asked, leave unknown
// IDs out, agree with the single lookups, and send one query per kind of thing they read however
// many IDs they are given.
func TestBatchLookupsAreOneQueryEach(t *testing.T) {
	t.Parallel()
	var n querycount.Counter
	pool := dbtest.NewCountedSchema(t, 4, &n)
	store := db.New(pool)
	client, err := jobs.NewClient(pool, jobs.Config{Store: store, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	b := &testBundle{pool: pool, store: store, index: newTestIndex(t), river: client, logger: slog.New(slog.DiscardHandler)}
	b.srv = b.newServer()
	jazz := addJazzShow(t, store)
	// History publishes on Jazz's days, so the merged page has ties to order.
	history := addShow(t, store, "https://feeds.example.com/history.xml", &hark.Feed{
		Podcast: hark.Podcast{Title: "Old Times", Language: "en"},
		Episodes: []hark.Episode{
			{GUID: "h1", Title: "Rome", AudioURL: "https://audio.example/h1.mp3", PublishedAt: day.AddDate(0, 0, 7)},
			{GUID: "h2", Title: "Carthage", AudioURL: "https://audio.example/h2.mp3", PublishedAt: day.AddDate(0, 0, 21)},
		},
	})
	unknown := hark.NewID()
	// A process reads the quality scores' distribution (for listen_score) once every ten
	// minutes; the first answer with a podcast reads it.
	b.getJSON(t, "/api/v2/podcasts/"+jazz.podcast.ID, http.StatusOK)

	n.Take()
	got := decodeJSON(t, b.do(t, http.MethodPost, "/api/v2/episodes", url.Values{"ids": {strings.Join([]string{
		jazz.episodes[2].ID, unknown, history.episodes[0].ID, jazz.episodes[0].ID, jazz.episodes[2].ID}, ",")}}), http.StatusOK)
	queries := n.Take()
	want := []string{jazz.episodes[2].ID + " " + jazz.podcast.ID, history.episodes[0].ID + " " + history.podcast.ID,
		jazz.episodes[0].ID + " " + jazz.podcast.ID, jazz.episodes[2].ID + " " + jazz.podcast.ID}
	if diff := cmp.Diff(want, episodesAndPodcasts(got["episodes"])); diff != "" {
		t.Errorf("POST /episodes answered (-want +got):\n%s", diff)
	}
	if queries.Statements > 2 {
		t.Errorf("POST /episodes with 5 ids sent %s; want 2: the episodes, then their podcasts", queries)
	}

	// Newest first across both shows; at the same time, in the order the podcasts were asked for.
	wantLatest := []string{
		history.episodes[0].ID + " " + history.podcast.ID, // day+21
		jazz.episodes[0].ID + " " + jazz.podcast.ID,       // day+14
		history.episodes[1].ID + " " + history.podcast.ID, // day+7, History asked first
		jazz.episodes[1].ID + " " + jazz.podcast.ID,       // day+7
		jazz.episodes[2].ID + " " + jazz.podcast.ID,       // day
	}
	for _, tt := range []struct {
		name       string
		cursor     string
		latest     []string
		maxQueries int
	}{
		{"first page", "", wantLatest, 2}, // the podcasts, then their pages, whose heads are the latest IDs
		// Strictly before Jazz's day+14 episode; the latest IDs then need a query of their own.
		{"after a cursor", strconv.FormatInt(day.AddDate(0, 0, 14).UnixMilli(), 10), wantLatest[2:], 3},
	} {
		form := url.Values{"ids": {history.podcast.ID + "," + unknown + "," + jazz.podcast.ID}, "show_latest_episodes": {"1"}}
		if tt.cursor != "" {
			form.Set("next_episode_pub_date", tt.cursor)
		}
		n.Take()
		got := decodeJSON(t, b.do(t, http.MethodPost, "/api/v2/podcasts", form), http.StatusOK)
		queries := n.Take()
		var pods []string
		for _, p := range got["podcasts"].([]any) {
			p := p.(map[string]any)
			single := decodeJSON(t, b.get(t, "/api/v2/podcasts/"+p["id"].(string)), http.StatusOK)
			if p["latest_episode_id"] != single["latest_episode_id"] {
				t.Errorf("%s: podcast %s: latest_episode_id %v in the batch, %v alone", tt.name, p["id"], p["latest_episode_id"], single["latest_episode_id"])
			}
			pods = append(pods, p["id"].(string))
		}
		if diff := cmp.Diff([]string{history.podcast.ID, jazz.podcast.ID}, pods); diff != "" {
			t.Errorf("%s: podcasts (-want +got):\n%s", tt.name, diff)
		}
		if diff := cmp.Diff(tt.latest, episodesAndPodcasts(got["latest_episodes"])); diff != "" {
			t.Errorf("%s: latest_episodes (-want +got):\n%s", tt.name, diff)
		}
		if queries.Statements > tt.maxQueries {
			t.Errorf("%s: POST /podcasts with 3 ids sent %s; want at most %d", tt.name, queries, tt.maxQueries)
		}
	}
}

// episodesAndPodcasts lists "episode-id podcast-id" for each episode of an answer.
func episodesAndPodcasts(eps any) []string {
	var out []string
	for _, e := range eps.([]any) {
		e := e.(map[string]any)
		out = append(out, e["id"].(string)+" "+e["podcast"].(map[string]any)["id"].(string))
	}
	return out
}
