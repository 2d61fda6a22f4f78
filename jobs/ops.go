package jobs

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
)

// Operator events, posted to the operator's chat (OpsConfig.WebhookURL) as X-Hark-Event.
const (
	EventAPISignup         = "apiSignup"
	EventPodcastSubmitted  = "podcastSubmitted"
	EventDeletionRequested = "deletionRequested"
	EventErrorGroup        = "errorGroup"
	EventCrawlErrorSpike   = "crawlErrorSpike"
	EventQuotaExhausted    = "quotaExhausted"
)

// OpsConfig says where operator events go.
type OpsConfig struct {
	// WebhookURL is a Slack-compatible incoming webhook (OPS_WEBHOOK_URL): it gets
	// {"text": "..."} posts. Empty sends nothing.
	WebhookURL string
	// WebhookSecret signs the posts like every Hark webhook (X-Hark-Signature) when set
	// (OPS_WEBHOOK_SECRET), for a receiver of one's own that checks them.
	WebhookSecret string
	// BaseURL is Hark's public URL, for links to the admin pages in the messages.
	BaseURL string
}

// Ops tells the operator's chat about events. Its posts are deliver_webhook jobs, retried with
// backoff like every webhook. A nil Ops, or one without a URL, tells no one.
type Ops struct {
	client *river.Client[pgx.Tx]
	cfg    OpsConfig
}

// NewOps returns an Ops that enqueues its posts through client.
func NewOps(client *river.Client[pgx.Tx], cfg OpsConfig) *Ops {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return &Ops{client: client, cfg: cfg}
}

// opsOf is the Ops of a worker: its River client comes from the job's context.
func opsOf(ctx context.Context, cfg OpsConfig) *Ops {
	return NewOps(river.ClientFromContext[pgx.Tx](ctx), cfg)
}

// Enabled reports whether events go anywhere, so callers can skip the work of making them.
func (o *Ops) Enabled() bool { return o != nil && o.cfg.WebhookURL != "" }

// NotifyTx enqueues, in tx, the post of text for event: it goes out only if what it reports
// commits. text is Slack's mrkdwn; escape what users wrote with SlackEscape.
func (o *Ops) NotifyTx(ctx context.Context, tx pgx.Tx, event, text string) error {
	if !o.Enabled() {
		return nil
	}
	args, err := NewWebhook(o.cfg.WebhookURL, event, o.cfg.WebhookSecret, struct {
		Text string `json:"text"`
	}{text})
	if err != nil {
		return err
	}
	if _, err := o.client.InsertTx(ctx, tx, args, nil); err != nil {
		return fmt.Errorf("enqueue %s notice: %w", event, err)
	}
	return nil
}

// Link is Hark's page at path (starting with /) as a Slack link labelled label; on a nil Ops,
// the label alone.
func (o *Ops) Link(path, label string) string {
	if o == nil {
		return SlackEscape(label)
	}
	return "<" + o.cfg.BaseURL + path + "|" + SlackEscape(label) + ">"
}

// slackEscaper escapes the three characters Slack's mrkdwn gives meaning to.
var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// SlackEscape makes s show as written in a Slack message: a feed title or an error message
// cannot then make links or mentions.
func SlackEscape(s string) string { return slackEscaper.Replace(s) }
