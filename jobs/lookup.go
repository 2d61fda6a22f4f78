package jobs

import (
	"context"

	"hark"
	"hark/feed"
)

// FindFeed returns the podcast Hark has for the feed at rawURL, by any URL that is the same show
// (http/https, www, an old URL of a moved show), without adding it. Returns ErrInvalid for a bad
// URL and ErrNotFound for a feed Hark does not have.
func (s *Service) FindFeed(ctx context.Context, rawURL string) (hark.Podcast, error) {
	norm, err := feed.NormalizeURL(rawURL)
	if err != nil {
		return hark.Podcast{}, err
	}
	key, err := feed.IdentityKey(norm)
	if err != nil {
		return hark.Podcast{}, err
	}
	return s.store.FindPodcastByIdentity(ctx, key)
}
