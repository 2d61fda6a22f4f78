package db_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hark"
	"hark/db/dbtest"
)

// TestSampleSearchText: the sample for counting common search terms reads the title,
// description and show name of live episodes, and leaves gone ones out; the sample for the
// typeahead dictionary reads their titles.
func TestSampleSearchText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, _ := dbtest.TestStore(t)
	p, _, err := store.CreatePodcast(ctx, "https://example.com/sample", "example.com/sample", "")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	feed := &hark.Feed{Podcast: hark.Podcast{Title: "Lighthouse Radio"}, Episodes: []hark.Episode{
		{GUID: "a", Title: "Storm", Description: "<p>Waves tonight</p>", PublishedAt: day},
		{GUID: "b", Title: "Calm", Description: "Still water", PublishedAt: day.AddDate(0, 0, 1)},
	}}
	saveCrawl(t, store, p.ID, feed)
	feed.Episodes = feed.Episodes[:1] // b leaves the feed and is marked gone
	saveCrawl(t, store, p.ID, feed)

	got, err := store.SampleSearchText(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if diff := cmp.Diff([]string{"Storm <p>Waves tonight</p> Lighthouse Radio"}, got); diff != "" {
		t.Fatalf("sample (-want +got):\n%s", diff)
	}
	if got, err := store.SampleSearchText(ctx, 0); err != nil || len(got) != 0 {
		t.Fatalf("sample of 0 = %q, %v; want none", got, err)
	}
	if got, err := store.SampleEpisodeTitles(ctx, 100); err != nil || !slices.Equal(got, []string{"Storm"}) {
		t.Fatalf("titles = %q, %v; want Storm", got, err)
	}
}
