package jobs

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"hark/feed"
)

// QueueWebhooks holds webhook deliveries, so that slow receivers never hold up crawls.
const QueueWebhooks = "webhooks"

// Webhook events. The podcast* ones are Listen Notes' own names and bodies.
const (
	EventEpisodeMatched         = "episodeMatched"
	EventPodcastsSubmitAccepted = "podcastsSubmitAccepted"
	EventPodcastsSubmitRejected = "podcastsSubmitRejected"
	EventPodcastDeleted         = "podcastDeleted"
)

// Webhook request headers. SignatureHeader is "t=<unix seconds>,v1=<hex HMAC-SHA256>", the MAC
// of "<t>.<body>" under the receiver's secret (see SignWebhook).
const (
	EventHeader     = "X-Hark-Event"
	SignatureHeader = "X-Hark-Signature"
)

// webhookAttempts spans about a day and a half with River's backoff (attempt⁴ seconds).
const webhookAttempts = 12

// DeliverWebhookArgs posts one signed JSON body to a webhook URL. The body is signed when the
// job is made, so the secret is not stored in the job.
type DeliverWebhookArgs struct {
	URL   string `json:"url"`
	Event string `json:"event"`
	// Body is the JSON text posted, kept as a string: a jsonb field would be re-encoded, and the
	// signature would no longer match.
	Body      string `json:"body"`
	Timestamp int64  `json:"timestamp"`
	Signature string `json:"signature"`
}

// Kind is stored in river_job rows: never rename it.
func (DeliverWebhookArgs) Kind() string { return "deliver_webhook" }

// InsertOpts puts deliveries on their own queue with enough attempts for a receiver that is
// down for a day.
func (DeliverWebhookArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueWebhooks, MaxAttempts: webhookAttempts}
}

// NewWebhook returns the delivery of payload, as JSON, to url for event, signed with secret.
// Without a secret the post carries no signature (a chat's incoming webhook, whose URL is the
// secret).
func NewWebhook(url, event, secret string, payload any) (DeliverWebhookArgs, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return DeliverWebhookArgs{}, fmt.Errorf("encode %s webhook: %w", event, err)
	}
	ts := time.Now().Unix()
	a := DeliverWebhookArgs{URL: url, Event: event, Body: string(body), Timestamp: ts}
	if secret != "" {
		a.Signature = "t=" + strconv.FormatInt(ts, 10) + ",v1=" + SignWebhook(secret, ts, body)
	}
	return a, nil
}

// SignWebhook returns the hex HMAC-SHA256 under secret of "<ts>.<body>"; a receiver recomputes
// it from the X-Hark-Signature header's t and the body it got, and compares in constant time.
func SignWebhook(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(ts, 10) + "."))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// DeliverWebhookWorker works DeliverWebhookArgs.
type DeliverWebhookWorker struct {
	river.WorkerDefaults[DeliverWebhookArgs]
	cfg Config
}

// Timeout bounds one delivery; the outbound client's own timeout is shorter.
func (w *DeliverWebhookWorker) Timeout(*river.Job[DeliverWebhookArgs]) time.Duration {
	return time.Minute
}

// Work posts the body through Hark's guarded outbound client. A 2xx answer is success; 410 Gone
// stops the deliveries to that receiver; anything else is retried with River's backoff.
func (w *DeliverWebhookWorker) Work(ctx context.Context, job *river.Job[DeliverWebhookArgs]) error {
	a := job.Args
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.URL, bytes.NewReader([]byte(a.Body)))
	if err != nil {
		return river.JobCancel(fmt.Errorf("webhook URL: %w", err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(EventHeader, a.Event)
	if a.Signature != "" {
		req.Header.Set(SignatureHeader, a.Signature)
	}
	resp, err := w.cfg.Fetcher.Client().Do(req)
	if errors.Is(err, feed.ErrRefused) { // the address will not change its nature: stop
		return river.JobCancel(fmt.Errorf("post %s webhook: %w", a.Event, err))
	}
	if err != nil {
		return fmt.Errorf("post %s webhook: %w", a.Event, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusGone:
		return river.JobCancel(errors.New("webhook receiver answered 410 Gone"))
	}
	return fmt.Errorf("post %s webhook: receiver answered %d", a.Event, resp.StatusCode)
}
