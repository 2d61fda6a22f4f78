package jobs

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"hark"
	"hark/db"
)

// SubmitLimits cap what strangers can add through the web form and the API. A zero field is no
// cap.
type SubmitLimits struct {
	PerKeyDaily  int // new feeds one API key may add per UTC day
	PerAddrDaily int // new feeds one client address may add per UTC day, without a key
	// QueueMax is how many first crawls of submitted feeds may wait at once: over it,
	// submissions are refused until the workers catch up.
	QueueMax int
}

// queueFullRetry is the Retry-After of a submission refused because the queue is full.
const queueFullRetry = time.Minute

// SubmitFeedFrom is SubmitFeed for a feed a stranger submits: the first crawl goes to
// QueueSubmissions, and a new feed counts against the submitter's daily cap and the queue's
// intake (SubmitLimits), exactly across processes. A feed Hark knows costs nothing. Over a
// cap it returns an error matching ErrTooMany, with the wait in RetryAfter, and adds nothing.
func (s *Service) SubmitFeedFrom(ctx context.Context, rawURL string, from hark.Origin) (hark.Podcast, bool, error) {
	return s.submit(ctx, rawURL, func(ctx context.Context, tx pgx.Tx, st *db.Store, p hark.Podcast) error {
		if err := s.takeDaily(ctx, st, from); err != nil {
			return err
		}
		if max := s.Limits.QueueMax; max > 0 {
			ok, err := st.ClaimQueueSlot(ctx, QueueSubmissions, max)
			if err != nil {
				return err
			}
			if !ok {
				return hark.Limitf(queueFullRetry, "Hark has %d new feeds waiting for their first crawl; "+
					"try again in a minute.", max)
			}
		}
		if from.WebhookURL != "" {
			hook := db.SubmissionWebhook{PodcastID: p.ID, URL: from.WebhookURL, Secret: from.WebhookSecret}
			if err := st.SaveSubmissionWebhook(ctx, hook); err != nil {
				return err
			}
		}
		if _, err := s.client.InsertTx(ctx, tx, CrawlFeedArgs{PodcastID: p.ID}, &river.InsertOpts{Queue: QueueSubmissions}); err != nil {
			return err
		}
		return s.Ops.NotifyTx(ctx, tx, EventPodcastSubmitted, submittedText(p, from))
	})
}

// submittedText is the chat message about a feed a stranger submitted.
func submittedText(p hark.Podcast, from hark.Origin) string {
	by := "the web form or the API without a key"
	if from.APIKeyID != 0 {
		by = "API key " + strconv.FormatInt(from.APIKeyID, 10)
	}
	return "*Podcast submitted* through " + by + ": " + SlackEscape(p.FeedURL)
}

// takeDaily counts the submission against the submitter's daily cap.
func (s *Service) takeDaily(ctx context.Context, st *db.Store, from hark.Origin) error {
	submitter, limit, who := "addr:"+from.Addr, s.Limits.PerAddrDaily, "This address"
	if from.APIKeyID != 0 {
		submitter, limit, who = "key:"+strconv.FormatInt(from.APIKeyID, 10), s.Limits.PerKeyDaily, "This API key"
	}
	if limit <= 0 {
		return nil
	}
	ok, err := st.TakeSubmission(ctx, submitter, limit)
	if err != nil {
		return err
	}
	if !ok {
		now := time.Now().UTC()
		midnight := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
		return hark.Limitf(midnight.Sub(now), "%s has added its %d new feeds for today; "+
			"the count starts again at midnight UTC.", who, limit)
	}
	return nil
}
