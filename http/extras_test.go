package http_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	podhttp "hark/http"
)

// TestOpenAPIMatchesRoutes: every route under /api/v2 that the router serves is an operation of
// GET /api/v2/openapi.json, and every operation there is a route; the reference page lists them
// all. The document is public, like the page.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	rec := b.send(http.MethodGet, "/api/v2/openapi.json", "192.0.2.1", "", nil)
	var doc struct {
		OpenAPI  string                               `json:"openapi"`
		Servers  []struct{ URL string }               `json:"servers"`
		Paths    map[string]map[string]map[string]any `json:"paths"`
		Webhooks map[string]any                       `json:"webhooks"`
	}
	if rec.Code != http.StatusOK {
		t.Fatalf("openapi.json without a key: %d %s", rec.Code, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	spec, err := libopenapi.NewDocument(rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	val, errs := validator.NewValidator(spec)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	if ok, verrs := val.ValidateDocument(); !ok {
		t.Errorf("openapi.json is not valid OpenAPI 3.1: %v", verrs)
	}
	if doc.OpenAPI != "3.1.0" || len(doc.Servers) != 1 || doc.Servers[0].URL != testBaseURL+"/api/v2" {
		t.Errorf("openapi %q, servers %v", doc.OpenAPI, doc.Servers)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented = append(documented, strings.ToUpper(method)+" /api/v2"+path)
			if op["operationId"] == "" || op["responses"] == nil {
				t.Errorf("%s %s has no operationId or responses", method, path)
			}
		}
	}
	var served []string
	err = chi.Walk(b.srv.Router(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if strings.HasPrefix(route, "/api/v2/") {
			served = append(served, method+" "+strings.TrimSuffix(route, "/"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(documented)
	slices.Sort(served)
	for _, r := range served {
		if !slices.Contains(documented, r) {
			t.Errorf("served but not documented: %s", r)
		}
	}
	for _, r := range documented {
		if !slices.Contains(served, r) {
			t.Errorf("documented but not served: %s", r)
		}
	}
	if len(served) < 31+6 {
		t.Errorf("%d routes served, want the 31 Listen API operations and Hark's own", len(served))
	}
	for _, hook := range []string{"episodeMatched", "podcastsSubmitAccepted", "podcastsSubmitRejected", "podcastDeleted"} {
		if doc.Webhooks[hook] == nil {
			t.Errorf("webhook %s is not documented", hook)
		}
	}

	page := b.getPage(t, "/docs/api", http.StatusOK)
	rows := page.Find("table.operations tr[id^=op-]")
	if rows.Length() != len(documented) {
		t.Errorf("reference page lists %d operations, the document %d", rows.Length(), len(documented))
	}
	if !strings.Contains(page.Find("#op-createAlert").Text(), "webhook_url") {
		t.Errorf("reference page's createAlert row: %q, want its form fields", page.Find("#op-createAlert").Text())
	}
}

// TestLookup: a podcast is found by its feed URL in another form (scheme, www.), by its
// podcast:guid; an iTunes ID, which Hark does not keep, and unknown keys are 404s; zero or two
// keys are a 400.
func TestLookup(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	jazz := addJazzShow(t, b.store)
	pod := jazz.podcast
	pod.PodcastGUID = "917393e3-1b1e-5cef-ace4-edaa54e1f810"
	if _, err := b.pool.Exec(t.Context(), `UPDATE podcasts SET podcast_guid = $1 WHERE id = $2`, pod.PodcastGUID, pod.ID); err != nil {
		t.Fatal(err)
	}
	for _, q := range []url.Values{{"feed_url": {"http://www.feeds.example.com/jazz.xml"}}, {"guid": {pod.PodcastGUID}}} {
		got := b.getJSON(t, "/api/v2/lookup?"+q.Encode(), http.StatusOK)
		p, _ := got["podcast"].(map[string]any)
		if p["id"] != jazz.podcast.ID || p["rss"] != "https://feeds.example.com/jazz.xml" || p["title"] != "The Jazz Hour" {
			t.Errorf("lookup %v: %v", q, got)
		}
	}
	apiError(t, b.do(t, http.MethodGet, "/api/v2/lookup?itunes_id=896354638", nil), http.StatusNotFound, "Hark keeps no iTunes IDs")
	apiError(t, b.do(t, http.MethodGet, "/api/v2/lookup?guid=nope", nil), http.StatusNotFound, "podcast:guid")
	apiError(t, b.do(t, http.MethodGet, "/api/v2/lookup?feed_url=https://feeds.example.com/other.xml", nil), http.StatusNotFound, "feed URL")
	apiError(t, b.do(t, http.MethodGet, "/api/v2/lookup", nil), http.StatusBadRequest, "exactly one")
	apiError(t, b.do(t, http.MethodGet, "/api/v2/lookup?guid=a&itunes_id=1", nil), http.StatusBadRequest, "exactly one")
	apiError(t, b.do(t, http.MethodGet, "/api/v2/lookup?itunes_id=abc", nil), http.StatusBadRequest, "itunes_id")
}

// TestChanges: the feed pages through every podcast and episode once, in (updated_at, id)
// order, with the cursor; a gone episode comes back as a tombstone after the cursor; a bad
// cursor is a 400.
func TestChanges(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{config: func(c *podhttp.Config) { c.ChangesSettle = time.Nanosecond }})
	jazz := addJazzShow(t, b.store)
	seen := map[string]int{}
	cursor, pages := "", 0
	for {
		got := b.getJSON(t, "/api/v2/changes?limit=2&since="+url.QueryEscape(cursor), http.StatusOK)
		for _, c := range got["changes"].([]any) {
			item := c.(map[string]any)
			seen[item["type"].(string)+":"+item["id"].(string)]++
		}
		cursor, pages = got["next_cursor"].(string), pages+1
		if got["has_more"] != true {
			break
		}
	}
	if len(seen) != 4 || pages != 2 || seen["podcast:"+jazz.podcast.ID] != 1 || seen["episode:"+jazz.episodes[2].ID] != 1 {
		t.Errorf("after %d pages saw %v; want the podcast and its 3 episodes once each", pages, seen)
	}
	if _, err := b.pool.Exec(t.Context(), `UPDATE episodes SET gone = true, updated_at = now() WHERE id = $1`, jazz.episodes[0].ID); err != nil {
		t.Fatal(err)
	}
	got := b.getJSON(t, "/api/v2/changes?since="+url.QueryEscape(cursor), http.StatusOK)
	changes := got["changes"].([]any)
	if len(changes) != 1 || changes[0].(map[string]any)["id"] != jazz.episodes[0].ID || changes[0].(map[string]any)["deleted"] != true {
		t.Errorf("after an episode went: %v", got)
	}
	apiError(t, b.do(t, http.MethodGet, "/api/v2/changes?since=nonsense!", nil), http.StatusBadRequest, "since")
	apiError(t, b.do(t, http.MethodGet, "/api/v2/changes?limit=0", nil), http.StatusBadRequest, "limit")
}

// TestAlertsCRUD: an alert belongs to its key; its secret is shown once; bad input is a 400
// naming the field; another key cannot see or delete it.
func TestAlertsCRUD(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	created := decodeJSON(t, b.do(t, http.MethodPost, "/api/v2/alerts", url.Values{
		"q": {"jazz"}, "webhook_url": {"https://hooks.example/in"}, "genre_ids": {"1310"}, "language": {"English"}}), http.StatusCreated)
	secret, _ := created["secret"].(string)
	if len(secret) != 64 || created["q"] != "jazz" || created["language"] != "English" {
		t.Errorf("created %v", created)
	}
	list := b.getJSON(t, "/api/v2/alerts", http.StatusOK)["alerts"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["secret"] != nil {
		t.Errorf("list %v: want the alert, without its secret", list)
	}
	apiError(t, b.do(t, http.MethodPost, "/api/v2/alerts", url.Values{"q": {"jazz"}, "webhook_url": {"ftp://x"}}), http.StatusBadRequest, "webhook_url")
	apiError(t, b.do(t, http.MethodPost, "/api/v2/alerts", url.Values{"webhook_url": {"https://hooks.example/in"}}), http.StatusBadRequest, "q:")
	other, _, err := b.store.CreateAPIKey(t.Context(), "other", 0)
	if err != nil {
		t.Fatal(err)
	}
	c := *b
	c.key = other
	id := strconvID(created["id"])
	apiError(t, c.do(t, http.MethodDelete, "/api/v2/alerts/"+id, nil), http.StatusNotFound, "no such alert")
	decodeJSON(t, b.do(t, http.MethodDelete, "/api/v2/alerts/"+id, nil), http.StatusOK)
	if list := b.getJSON(t, "/api/v2/alerts", http.StatusOK)["alerts"].([]any); len(list) != 0 {
		t.Errorf("after delete: %v", list)
	}
}

func strconvID(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestSubmitWebhookURL: a new feed submitted with webhook_url gets a webhook_secret, shown once,
// and the webhook waits in the store for the first crawl; a known feed gets none; a bad URL is
// a 400 that adds nothing.
func TestSubmitWebhookURL(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	addJazzShow(t, b.store)
	hook := "https://hooks.example/submitted"
	got := decodeJSON(t, b.do(t, http.MethodPost, "/api/v2/podcasts/submit", url.Values{"rss": {"https://new.example/feed"}, "webhook_url": {hook}}), http.StatusOK)
	secret, _ := got["webhook_secret"].(string)
	id := got["podcast"].(map[string]any)["id"].(string)
	var stored, storedSecret string
	if err := b.pool.QueryRow(t.Context(), `SELECT webhook_url, secret FROM submission_webhooks WHERE podcast_id = $1`, id).Scan(&stored, &storedSecret); err != nil {
		t.Fatal(err)
	}
	if len(secret) != 64 || stored != hook || storedSecret != secret {
		t.Errorf("answer %v; stored %q %q", got, stored, storedSecret)
	}
	known := decodeJSON(t, b.do(t, http.MethodPost, "/api/v2/podcasts/submit", url.Values{"rss": {"https://feeds.example.com/jazz.xml"}, "webhook_url": {hook}}), http.StatusOK)
	if known["status"] != "found" || known["webhook_secret"] != nil {
		t.Errorf("known feed: %v; want found, no secret", known)
	}
	apiError(t, b.do(t, http.MethodPost, "/api/v2/podcasts/submit", url.Values{"rss": {"https://other.example/feed"}, "webhook_url": {"mailto:x"}}), http.StatusBadRequest, "webhook_url")
	if crawls := b.takeCrawls(t); len(crawls) != 1 {
		t.Errorf("crawls %v; want only the new feed's", crawls)
	}
}
