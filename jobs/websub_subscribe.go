package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"hark"
	"hark/db"
	"hark/feed"
)

// WebSub timing.
const (
	// WebSubLeaseSeconds is the lease Hark asks hubs for (10 days); hubs may grant another.
	WebSubLeaseSeconds = 10 * 24 * 3600
	// webSubRenewBefore is how long before a lease ends the subscription is renewed.
	webSubRenewBefore = 24 * time.Hour
	// webSubResendAfter is how long a renewal waits for the hub's verification before it is
	// sent again.
	webSubResendAfter = time.Hour
	// webSubRetryAfter is how long a subscription the hub never verified, or refused, rests
	// before the next crawl asks again.
	webSubRetryAfter = 24 * time.Hour
)

// WebSubSubscribeArgs asks for a subscribe request to the hub of a podcast's stored WebSub
// subscription (see db.UpsertWebSubSubscription).
type WebSubSubscribeArgs struct {
	PodcastID string `json:"podcast_id"`
}

// Kind is stored in river_job rows: never rename it.
func (WebSubSubscribeArgs) Kind() string { return "websub_subscribe" }

// InsertOpts makes subscribe requests unique per podcast while one is pending or running.
func (WebSubSubscribeArgs) InsertOpts() river.InsertOpts {
	return uniquePerPodcast(QueueCrawl, 5)
}

// WebSubSubscribeWorker works WebSubSubscribeArgs.
type WebSubSubscribeWorker struct {
	river.WorkerDefaults[WebSubSubscribeArgs]
	cfg Config
}

// Work POSTs hub.mode=subscribe to the hub through the crawler's guarded Fetcher. The hub then
// verifies the request by calling back (see package http). A refusal (4xx, or a hub address the
// guard blocks) is recorded on the subscription, not returned; network errors and 5xx are
// returned for River to retry.
func (w *WebSubSubscribeWorker) Work(ctx context.Context, job *river.Job[WebSubSubscribeArgs]) error {
	if w.cfg.BaseURL == "" {
		return river.JobCancel(errors.New("websub subscribe: no BaseURL for the callback"))
	}
	store := w.cfg.Store
	sub, err := store.FindWebSubSubscription(ctx, job.Args.PodcastID)
	if errors.Is(err, hark.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	form := url.Values{
		"hub.mode":          {"subscribe"},
		"hub.topic":         {sub.TopicURL},
		"hub.callback":      {webSubCallbackURL(w.cfg.BaseURL, sub.PodcastID)},
		"hub.secret":        {sub.Secret},
		"hub.lease_seconds": {strconv.Itoa(WebSubLeaseSeconds)},
	}
	_, err = w.cfg.Fetcher.PostForm(ctx, sub.HubURL, form)
	var fe *feed.FetchError
	switch {
	case err == nil:
		if err := store.MarkWebSubRequested(ctx, sub.PodcastID); err != nil {
			return err
		}
		w.cfg.Logger.InfoContext(ctx, "WebSub subscription requested", slog.String("podcast_id", sub.PodcastID),
			slog.String("hub_url", sub.HubURL), slog.String("topic_url", sub.TopicURL))
		return nil
	case !errors.As(err, &fe) || ctx.Err() != nil:
		return err
	case fe.RetryAfter > 0 && job.Attempt < job.MaxAttempts:
		return river.JobSnooze(fe.RetryAfter)
	case fe.Temporary:
		return err
	}
	if err := store.MarkWebSubDenied(ctx, sub.PodcastID, fe.Reason); err != nil {
		return err
	}
	w.cfg.Logger.WarnContext(ctx, "WebSub subscription refused", slog.String("podcast_id", sub.PodcastID),
		slog.String("hub_url", sub.HubURL), slog.String("reason", fe.Reason))
	return nil
}

// webSubCallbackURL is where the hub verifies the subscription and sends notifications.
func webSubCallbackURL(baseURL, podcastID string) string {
	return strings.TrimRight(baseURL, "/") + "/websub/callback/" + podcastID
}

// enqueueWebSubSubscribe runs in a crawl's transaction: when the feed names a hub and the
// podcast has no live subscription to it for the feed's topic, it records the subscription as
// wanted and enqueues the subscribe request, so both commit with the crawl or not at all.
func enqueueWebSubSubscribe(ctx context.Context, tx pgx.Tx, st *db.Store, cfg Config, p hark.Podcast, f *hark.Feed) error {
	if f.WebSubHub == "" || cfg.BaseURL == "" {
		return nil
	}
	topic := cmp.Or(f.WebSubSelf, p.FeedURL)
	sub, err := st.FindWebSubSubscription(ctx, p.ID)
	found := err == nil
	if err != nil && !errors.Is(err, hark.ErrNotFound) {
		return err
	}
	if !webSubDue(sub, found, f.WebSubHub, topic, time.Now()) {
		return nil
	}
	if _, err := st.UpsertWebSubSubscription(ctx, p.ID, f.WebSubHub, topic); err != nil {
		return err
	}
	if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertTx(ctx, tx, WebSubSubscribeArgs{PodcastID: p.ID}, nil); err != nil {
		return fmt.Errorf("enqueue websub subscribe: %w", err)
	}
	return nil
}

// webSubDue reports whether a subscribe request for hub and topic is to be sent, given the
// stored subscription (found is false when there is none): for a new hub or topic, a lease that
// ends within webSubRenewBefore, or a request that stayed unverified or was refused long ago.
func webSubDue(sub db.WebSubSubscription, found bool, hub, topic string, now time.Time) bool {
	switch {
	case !found || sub.HubURL != hub || sub.TopicURL != topic:
		return true
	case sub.State == db.WebSubVerified:
		return sub.ExpiresAt.Before(now.Add(webSubRenewBefore)) && sub.UpdatedAt.Before(now.Add(-webSubResendAfter))
	}
	return sub.UpdatedAt.Before(now.Add(-webSubRetryAfter))
}
