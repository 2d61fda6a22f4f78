package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"hark/jobs"
)

// chatReceiver stands in for the operator's chat: it keeps each post, and answers 500 on
// /fail, where a webhook that exhausts its attempts is sent.
type chatReceiver struct {
	*httptest.Server
	mu    sync.Mutex
	posts []chatPost
}

type chatPost struct {
	event, signature string
	body             []byte
}

func newChatReceiver(t *testing.T) *chatReceiver {
	c := &chatReceiver{}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fail" {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		body, _ := io.ReadAll(r.Body)
		c.mu.Lock()
		c.posts = append(c.posts, chatPost{r.Header.Get(jobs.EventHeader), r.Header.Get(jobs.SignatureHeader), body})
		c.mu.Unlock()
	}))
	t.Cleanup(c.Close)
	return c
}

// byEvent returns the posts received, by event.
func (c *chatReceiver) byEvent() map[string][]chatPost {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := map[string][]chatPost{}
	for _, p := range c.posts {
		m[p.event] = append(m[p.event], p)
	}
	return m
}

// TestOperatorEvents: with OPS_WEBHOOK_URL and OPS_WEBHOOK_SECRET set, `hark serve` posts each
// operator event to the chat as {"text": ...}, signed: a sign-up, a submitted podcast, a
// deletion request, a new error group (here a webhook job out of attempts), a crawl failure
// spike and an exhausted quota (once, however many requests it refuses).
func TestOperatorEvents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	chat := newChatReceiver(t)
	const secret = "ops-secret"
	a, _ := newTestApp(t, Opts{Work: true, Migrated: true}, nil, func(c *Config) {
		c.OpsWebhookURL, c.OpsWebhookSecret, c.CrawlAllowLoopback = chat.URL+"/chat", secret, true
	})
	t.Cleanup(a.Close)
	addr, stop, err := a.Start(ctx, true, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	base := "http://" + addr
	start := time.Now()
	defer func() { t.Logf("took %s after start", time.Since(start)) }()

	signUp(t, base)
	var submitted struct {
		Podcast struct {
			ID string `json:"id"`
		} `json:"podcast"`
	}
	apiCall(t, http.MethodPost, base+"/api/v2/podcasts/submit", "", url.Values{"rss": {"http://127.0.0.1:9/feed.xml"}}, http.StatusOK, &submitted)
	apiCall(t, http.MethodDelete, base+"/api/v2/podcasts/"+submitted.Podcast.ID+"?reason=mine", "", nil, http.StatusOK, nil)
	apiCall(t, http.MethodDelete, base+"/api/v2/podcasts/"+submitted.Podcast.ID, "", nil, http.StatusOK, nil) // the same open request: no second notice
	key, _, err := a.Store.CreateAPIKey(ctx, "small", 1)
	if err != nil {
		t.Fatal(err)
	}
	apiCall(t, http.MethodGet, base+"/api/v2/genres", key, nil, http.StatusOK, nil)
	for range 3 {
		apiCall(t, http.MethodGet, base+"/api/v2/genres", key, nil, http.StatusTooManyRequests, nil)
	}
	failing, err := jobs.NewWebhook(chat.URL+"/fail", jobs.EventEpisodeMatched, "", map[string]int{"n": 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Client.Insert(ctx, failing, &river.InsertOpts{MaxAttempts: 1}); err != nil {
		t.Fatal(err)
	}
	prepareCrawlSpike(t, a)
	if _, err := a.Client.Insert(ctx, jobs.CheckCrawlErrorsArgs{}, nil); err != nil {
		t.Fatal(err)
	}

	want := []string{jobs.EventAPISignup, jobs.EventPodcastSubmitted, jobs.EventDeletionRequested,
		jobs.EventErrorGroup, jobs.EventCrawlErrorSpike, jobs.EventQuotaExhausted}
	deadline := time.Now().Add(60 * time.Second)
	for len(chat.byEvent()) < len(want) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a second post of an event would come now
	got := chat.byEvent()
	for _, event := range want {
		posts := got[event]
		if len(posts) != 1 {
			t.Errorf("%s: %d posts, want 1", event, len(posts))
			continue
		}
		p := posts[0]
		ts, mac, ok := strings.Cut(strings.TrimPrefix(p.signature, "t="), ",v1=")
		n, err := strconv.ParseInt(ts, 10, 64)
		if !ok || err != nil || mac != jobs.SignWebhook(secret, n, p.body) {
			t.Errorf("%s: signature %q does not verify", event, p.signature)
		}
		var msg struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(p.body, &msg); err != nil || msg.Text == "" {
			t.Errorf("%s: body %s is not a Slack message", event, p.body)
		}
		t.Logf("%s: %s", event, msg.Text)
	}
}

// signUp gets a free key through the sign-up form, as a browser does.
func signUp(t *testing.T, base string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.Get(base + "/signup")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the sign-up page")
	}
	resp, err = client.PostForm(base+"/signup", url.Values{"csrf_token": {string(m[1])}, "email": {"dev@example.com"}, "name": {"Dev <b>"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("sign-up: %d", resp.StatusCode)
	}
}

// apiCall sends an API request (a form, when given) with key, checks the status and decodes the
// JSON answer into out, when given.
func apiCall(t *testing.T, method, target, key string, form url.Values, status int, out any) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if key != "" {
		req.Header.Set("X-ListenAPI-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("%s %s: %d %s, want %d", method, target, resp.StatusCode, b, status)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatal(err)
		}
	}
}

// prepareCrawlSpike makes the last full hour a spike: 5% of crawls failed over the hours before,
// 20 of 25 podcasts crawled in the last hour failed.
func prepareCrawlSpike(t *testing.T, a *App) {
	t.Helper()
	ctx := context.Background()
	hour := time.Now().UTC().Truncate(time.Hour)
	for h := 1; h <= 4; h++ {
		if _, err := a.Pool.Exec(ctx, `INSERT INTO crawl_health (hour, crawled, failed) VALUES ($1, 200, 10)`, hour.Add(-time.Duration(h)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 25 {
		name := "spike" + strconv.Itoa(i)
		p, _, err := a.Store.CreatePodcast(ctx, "https://example.com/"+name+".xml", "example.com/"+name+".xml", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Pool.Exec(ctx, `UPDATE podcasts SET last_crawled_at = $2, consecutive_failures = $3, next_crawl_at = now() + interval '1 day'
			WHERE id = $1`, p.ID, hour.Add(-20*time.Minute), min(1, max(0, 20-i))); err != nil {
			t.Fatal(err)
		}
	}
}
