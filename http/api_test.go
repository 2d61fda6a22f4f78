package http_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hark"
	podhttp "hark/http"
)

// latencySeconds is how the Listen API writes X-listenAPI-Latency-Seconds.
var latencySeconds = regexp.MustCompile(`^[0-9]+\.[0-9]{3}$`)

func TestAPIKeyRequired(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})

	tests := []struct {
		name   string
		key    string
		status int
		want   string
	}{
		{"no key", "", http.StatusUnauthorized, "X-ListenAPI-Key"},
		{"wrong key", "not-a-key", http.StatusUnauthorized, "wrong or revoked"},
		{"valid key", b.key, http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/api/v2/genres", nil)
			if tt.key != "" {
				req.Header.Set("X-ListenAPI-Key", tt.key)
			}
			rec := httptest.NewRecorder()
			b.srv.ServeHTTP(rec, req)
			if tt.status != http.StatusOK {
				apiError(t, rec, tt.status, tt.want)
				return
			}
			decodeJSON(t, rec, http.StatusOK)
			if got := rec.Header().Get("X-ListenAPI-Usage"); got == "" {
				t.Error("no X-ListenAPI-Usage header on a keyed request")
			}
			if got := rec.Header().Get("X-listenAPI-Latency-Seconds"); !latencySeconds.MatchString(got) {
				t.Errorf("X-listenAPI-Latency-Seconds = %q; want seconds to the millisecond, like 0.012", got)
			}
		})
	}
}

func TestAPIKeyOptional(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: false})
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v2/genres", nil))
	decodeJSON(t, rec, http.StatusOK)
}

func TestAPIQuotaExceeded(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	key, _, err := b.store.CreateAPIKey(context.Background(), "small", 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		req := httptest.NewRequest(http.MethodGet, "/api/v2/languages", nil)
		req.Header.Set("X-ListenAPI-Key", key)
		rec := httptest.NewRecorder()
		b.srv.ServeHTTP(rec, req)
		// The third request is refused and not billed: usage stays at the quota.
		if got := rec.Header().Get("X-ListenAPI-Usage"); got != strconv.Itoa(min(i, 2)) {
			t.Errorf("request %d: X-ListenAPI-Usage = %q, want %d", i, got, min(i, 2))
		}
		if got := rec.Header().Get("X-ListenAPI-FreeQuota"); got != "2" {
			t.Errorf("request %d: X-ListenAPI-FreeQuota = %q, want 2", i, got)
		}
		if i <= 2 {
			decodeJSON(t, rec, http.StatusOK)
		} else {
			apiError(t, rec, http.StatusTooManyRequests, "monthly quota of 2 requests")
		}
	}
}

func TestSearchParamValidation(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	long := strings.Repeat("a", 201)
	tests := []struct {
		name, query, want string
	}{
		{"missing q", "", "q: is required"},
		{"blank q", "q=%20%20", "q: is required"},
		{"long q", "q=" + long, "q: must be at most 200"},
		{"page_size too big", "q=jazz&page_size=99", "page_size:"},
		{"page_size zero", "q=jazz&page_size=0", "page_size:"},
		{"negative offset", "q=jazz&offset=-1", "offset:"},
		{"offset too far", "q=jazz&offset=10001", "offset:"},
		{"unknown type", "q=jazz&type=show", "type: must be episode, podcast or curated"},
		{"genre not a number", "q=jazz&genre_ids=1310,rock", `genre_ids: "rock" is not a genre id`},
		{"unknown genre", "q=jazz&genre_ids=1310,66", "genre_ids: 66 is not a genre Hark knows"},
		{"bad ocid", "q=jazz&ocid=abc", `ocid: "abc" is not a podcast id`},
		{"too many ocid", "q=jazz&ocid=" + strings.TrimSuffix(strings.Repeat(hark.NewID()+",", 6), ","), "ocid: at most 5"},
		{"bad ncid", "q=jazz&ncid=" + strings.ToUpper(hark.NewID()), "ncid:"},
		{"sort_by_date not 0/1", "q=jazz&sort_by_date=yes", "sort_by_date: must be 0 or 1"},
		{"safe_mode not 0/1", "q=jazz&safe_mode=2", "safe_mode: must be 0 or 1"},
		{"interviews_only not 0/1", "q=jazz&interviews_only=yes", "interviews_only: must be 0 or 1"},
		{"sponsored_only not 0/1", "q=jazz&sponsored_only=2", "sponsored_only: must be 0 or 1"},
		{"len_min negative", "q=jazz&len_min=-5", "len_min:"},
		{"len range reversed", "q=jazz&len_min=30&len_max=10", "len_max: must not be less than len_min"},
		{"published_after not ms", "q=jazz&published_after=yesterday", "published_after:"},
		{"published range reversed", "q=jazz&published_before=1000&published_after=2000", "published_before: must be later"},
		{"only_in unknown field", "q=jazz&only_in=title,lyrics", `only_in: "lyrics" is not one of`},
		{"unknown language", "q=jazz&language=Klingon", `language: "Klingon" is not a language`},
		{"unknown region", "q=jazz&region=zz", `region: "zz" is not a region`},
		{"episode_count range reversed", "q=jazz&type=podcast&episode_count_min=10&episode_count_max=2", "episode_count_max:"},
		{"update_freq not a number", "q=jazz&type=podcast&update_freq_max=weekly", "update_freq_max:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			apiError(t, b.get(t, "/api/v2/search?"+tt.query), http.StatusBadRequest, tt.want)
		})
	}
}

