package jobs

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"hark"
	"hark/db"
	"hark/feed"
)

// Service is what the web and CLI use to add feeds and ask for crawls.
type Service struct {
	store  *db.Store
	client *river.Client[pgx.Tx]
	// Limits cap SubmitFeedFrom; the zero value caps nothing.
	Limits SubmitLimits
	// Ops is told of the feeds SubmitFeedFrom adds; nil tells no one.
	Ops *Ops
	// BaseURL is Hark's public URL, for the listennotes_url of the webhooks it sends.
	BaseURL string
}

// NewService returns a Service that enqueues through client.
func NewService(store *db.Store, client *river.Client[pgx.Tx]) *Service {
	return &Service{store: store, client: client}
}

// SubmitFeed adds the feed at rawURL and enqueues its first crawl, in one transaction. A feed
// that Hark knows already (by URL, by an http/https or www variant, or by an old URL of a moved
// show) returns the existing podcast with created false. Returns ErrInvalid for a bad URL.
// It is the operator's way in (the CLI, imports): no cap applies; see SubmitFeedFrom.
func (s *Service) SubmitFeed(ctx context.Context, rawURL string) (hark.Podcast, bool, error) {
	return s.submit(ctx, rawURL, func(ctx context.Context, tx pgx.Tx, _ *db.Store, p hark.Podcast) error {
		_, err := s.client.InsertTx(ctx, tx, CrawlFeedArgs{PodcastID: p.ID}, nil)
		return err
	})
}

// enqueueFunc enqueues the first crawl of a podcast just created in tx, or refuses it.
type enqueueFunc func(ctx context.Context, tx pgx.Tx, st *db.Store, p hark.Podcast) error

// submit stores the feed at rawURL and, when it is new, calls enqueue in the same transaction.
func (s *Service) submit(ctx context.Context, rawURL string, enqueue enqueueFunc) (hark.Podcast, bool, error) {
	norm, err := feed.NormalizeURL(rawURL)
	if err != nil {
		return hark.Podcast{}, false, err
	}
	key, err := feed.IdentityKey(norm)
	if err != nil {
		return hark.Podcast{}, false, err
	}
	var p hark.Podcast
	var created bool
	err = s.store.InTx(ctx, func(tx pgx.Tx, st *db.Store) error {
		if p, created, err = st.CreatePodcast(ctx, norm, key, feed.PodcastGUID(norm)); err != nil || !created {
			return err
		}
		if err := enqueue(ctx, tx, st, p); err != nil {
			return fmt.Errorf("enqueue crawl: %w", err)
		}
		return nil
	})
	if err != nil {
		return hark.Podcast{}, false, fmt.Errorf("submit feed: %w", err)
	}
	return p, created, nil
}

// RefreshPodcast enqueues a crawl of the podcast now. Returns ErrNotFound for an unknown ID.
func (s *Service) RefreshPodcast(ctx context.Context, id string) error {
	p, err := s.store.FindPodcastByID(ctx, id)
	if err != nil {
		return err
	}
	if _, err := s.client.Insert(ctx, CrawlFeedArgs{PodcastID: p.ID}, nil); err != nil {
		return fmt.Errorf("refresh podcast %s: %w", id, err)
	}
	return nil
}
