package jobs_test

import (
	"context"
	"testing"
	"time"

	"hark"
)

const guidFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel>
  <title>Mirror Mirror</title>
  <podcast:guid>6f2f7a36-1f1c-5a3e-9a4e-2b0c1d2e3f40</podcast:guid>
  <item><title>Reflections</title><guid>mm-1</guid>
    <enclosure url="https://cdn.example/mm1.mp3" length="1" type="audio/mpeg"/></item>
</channel>
</rss>`

// TestSamePodcastGUIDIsOnePodcast: a show reached by two URLs that declare the same
// podcast:guid becomes one podcast, and the second URL finds it afterwards.
func TestSamePodcastGUIDIsOnePodcast(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	first := newFeedServer(t, guidFeed)
	mirror := newFeedServer(t, guidFeed)

	p1, _, err := b.service.SubmitFeed(ctx, first.URL+"/feed")
	if err != nil {
		t.Fatal(err)
	}
	b.waitIdle(t, 30*time.Second)
	p2, created, err := b.service.SubmitFeed(ctx, mirror.URL+"/feed")
	if err != nil || !created {
		t.Fatalf("submit mirror: created %v, %v", created, err)
	}
	b.waitIdle(t, 30*time.Second)

	if _, err := b.store.FindPodcastByID(ctx, p2.ID); err == nil {
		t.Fatal("the mirror is still a podcast of its own after its crawl found the same podcast:guid")
	}
	again, created, err := b.service.SubmitFeed(ctx, mirror.URL+"/feed")
	if err != nil || created || again.ID != p1.ID {
		t.Fatalf("resubmitting the mirror = %s created %v err %v; want the first podcast %s", again.ID, created, err, p1.ID)
	}
	res, err := b.index.Search(ctx, hark.SearchQuery{Q: "reflections"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].Podcast.ID != p1.ID {
		t.Fatalf("search finds %d episodes (want 1, of the first podcast)", res.Total)
	}
}