func TestSearchEpisodesJSON(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	b.reindex(t)

	// Newest first, so that the page is the first two episodes by date.
	got := b.getJSON(t, "/api/v2/search?q=jazz&page_size=2&sort_by_date=1", http.StatusOK)
	checkShape(t, "SearchResponse", got, map[string]string{
		"took": "integer", "count": "integer", "total": "integer", "next_offset": "integer", "results": "array",
	})
	// took is in seconds, to the millisecond.
	if took, _ := got["took"].(float64); took < 0 || took > 10 || took != math.Round(took*1000)/1000 {
		t.Errorf("took = %v, want seconds to the millisecond", got["took"])
	}
	if got["count"] != 2.0 || got["total"] != 3.0 || got["next_offset"] != 2.0 {
		t.Errorf("count %v total %v next_offset %v; want 2 3 2", got["count"], got["total"], got["next_offset"])
	}
	results := got["results"].([]any)
	for i, r := range results {
		res := r.(map[string]any)
		checkShape(t, fmt.Sprintf("results[%d]", i), res, episodeSearchResultSchema)
		checkShape(t, fmt.Sprintf("results[%d].podcast", i), res["podcast"].(map[string]any), episodeSearchPodcastSchema)
	}

	first := results[0].(map[string]any)
	newest := jazz.episodes[0] // "Cool jazz & modal"
	wantFirst := map[string]any{
		"id": newest.ID, "title_original": "Cool jazz & modal",
		"title_highlighted": `Cool <span class="ln-search-highlight">jazz</span> &amp; modal`,
		"audio":             "https://audio.example/3.mp3", "audio_length_sec": 2400.0,
		"pub_date_ms": float64(day.AddDate(0, 0, 14).UnixMilli()), "image": "https://img.example/ep3.jpg",
		"rss": "https://feeds.example.com/jazz.xml", "listennotes_url": testBaseURL + podhttp.EpisodePath(newest.ID, newest.Title),
		"description_original": "Plain text notes. Second paragraph.",
	}
	for k, want := range wantFirst {
		if first[k] != want {
			t.Errorf("results[0].%s = %#v, want %#v", k, first[k], want)
		}
	}
	pod := first["podcast"].(map[string]any)
	if pod["id"] != jazz.podcast.ID || pod["title_original"] != "The Jazz Hour" ||
		pod["listennotes_url"] != testBaseURL+podhttp.PodcastPath(jazz.podcast.ID, jazz.podcast.Title) {
		t.Errorf("results[0].podcast = %v", pod)
	}

	// The hostile description comes back as plain text, and its highlight has no markup but marks.
	second := results[1].(map[string]any)
	if second["id"] != jazz.episodes[1].ID {
		t.Fatalf("results[1] is %v, want Bebop", second["title_original"])
	}
	for _, k := range []string{"description_original", "description_highlighted"} {
		if s := second[k].(string); strings.Contains(s, "<script") || strings.Contains(s, "onclick") {
			t.Errorf("results[1].%s carries feed markup: %q", k, s)
		}
	}
	if want := `Great <span class="ln-search-highlight">jazz</span> talk. click`; second["description_highlighted"] != want {
		t.Errorf("results[1].description_highlighted = %q, want %q", second["description_highlighted"], want)
	}
}

