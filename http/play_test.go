package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	podhttp "hark/http"
)

const browserAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"

// play is one report to POST /api/plays; form says whether the body is a form or JSON.
type play struct {
	episode, addr, agent string
	header               http.Header
	form                 bool
}

func postPlay(t *testing.T, srv http.Handler, p play) *httptest.ResponseRecorder {
	t.Helper()
	body, ct := `{"episode_id":"`+p.episode+`"}`, "application/json"
	if p.form {
		body, ct = url.Values{"episode_id": {p.episode}}.Encode(), "application/x-www-form-urlencoded"
	}
	req := httptest.NewRequest(http.MethodPost, "/api/plays", strings.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("User-Agent", p.agent)
	for k, v := range p.header {
		req.Header[k] = v
	}
	req.RemoteAddr = p.addr + ":4242"
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

// TestPlaysAudience reports plays as the player does and reads the audience: nothing until
// AudienceMinPlays plays of a known region, then each region's share; bots and plays of unknown
// region do not count.
func TestPlaysAudience(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true, config: func(c *podhttp.Config) { c.AudienceMinPlays = 5 }})
	jazz := addJazzShow(t, b.store)
	ep := jazz.episodes[0].ID
	lang := func(v string) http.Header { return http.Header{"Accept-Language": {v}} }
	audience := func() any {
		return b.getJSON(t, "/api/v2/podcasts/"+jazz.podcast.ID+"/audience", http.StatusOK)["by_regions"]
	}
	plays := []play{
		{ep, "192.0.2.1", browserAgent, lang("en-GB,en;q=0.9"), true},
		{ep, "192.0.2.2", browserAgent, lang("en-GB"), false},
		{jazz.episodes[1].ID, "192.0.2.3", browserAgent, lang("en-gb"), true},
		{ep, "192.0.2.4", browserAgent, lang("fr;q=0.9, de-DE"), false},
		{ep, "192.0.2.5", browserAgent, nil, false},                                                         // no region
		{ep, "192.0.2.6", "Mozilla/5.0 (compatible; Googlebot/2.1)", lang("en-US"), false},                  // a crawler
		{ep, "192.0.2.7", "", lang("en-US"), false},                                                         // no agent
		{ep, "192.0.2.8", "Mozilla/5.0 (X11) HeadlessChrome/130.0.0.0 Safari/537.36", lang("en-US"), false}, // headless
	}
	for i, p := range plays {
		if rec := postPlay(t, b.srv, p); rec.Code != http.StatusNoContent {
			t.Fatalf("play %d: status %d, body %s", i, rec.Code, rec.Body)
		}
	}
	if got := audience(); !reflect.DeepEqual(got, []any{}) {
		t.Fatalf("audience with 4 plays of known region: %v, want []", got)
	}
	postPlay(t, b.srv, play{ep, "192.0.2.9", browserAgent, lang("en-US,en"), true})
	want := []any{
		map[string]any{"region": "gb", "ratio": "60.00%"},
		map[string]any{"region": "de", "ratio": "20.00%"},
		map[string]any{"region": "us", "ratio": "20.00%"},
	}
	if got := audience(); !reflect.DeepEqual(got, want) {
		t.Errorf("audience: %v, want %v", got, want)
	}
	var rows, unknown int64
	if err := b.pool.QueryRow(context.Background(), `SELECT sum(plays), sum(plays) FILTER (WHERE region = '') FROM podcast_plays`).Scan(&rows, &unknown); err != nil {
		t.Fatal(err)
	}
	if rows != 6 || unknown != 1 {
		t.Errorf("podcast_plays holds %d plays, %d of unknown region; want 6 and 1", rows, unknown)
	}
}

// TestPlaysRefused checks the answers to reports that are not counted: bad ids, unknown
// episodes, posts from other sites and an address over its rate.
func TestPlaysRefused(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	ep := jazz.episodes[0].ID
	for _, c := range []struct {
		name   string
		p      play
		status int
	}{
		{"bad id", play{"x' OR 1=1", "198.51.100.1", browserAgent, nil, true}, http.StatusBadRequest},
		{"unknown episode", play{strings.Repeat("a", 32), "198.51.100.2", browserAgent, nil, false}, http.StatusNotFound},
		{"other site", play{ep, "198.51.100.3", browserAgent, http.Header{"Sec-Fetch-Site": {"cross-site"}}, true}, http.StatusForbidden},
	} {
		rec := postPlay(t, b.srv, c.p)
		var body struct {
			Error struct{ Code int } `json:"error"`
		}
		if rec.Code != c.status || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body.Error.Code != c.status {
			t.Errorf("%s: status %d, body %s; want %d and a JSON error", c.name, rec.Code, rec.Body, c.status)
		}
	}
	var last *httptest.ResponseRecorder
	n := 0
	for ; n < 100; n++ {
		last = postPlay(t, b.srv, play{ep, "198.51.100.9", browserAgent, nil, true})
		if last.Code != http.StatusNoContent {
			break
		}
	}
	if last.Code != http.StatusTooManyRequests || last.Header().Get("Retry-After") == "" || n < 10 || n > 30 {
		t.Errorf("after %d plays from one address: status %d, Retry-After %q; want 429 with Retry-After after 10 to 30",
			n, last.Code, last.Header().Get("Retry-After"))
	}
}

// TestPlaysCountryHeader reads the region from the CDN's header when the server is told to,
// whatever Accept-Language says, and ignores a value that is no country.
func TestPlaysCountryHeader(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true, config: func(c *podhttp.Config) { c.CountryHeader = "CF-IPCountry" }})
	jazz := addJazzShow(t, b.store)
	for i, c := range []string{"JP", "jp", "XX", "T1"} {
		h := http.Header{"Cf-Ipcountry": {c}, "Accept-Language": {"en-GB"}}
		if rec := postPlay(t, b.srv, play{jazz.episodes[0].ID, "203.0.113." + strconv.Itoa(i+1), browserAgent, h, true}); rec.Code != http.StatusNoContent {
			t.Fatalf("play %s: %d %s", c, rec.Code, rec.Body)
		}
	}
	got, err := b.store.FindPodcastAudience(context.Background(), jazz.podcast.ID, time.Now().AddDate(0, 0, -1))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Region != "jp" || got[0].Plays != 2 {
		t.Errorf("audience by the CDN's header: %+v, want 2 plays from jp", got)
	}
}
