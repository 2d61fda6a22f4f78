package jobs_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"hark"
	"hark/db"
	"hark/jobs"
)

func TestWebSubSubscribeVerifyAndNotify(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b, harkURL := setupWithServer(t)
	hub := newTestHub(t, 3*24*3600)
	fs := newFeedServer(t, "")
	feedURL := fs.URL + "/feed.xml"
	fs.set(webSubFeed(hub.URL+"/", feedURL, 2), `"v1"`)

	p, _, err := b.service.SubmitFeed(ctx, feedURL)
	if err != nil {
		t.Fatal(err)
	}
	req := hub.next(t)
	want := url.Values{
		"hub.mode":          {"subscribe"},
		"hub.topic":         {feedURL},
		"hub.callback":      {harkURL + "/websub/callback/" + p.ID},
		"hub.lease_seconds": {strconv.Itoa(jobs.WebSubLeaseSeconds)},
		"hub.secret":        {req.form.Get("hub.secret")},
	}
	if got := req.form; fmt.Sprint(got) != fmt.Sprint(want) || len(got.Get("hub.secret")) < 32 {
		t.Fatalf("subscribe request = %v; want %v with a secret", got, want)
	}
	if req.verifyStatus != http.StatusOK || req.verifyBody != req.challenge {
		t.Fatalf("verification answered %d %q; want 200 and the challenge %q", req.verifyStatus, req.verifyBody, req.challenge)
	}
	b.waitIdle(t, 30*time.Second)
	sub, err := b.store.FindWebSubSubscription(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sub.State != db.WebSubVerified || sub.LeaseSeconds != 3*24*3600 || sub.RequestedAt.IsZero() ||
		time.Until(sub.ExpiresAt) < 71*time.Hour || sub.Secret != req.form.Get("hub.secret") {
		t.Fatalf("subscription = state %q, lease %d, expires in %s, requested at %s; want verified for 3 days",
			sub.State, sub.LeaseSeconds, time.Until(sub.ExpiresAt), sub.RequestedAt)
	}

	// The feed gets a third episode and the hub tells Hark, first with a forged signature: it is
	// answered 2xx and ignored.
	body := webSubFeed(hub.URL+"/", feedURL, 3)
	fs.set(body, `"v2"`)
	callback := req.form.Get("hub.callback")
	crawls := countJobs(t, b, "crawl_feed")
	if status := notify(t, callback, body, "sha256="+sign("not the secret", body)); status != http.StatusAccepted {
		t.Fatalf("forged notification answered %d; want 202", status)
	}
	if status := notify(t, callback, body, ""); status != http.StatusAccepted {
		t.Fatalf("unsigned notification answered %d; want 202", status)
	}
	b.waitIdle(t, 30*time.Second)
	if n := countJobs(t, b, "crawl_feed"); n != crawls {
		t.Fatalf("crawls after forged notifications = %d; want still %d", n, crawls)
	}
	if eps := episodes(t, b, p.ID); len(eps) != 2 {
		t.Fatalf("episodes after forged notifications = %d; want 2", len(eps))
	}

	// The signed notification crawls the podcast and stores the new episode.
	if status := notify(t, callback, body, "sha256="+sign(sub.Secret, body)); status != http.StatusAccepted {
		t.Fatalf("signed notification answered %d; want 202", status)
	}
	b.waitIdle(t, 30*time.Second)
	eps := episodes(t, b, p.ID)
	if len(eps) != 3 || eps[0].Title != "Beacon 3" {
		t.Fatalf("episodes after the notification = %d, newest %q; want 3 with Beacon 3", len(eps), eps[0].Title)
	}
	if n := countJobs(t, b, "crawl_feed"); n != crawls+1 {
		t.Fatalf("crawls after the notification = %d; want %d", n, crawls+1)
	}
	// The verified subscription is not asked for again by that crawl.
	hub.none(t)

	// What the callback refuses.
	for name, q := range map[string]url.Values{
		"another topic": {"hub.mode": {"subscribe"}, "hub.topic": {"https://evil.example/feed"}, "hub.challenge": {"x"}},
		"unsubscribe":   {"hub.mode": {"unsubscribe"}, "hub.topic": {feedURL}, "hub.challenge": {"x"}},
		"no challenge":  {"hub.mode": {"subscribe"}, "hub.topic": {feedURL}},
	} {
		if status, _ := get(t, callback+"?"+q.Encode()); status != http.StatusNotFound {
			t.Errorf("%s: verification answered %d; want 404", name, status)
		}
	}
	if status, _ := get(t, harkURL+"/websub/callback/"+hark.NewID()+"?hub.mode=subscribe&hub.challenge=x"); status != http.StatusNotFound {
		t.Errorf("verification for a podcast without subscription answered %d; want 404", status)
	}
	if got, _ := b.store.FindWebSubSubscription(ctx, p.ID); got.State != db.WebSubVerified {
		t.Errorf("subscription after refused verifications = %q; want still verified", got.State)
	}
}

// testHub is a WebSub hub: it accepts subscribe requests with 202 and then, as hubs do,
// verifies each by calling the callback with a challenge.
type testHub struct {
	*httptest.Server
	lease    int
	requests chan hubRequest
}

// hubRequest is a subscribe request the hub received and how its verification went.
type hubRequest struct {
	form         url.Values
	challenge    string
	verifyStatus int
	verifyBody   string
}

func newTestHub(t *testing.T, leaseSeconds int) *testHub {
	h := &testHub{lease: leaseSeconds, requests: make(chan hubRequest, 10)}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.ParseForm() != nil || r.PostForm.Get("hub.mode") != "subscribe" {
			http.Error(w, "bad subscribe request", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		go h.verify(t, hubRequest{form: r.PostForm, challenge: hark.NewID()})
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *testHub) verify(t *testing.T, req hubRequest) {
	q := url.Values{
		"hub.mode": {"subscribe"}, "hub.topic": {req.form.Get("hub.topic")},
		"hub.challenge": {req.challenge}, "hub.lease_seconds": {strconv.Itoa(h.lease)},
	}
	req.verifyStatus, req.verifyBody = get(t, req.form.Get("hub.callback")+"?"+q.Encode())
	h.requests <- req
}

// next waits for the next verified subscribe request.
func (h *testHub) next(t *testing.T) hubRequest {
	t.Helper()
	select {
	case req := <-h.requests:
		return req
	case <-time.After(30 * time.Second):
		t.Fatal("no subscribe request reached the hub")
	}
	return hubRequest{}
}

// none fails the test when the hub got another subscribe request.
func (h *testHub) none(t *testing.T) {
	t.Helper()
	select {
	case req := <-h.requests:
		t.Fatalf("unexpected subscribe request %v", req.form)
	default:
	}
}

// notify POSTs a notification as a hub does, with signature as the X-Hub-Signature header.
func notify(t *testing.T, callback, body, signature string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, callback, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/rss+xml")
	if signature != "" {
		req.Header.Set("X-Hub-Signature", signature)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func get(t *testing.T, target string) (int, string) {
	resp, err := http.Get(target)
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = io.Copy(&buf, resp.Body)
	return resp.StatusCode, buf.String()
}

func sign(secret, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(body))
	return hex.EncodeToString(mac.Sum(nil))
}

// webSubFeed is an RSS feed naming hub and self, with n episodes.
func webSubFeed(hub, self string, n int) string {
	var items strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&items, `<item><title>Beacon %d</title><guid>beacon-%d</guid>
			<enclosure url="https://cdn.beacon.example/%d.mp3" length="100" type="audio/mpeg"/>
			<pubDate>%s</pubDate></item>`, i, i, i, time.Date(2026, 3, i, 8, 0, 0, 0, time.UTC).Format(time.RFC1123Z))
	}
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Beacon Hour</title>
  <link>https://beacon.example/</link>
  <description>Lights along the coast.</description>
  <atom:link rel="hub" href="%s"/>
  <atom:link rel="self" href="%s" type="application/rss+xml"/>
  %s
</channel>
</rss>`, hub, self, items.String())
}

func countJobs(t *testing.T, b *testBundle, kind string) int {
	t.Helper()
	var n int
	if err := b.pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = $1`, kind).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func episodes(t *testing.T, b *testBundle, podcastID string) []hark.Episode {
	t.Helper()
	eps, err := b.store.FindEpisodes(context.Background(), db.EpisodeFilter{PodcastID: podcastID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return eps
}