func TestSearchPodcastsJSON(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	b.reindex(t)

	got := b.getJSON(t, "/api/v2/search?q=jazz&type=podcast", http.StatusOK)
	results := got["results"].([]any)
	if len(results) != 1 {
		t.Fatalf("got %d podcast results, want 1", len(results))
	}
	res := results[0].(map[string]any)
	checkShape(t, "PodcastSearchResult", res, podcastSearchResultSchema)
	want := map[string]any{
		"id": jazz.podcast.ID, "title_original": "The Jazz Hour",
		"title_highlighted":  `The <span class="ln-search-highlight">Jazz</span> Hour`,
		"publisher_original": "Ann Example", "rss": "https://feeds.example.com/jazz.xml",
		"email": "ann@example.com", "website": "https://jazz.example", "total_episodes": 3.0,
		"latest_pub_date_ms":   float64(day.AddDate(0, 0, 14).UnixMilli()),
		"earliest_pub_date_ms": float64(day.UnixMilli()),
		"listennotes_url":      testBaseURL + podhttp.PodcastPath(jazz.podcast.ID, jazz.podcast.Title),
	}
	for k, w := range want {
		if res[k] != w {
			t.Errorf("%s = %#v, want %#v", k, res[k], w)
		}
	}
	if diff := cmp.Diff([]any{1310.0}, res["genre_ids"]); diff != "" {
		t.Errorf("genre_ids (-want +got):\n%s", diff)
	}
}

func TestSearchUnavailable(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})

	// Typesense down: nothing listens at the index's address.
	ix, addr := downIndex(t)
	rec := b.withIndex(ix).get(t, "/api/v2/search?q=jazz")
	apiError(t, rec, http.StatusServiceUnavailable, "try again")
	if leaksError(rec.Body.String(), addr) {
		t.Errorf("503 body leaks the internal error: %s", rec.Body)
	}

	// Typesense refuses the index's API key: a deployment error, not an outage.
	rec = b.withIndex(newIndexAt(t, os.Getenv("TYPESENSE_URL"), "not-the-key")).get(t, "/api/v2/search?q=jazz")
	apiError(t, rec, http.StatusInternalServerError, "request ID")
	if leaksError(rec.Body.String(), os.Getenv("TYPESENSE_URL")) || strings.Contains(rec.Body.String(), "Forbidden") {
		t.Errorf("500 body leaks the internal error: %s", rec.Body)
	}
}

// leaksError reports whether an answer shows the internal error of a failed search: the index's
// address or what the client said about it.
func leaksError(body, addr string) bool {
	body = strings.ToLower(body)
	return strings.Contains(body, strings.ToLower(addr)) || strings.Contains(body, "typesense") ||
		strings.Contains(body, "dial tcp") || strings.Contains(body, "connection refused")
}

