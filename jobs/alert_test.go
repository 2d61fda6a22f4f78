package jobs_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"hark"
	"hark/db"
	"hark/jobs"
)

// hookReceiver is a webhook receiver on loopback that answers 500 to the first failFirst posts
// and keeps every post it got.
type hookReceiver struct {
	*httptest.Server
	mu        sync.Mutex
	failFirst int
	posts     []hookPost
}

type hookPost struct {
	event, signature string
	body             []byte
	status           int
}

func newHookReceiver(t *testing.T, failFirst int) *hookReceiver {
	h := &hookReceiver{failFirst: failFirst}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		p := hookPost{event: r.Header.Get(jobs.EventHeader), signature: r.Header.Get(jobs.SignatureHeader), body: body, status: http.StatusOK}
		if len(h.posts) < h.failFirst {
			p.status = http.StatusInternalServerError
		}
		h.posts = append(h.posts, p)
		w.WriteHeader(p.status)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookReceiver) all() []hookPost {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookPost(nil), h.posts...)
}

// verify checks p's signature under secret as a receiver would.
func verify(t *testing.T, p hookPost, secret string) {
	t.Helper()
	ts, mac, ok := strings.Cut(strings.TrimPrefix(p.signature, "t="), ",v1=")
	n, err := strconv.ParseInt(ts, 10, 64)
	if !ok || err != nil || mac != jobs.SignWebhook(secret, n, p.body) || mac == jobs.SignWebhook("wrong", n, p.body) {
		t.Errorf("signature %q does not verify for body %s", p.signature, p.body)
	}
}

// TestAlertWebhooks: an episode indexed after an alert was saved that matches it is posted to
// the alert's webhook, signed; a 500 is retried; indexing the episodes again posts nothing more;
// an episode that does not match is never posted.
func TestAlertWebhooks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	hook := newHookReceiver(t, 1)
	_, key, err := b.store.CreateAPIKey(ctx, "alerts", 0)
	if err != nil {
		t.Fatal(err)
	}
	alert, err := b.store.CreateAlert(ctx, db.Alert{APIKeyID: key.ID, Query: `"episode 2" OR nothing`, WebhookURL: hook.URL + "/in", Secret: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	srv := newFeedServer(t, itemFeed("Mon, 02 Nov 2026 08:00:00 GMT", "3", "2", "1"))
	p, _, err := b.service.SubmitFeed(ctx, srv.URL+"/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	await := func(want int) []hookPost {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for len(hook.all()) < want && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		b.waitIdle(t, 30*time.Second)
		return hook.all()
	}
	posts := await(2)
	if len(posts) != 2 || posts[0].status != 500 || posts[1].status != 200 || string(posts[0].body) != string(posts[1].body) {
		t.Fatalf("posts %+v; want a 500 then the same body again, accepted", posts)
	}
	verify(t, posts[1], "s3cret")
	var got struct {
		Event   string `json:"event"`
		AlertID int64  `json:"alert_id"`
		Episode struct {
			Title   string `json:"title"`
			Podcast struct {
				ID  string `json:"id"`
				RSS string `json:"rss"`
			} `json:"podcast"`
		} `json:"episode"`
	}
	if err := json.Unmarshal(posts[1].body, &got); err != nil {
		t.Fatal(err)
	}
	if posts[1].event != jobs.EventEpisodeMatched || got.AlertID != alert.ID || got.Episode.Title != "Episode 2" || got.Episode.Podcast.ID != p.ID {
		t.Errorf("posted %s %s", posts[1].event, posts[1].body)
	}

	// The index job runs again over every episode: nothing is posted twice.
	if _, err := b.pool.Exec(ctx, `UPDATE episodes SET index_pending = true, updated_at = now() WHERE podcast_id = $1`, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.client.Insert(ctx, jobs.IndexPodcastArgs{PodcastID: p.ID}, nil); err != nil {
		t.Fatal(err)
	}
	b.waitIdle(t, 30*time.Second)
	if posts := hook.all(); len(posts) != 2 {
		t.Errorf("after indexing again, %d posts; want still 2", len(posts))
	}
	var n int
	if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM alert_deliveries WHERE alert_id = $1`, alert.ID).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d deliveries recorded (%v), want 1", n, err)
	}
}

// TestSubmissionWebhooks: a feed submitted with a webhook URL is told podcastsSubmitAccepted
// after a first crawl that stores it, and podcastsSubmitRejected after one that fails, once.
func TestSubmissionWebhooks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	hook := newHookReceiver(t, 0)
	srv := newFeedServer(t, itemFeed("Mon, 02 Nov 2026 08:00:00 GMT", "1"))
	from := hark.Origin{Addr: "192.0.2.1", WebhookURL: hook.URL + "/ok", WebhookSecret: "k1"}
	good, _, err := b.service.SubmitFeedFrom(ctx, srv.URL+"/feed.xml", from)
	if err != nil {
		t.Fatal(err)
	}
	from.WebhookURL, from.WebhookSecret = hook.URL+"/bad", "k2"
	gone := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(gone.Close)
	if _, _, err := b.service.SubmitFeedFrom(ctx, gone.URL+"/missing.xml", from); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(hook.all()) < 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	b.waitIdle(t, 30*time.Second)
	posts := hook.all()
	if len(posts) != 2 {
		t.Fatalf("%d posts, want 2: %+v", len(posts), posts)
	}
	for _, p := range posts {
		switch p.event {
		case jobs.EventPodcastsSubmitAccepted:
			verify(t, p, "k1")
			var m map[string]any
			if err := json.Unmarshal(p.body, &m); err != nil || m["id"] != good.ID || m["title"] != "Growing Show" || m["rss"] != srv.URL+"/feed.xml" {
				t.Errorf("accepted: %s (%v)", p.body, err)
			}
		case jobs.EventPodcastsSubmitRejected:
			verify(t, p, "k2")
			if !strings.Contains(string(p.body), `{"podcast":{"rss":"`+gone.URL+`/missing.xml"}}`) {
				t.Errorf("rejected: %s", p.body)
			}
		default:
			t.Errorf("event %q", p.event)
		}
	}
}

// TestWebhookRefusedAddress: a webhook to an address the outbound guard refuses (a private
// one) is cancelled at once, without a connection, rather than retried for a day.
func TestWebhookRefusedAddress(t *testing.T) {
	t.Parallel()
	b := setup(t)
	args, err := jobs.NewWebhook("http://10.0.0.1/in", jobs.EventEpisodeMatched, "s", map[string]string{"a": "b"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.client.Insert(t.Context(), args, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.waitIdle(t, 30*time.Second)
	var state string
	var attempts int
	if err := b.pool.QueryRow(t.Context(), `SELECT state, attempt FROM river_job WHERE id = $1`, res.Job.ID).Scan(&state, &attempts); err != nil {
		t.Fatal(err)
	}
	if state != "cancelled" || attempts != 1 {
		t.Errorf("job %s after %d attempts, want cancelled after 1", state, attempts)
	}
}
