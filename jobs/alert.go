package jobs

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"hark"
	"hark/db"
)

// alertPayload is the body of an episodeMatched webhook.
type alertPayload struct {
	Event   string         `json:"event"`
	AlertID int64          `json:"alert_id"`
	Query   string         `json:"query"`
	Episode alertedEpisode `json:"episode"`
}

// alertedEpisode is the episode an alert matched, in the Listen API's field names.
type alertedEpisode struct {
	ID             string            `json:"id"`
	Title          string            `json:"title"`
	Audio          string            `json:"audio"`
	AudioLengthSec int               `json:"audio_length_sec"`
	PubDateMS      int64             `json:"pub_date_ms"`
	ListennotesURL string            `json:"listennotes_url,omitempty"`
	Podcast        podcastMinimumRSS `json:"podcast"`
}

// podcastMinimumRSS is the spec's PodcastMinimumRss, the body of Listen Notes' webhooks.
type podcastMinimumRSS struct {
	ID             string `json:"id"`
	Title          string `json:"title"`
	Publisher      string `json:"publisher"`
	Image          string `json:"image"`
	Thumbnail      string `json:"thumbnail"`
	ListennotesURL string `json:"listennotes_url,omitempty"`
	RSS            string `json:"rss"`
}

// minimumRSS describes p for webhooks; listennotes_url needs cfg.BaseURL.
func minimumRSS(cfg Config, p *hark.Podcast) podcastMinimumRSS {
	m := podcastMinimumRSS{ID: p.ID, Title: p.Title, Publisher: p.Publisher, Image: p.ImageURL, Thumbnail: p.ImageURL, RSS: p.FeedURL}
	if cfg.BaseURL != "" {
		m.ListennotesURL = cfg.BaseURL + "/podcasts/" + p.ID
	}
	return m
}

// notifyAlerts matches the saved alerts against the episodes just indexed and queues a webhook
// for each match not made before, in one transaction: the (alert, episode) row and its delivery
// commit together, and an index job that runs again finds the row and queues nothing.
func notifyAlerts(ctx context.Context, cfg Config, pod *hark.Podcast, eps []hark.Episode) error {
	if len(eps) == 0 {
		return nil
	}
	byID := make(map[string]*hark.Episode, len(eps))
	ids := make([]string, 0, len(eps))
	for i := range eps {
		byID[eps[i].ID] = &eps[i]
		ids = append(ids, eps[i].ID)
	}
	if found, err := cfg.Store.AnyAlertMatches(ctx, ids); err != nil || !found {
		return err
	}
	return cfg.Store.InTx(ctx, func(tx pgx.Tx, st *db.Store) error {
		matches, err := st.MatchAlerts(ctx, ids)
		if err != nil || len(matches) == 0 {
			return err
		}
		params := make([]river.InsertManyParams, 0, len(matches))
		for _, m := range matches {
			args, err := NewWebhook(m.Alert.WebhookURL, EventEpisodeMatched, m.Alert.Secret,
				alertPayload{Event: EventEpisodeMatched, AlertID: m.Alert.ID, Query: m.Alert.Query, Episode: alerted(cfg, byID[m.EpisodeID], pod)})
			if err != nil {
				return err
			}
			params = append(params, river.InsertManyParams{Args: args})
		}
		if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertManyTx(ctx, tx, params); err != nil {
			return fmt.Errorf("enqueue alert webhooks: %w", err)
		}
		return nil
	})
}

// alerted describes e of p for an alert's webhook.
func alerted(cfg Config, e *hark.Episode, p *hark.Podcast) alertedEpisode {
	a := alertedEpisode{ID: e.ID, Title: e.Title, Audio: e.AudioURL, AudioLengthSec: e.AudioLengthSec,
		PubDateMS: e.PublishedAt.UnixMilli(), Podcast: minimumRSS(cfg, p)}
	if cfg.BaseURL != "" {
		a.ListennotesURL = cfg.BaseURL + "/episodes/" + e.ID
	}
	return a
}

// rejectedPayload is the body of podcastsSubmitRejected, as Listen Notes sends it.
type rejectedPayload struct {
	Podcast struct {
		RSS string `json:"rss"`
	} `json:"podcast"`
}

// notifySubmitter queues the podcastsSubmitAccepted or podcastsSubmitRejected webhook of a
// submitted feed whose first crawl ended, in st's transaction, if the submitter gave a webhook
// URL. Only the first outcome is told: the webhook is taken from the store.
func notifySubmitter(ctx context.Context, tx pgx.Tx, st *db.Store, cfg Config, podcastID string, accepted bool) error {
	h, ok, err := st.TakeSubmissionWebhook(ctx, podcastID)
	if err != nil || !ok {
		return err
	}
	p, err := st.FindPodcastByID(ctx, podcastID)
	if err != nil {
		return err
	}
	event := EventPodcastsSubmitRejected
	var rejected rejectedPayload
	rejected.Podcast.RSS = p.FeedURL
	var payload any = rejected
	if accepted {
		event, payload = EventPodcastsSubmitAccepted, minimumRSS(cfg, &p)
	}
	args, err := NewWebhook(h.URL, event, h.Secret, payload)
	if err != nil {
		return err
	}
	if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertTx(ctx, tx, args, nil); err != nil {
		return fmt.Errorf("enqueue %s webhook: %w", event, err)
	}
	return nil
}