func TestPodcastShowJSON(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	// Eleven more episodes, so that paging has a second page.
	var more []hark.Episode
	for i := range 11 {
		more = append(more, hark.Episode{GUID: fmt.Sprint("m", i), Title: fmt.Sprint("Old ", i), PublishedAt: day.AddDate(0, 0, -1-i)})
	}
	long := addShow(t, b.store, "https://feeds.example.com/long.xml", &hark.Feed{Podcast: hark.Podcast{Title: "Long"}, Episodes: more})

	got := b.getJSON(t, "/api/v2/podcasts/"+jazz.podcast.ID, http.StatusOK)
	checkShape(t, "PodcastFull", got, podcastFullSchema)
	eps := got["episodes"].([]any)
	if len(eps) != 3 {
		t.Fatalf("got %d episodes, want 3", len(eps))
	}
	for i, e := range eps {
		checkShape(t, fmt.Sprintf("episodes[%d]", i), e.(map[string]any), episodeMinimumSchema)
	}
	if got["title"] != "The Jazz Hour" || got["language"] != "English" || got["total_episodes"] != 3.0 ||
		got["latest_episode_id"] != jazz.episodes[0].ID || got["type"] != "episodic" {
		t.Errorf("podcast = title %v language %v total_episodes %v latest_episode_id %v type %v",
			got["title"], got["language"], got["total_episodes"], got["latest_episode_id"], got["type"])
	}
	if d := got["description"].(string); strings.Contains(d, "<script") || strings.Contains(d, "onclick") || !strings.Contains(d, "<b>jazz</b>") {
		t.Errorf("description = %q, want sanitized HTML that keeps <b>", d)
	}
	if e := eps[2].(map[string]any); e["image"] != "https://img.example/jazz.jpg" {
		t.Errorf("episode without artwork has image %v, want the podcast's", e["image"])
	}

	// Paging: recent_first, then the cursor of the last answer.
	page1 := b.getJSON(t, "/api/v2/podcasts/"+long.podcast.ID, http.StatusOK)
	titles := episodeTitles(page1)
	if len(titles) != 10 || titles[0] != "Old 0" {
		t.Fatalf("page 1 = %v", titles)
	}
	next := strconv.FormatInt(int64(page1["next_episode_pub_date"].(float64)), 10)
	page2 := b.getJSON(t, "/api/v2/podcasts/"+long.podcast.ID+"?next_episode_pub_date="+next, http.StatusOK)
	if diff := cmp.Diff([]string{"Old 10"}, episodeTitles(page2)); diff != "" {
		t.Errorf("page 2 (-want +got):\n%s", diff)
	}
	oldest := b.getJSON(t, "/api/v2/podcasts/"+long.podcast.ID+"?sort=oldest_first", http.StatusOK)
	if titles := episodeTitles(oldest); titles[0] != "Old 10" {
		t.Errorf("oldest_first starts with %q, want Old 10", titles[0])
	}

	apiError(t, b.get(t, "/api/v2/podcasts/"+hark.NewID()), http.StatusNotFound, "no podcast has the id")
	apiError(t, b.get(t, "/api/v2/podcasts/nope"), http.StatusNotFound, "no podcast")
	apiError(t, b.get(t, "/api/v2/podcasts/"+jazz.podcast.ID+"?sort=popular"), http.StatusBadRequest, "sort:")
}

func episodeTitles(podcast map[string]any) []string {
	var titles []string
	for _, e := range podcast["episodes"].([]any) {
		titles = append(titles, e.(map[string]any)["title"].(string))
	}
	return titles
}

func TestEpisodeShowJSON(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	bebop := jazz.episodes[1]

	got := b.getJSON(t, "/api/v2/episodes/"+bebop.ID+"?show_transcript=1", http.StatusOK)
	checkShape(t, "EpisodeFull", got, episodeFullSchema)
	checkShape(t, "EpisodeFull.podcast", got["podcast"].(map[string]any), podcastSimpleSchema)
	if got["title"] != "Bebop" || got["audio_length_sec"] != 3725.0 || got["explicit_content"] != true ||
		got["link"] != "https://jazz.example/2" || got["transcript"] != nil {
		t.Errorf("episode = %v", got)
	}
	if d := got["description"].(string); strings.Contains(d, "alert") || strings.Contains(d, "onclick") {
		t.Errorf("description = %q, want it sanitized", d)
	}
	if p := got["podcast"].(map[string]any); p["id"] != jazz.podcast.ID || p["title"] != "The Jazz Hour" {
		t.Errorf("podcast = %v", p)
	}

	apiError(t, b.get(t, "/api/v2/episodes/"+hark.NewID()), http.StatusNotFound, "no episode has the id")
	apiError(t, b.get(t, "/api/v2/episodes/"+bebop.ID+"?show_transcript=yes"), http.StatusBadRequest, "show_transcript:")
}

func TestBatchFetch(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	unknown := hark.NewID()

	rec := b.do(t, http.MethodPost, "/api/v2/episodes", url.Values{"ids": {jazz.episodes[2].ID + "," + unknown + "," + jazz.episodes[0].ID}})
	got := decodeJSON(t, rec, http.StatusOK)
	eps := got["episodes"].([]any)
	if len(eps) != 2 {
		t.Fatalf("got %d episodes, want the 2 known ones", len(eps))
	}
	for i, e := range eps {
		checkShape(t, fmt.Sprintf("episodes[%d]", i), e.(map[string]any), episodeSimpleSchema)
		checkShape(t, fmt.Sprintf("episodes[%d].podcast", i), e.(map[string]any)["podcast"].(map[string]any), podcastMinimumSchema)
	}
	if first := eps[0].(map[string]any); first["id"] != jazz.episodes[2].ID {
		t.Errorf("episodes are not in the order asked for: first is %v", first["id"])
	}
	apiError(t, b.do(t, http.MethodPost, "/api/v2/episodes", url.Values{}), http.StatusBadRequest, "ids: is required")

	rec = b.do(t, http.MethodPost, "/api/v2/podcasts", url.Values{"ids": {jazz.podcast.ID + "," + unknown}, "show_latest_episodes": {"1"}})
	got = decodeJSON(t, rec, http.StatusOK)
	pods := got["podcasts"].([]any)
	if len(pods) != 1 {
		t.Fatalf("got %d podcasts, want 1", len(pods))
	}
	checkShape(t, "podcasts[0]", pods[0].(map[string]any), podcastSimpleSchema)
	latest := got["latest_episodes"].([]any)
	if len(latest) != 3 || latest[0].(map[string]any)["id"] != jazz.episodes[0].ID {
		t.Errorf("latest_episodes = %v", latest)
	}
	apiError(t, b.do(t, http.MethodPost, "/api/v2/podcasts", url.Values{"ids": {"x"}}), http.StatusBadRequest, `ids: "x" is not a podcast id`)
}

func TestPodcastSubmit(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)

	got := decodeJSON(t, b.do(t, http.MethodPost, "/api/v2/podcasts/submit", url.Values{"rss": {"https://feeds.example.com/jazz.xml"}}), http.StatusOK)
	if got["status"] != "found" || got["podcast"].(map[string]any)["id"] != jazz.podcast.ID {
		t.Errorf("known feed: %v; want status found and podcast %s", got, jazz.podcast.ID)
	}
	checkShape(t, "podcast", got["podcast"].(map[string]any), podcastMinimumSchema)
	if crawls := b.takeCrawls(t); len(crawls) != 0 {
		t.Errorf("a known feed enqueued crawls of %v", crawls)
	}

	got = decodeJSON(t, b.do(t, http.MethodPost, "/api/v2/podcasts/submit", url.Values{"rss": {"https://new.example/feed"}}), http.StatusOK)
	pod := got["podcast"].(map[string]any)
	if got["status"] != "in review" || pod["rss"] != "https://new.example/feed" || !hark.ValidID(pod["id"].(string)) {
		t.Errorf("new feed: %v", got)
	}
	if _, err := b.store.FindPodcastByID(context.Background(), pod["id"].(string)); err != nil {
		t.Errorf("new podcast is not stored: %v", err)
	}
	if diff := cmp.Diff([]string{pod["id"].(string)}, b.takeCrawls(t)); diff != "" {
		t.Errorf("crawls enqueued for the new feed (-want +got):\n%s", diff)
	}

	apiError(t, b.do(t, http.MethodPost, "/api/v2/podcasts/submit", url.Values{}), http.StatusBadRequest, "rss: is required")
	apiError(t, b.do(t, http.MethodPost, "/api/v2/podcasts/submit", url.Values{"rss": {"ftp://x"}}), http.StatusBadRequest, `rss: "ftp://x" is not an http or https URL`)
	if crawls := b.takeCrawls(t); len(crawls) != 0 {
		t.Errorf("refused feeds enqueued crawls of %v", crawls)
	}
}

func TestPodcastRefresh(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	got := decodeJSON(t, b.do(t, http.MethodPost, "/api/v2/podcasts/"+jazz.podcast.ID+"/refresh", nil), http.StatusAccepted)
	if got["status"] != "queued" || got["podcast_id"] != jazz.podcast.ID {
		t.Errorf("refresh = %v", got)
	}
	if diff := cmp.Diff([]string{jazz.podcast.ID}, b.takeCrawls(t)); diff != "" {
		t.Errorf("crawls enqueued (-want +got):\n%s", diff)
	}
	apiError(t, b.do(t, http.MethodPost, "/api/v2/podcasts/"+hark.NewID()+"/refresh", nil), http.StatusNotFound, "no podcast")
	if crawls := b.takeCrawls(t); len(crawls) != 0 {
		t.Errorf("refreshing an unknown podcast enqueued crawls of %v", crawls)
	}
}

func TestTypeahead(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	addJazzShow(t, b.store)
	b.reindex(t)

	got := b.getJSON(t, "/api/v2/typeahead?q=the+ja&show_podcasts=1&show_genres=1", http.StatusOK)
	checkShape(t, "TypeaheadResponse", got, map[string]string{"terms": "array", "genres": "array", "podcasts": "array"})
	pods := got["podcasts"].([]any)
	if len(pods) != 1 {
		t.Fatalf("podcasts = %v", pods)
	}
	p := pods[0].(map[string]any)
	checkShape(t, "podcasts[0]", p, map[string]string{
		"id": "string", "title_original": "string", "title_highlighted": "string", "publisher_original": "string",
		"publisher_highlighted": "string", "image": "string", "thumbnail": "string", "explicit_content": "boolean",
	})
	if want := `<span class="ln-search-highlight">The</span> <span class="ln-search-highlight">Ja</span>zz Hour`; p["title_highlighted"] != want {
		t.Errorf("title_highlighted = %q, want %q", p["title_highlighted"], want)
	}
	if terms := got["terms"].([]any); !containsAny(terms, "the jazz hour") {
		t.Errorf("terms = %v, want the podcast's title among them", terms)
	}

	got = b.getJSON(t, "/api/v2/typeahead?q=mus&show_genres=1", http.StatusOK)
	if _, ok := got["podcasts"]; ok {
		t.Error("podcasts present without show_podcasts=1")
	}
	var genres []string
	for _, g := range got["genres"].([]any) {
		genres = append(genres, g.(map[string]any)["name"].(string))
	}
	if !slices.Contains(genres, "Music") {
		t.Errorf("genres for mus = %v, want Music among them", genres)
	}
	apiError(t, b.get(t, "/api/v2/typeahead"), http.StatusBadRequest, "q: is required")
}

func TestDirectoryLists(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})

	genres := b.getJSON(t, "/api/v2/genres?top_level_only=1", http.StatusOK)["genres"].([]any)
	if len(genres) != 19 {
		t.Errorf("got %d top-level genres, want Apple's 19", len(genres))
	}
	checkShape(t, "genres[0]", genres[0].(map[string]any), map[string]string{"id": "integer", "name": "string", "parent_id": "integer"})
	for _, g := range genres {
		if g.(map[string]any)["parent_id"] != 0.0 {
			t.Errorf("top_level_only=1 lists %v", g)
		}
	}
	all := b.getJSON(t, "/api/v2/genres?top_level_only=0", http.StatusOK)["genres"].([]any)
	if len(all) != len(hark.Genres) || len(all) < 100 {
		t.Errorf("got %d genres, want %d", len(all), len(hark.Genres))
	}
	investing := map[string]any{"id": 1412.0, "name": "Investing", "parent_id": 1321.0}
	if !slices.ContainsFunc(all, func(g any) bool { return reflect.DeepEqual(g, investing) }) {
		t.Errorf("genres lack %v", investing)
	}

	langs := b.getJSON(t, "/api/v2/languages", http.StatusOK)["languages"].([]any)
	if langs[0] != "Any language" || !containsAny(langs, "English") {
		t.Errorf("languages = %v", langs)
	}
	regions := b.getJSON(t, "/api/v2/regions", http.StatusOK)["regions"].(map[string]any)
	if regions["us"] != "United States" {
		t.Errorf("regions[us] = %v", regions["us"])
	}
	apiError(t, b.get(t, "/api/v2/nope"), http.StatusNotFound, "No such endpoint")
	apiError(t, b.get(t, "/api/v2/podcasts"), http.StatusMethodNotAllowed, "GET is not allowed")
}

func containsAny(list []any, v any) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
