package search

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"hark"
)

func TestRebuildCommit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	oldEpisodes, err := f.ix.aliasTarget(ctx, kindEpisodes)
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.ix.BeginRebuild(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// The rebuild holds only StarTalk and its episodes.
	pod := f.pods["startalk"]
	if err := r.UpsertPodcasts(ctx, []hark.Podcast{*pod}); err != nil {
		t.Fatal(err)
	}
	if n, err := r.UpsertEpisodes(ctx, []hark.Episode{*f.eps["holes"], *f.eps["alien"]}, f.podcastsByID()); err != nil || n != 2 {
		t.Fatalf("Rebuild.UpsertEpisodes = %d, %v", n, err)
	}
	// Searches still answer from the old version.
	if res := f.search(t, hark.SearchQuery{Q: "armageddon"}); res.Total != 2 {
		t.Errorf("during rebuild: armageddon total %d, want 2 from the old version", res.Total)
	}
	// A write through the Index meanwhile lands in both versions.
	late := hark.Episode{ID: hark.NewID(), PodcastID: pod.ID, Title: "Late breaking supernova"}
	if _, err := f.ix.UpsertEpisodes(ctx, []hark.Episode{late}, f.podcastsByID()); err != nil {
		t.Fatal(err)
	}
	if err := f.ix.DeleteEpisodes(ctx, []string{f.eps["alien"].ID}); err != nil {
		t.Fatal(err)
	}

	if err := r.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := f.ix.aliasTarget(ctx, kindEpisodes); err != nil || got != r.collection(kindEpisodes) {
		t.Errorf("alias -> %q, %v; want %q", got, err, r.collection(kindEpisodes))
	}
	if _, err := f.ix.client.Collection(oldEpisodes).Retrieve(ctx); !isNotFound(interpretError(err)) {
		t.Errorf("old collection %s: %v, want it gone", oldEpisodes, err)
	}
	res := f.search(t, hark.SearchQuery{})
	if got := f.names(res); !sameSet(got, []string{"holes", "?" + late.ID}) {
		t.Errorf("after commit: %v, want holes and the late episode", got)
	}
	res = f.search(t, hark.SearchQuery{Type: hark.SearchTypePodcast})
	if got := f.names(res); !slices.Equal(got, []string{"startalk"}) {
		t.Errorf("podcasts after commit: %v", got)
	}
	if err := r.Abort(ctx); err != nil {
		t.Errorf("Abort after Commit: %v, want nil", err)
	}
	if err := r.Commit(ctx); err == nil {
		t.Error("second Commit: no error")
	}
	// Writes after the commit no longer go to the rebuild separately.
	got, err := f.ix.writeTargets(ctx, kindEpisodes)
	if err != nil || len(got) != 1 || !strings.HasPrefix(got[0], f.ix.alias(kindEpisodes)+"_v") {
		t.Errorf("write targets after commit: %v, %v; want the one new collection", got, err)
	}
}

func TestRebuildAbort(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	r, err := f.ix.BeginRebuild(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Abort(ctx); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{kindEpisodes, kindPodcasts} {
		if _, err := f.ix.client.Collection(r.collection(kind)).Retrieve(ctx); !errors.Is(interpretError(err), hark.ErrNotFound) {
			t.Errorf("%s after abort: %v, want gone", r.collection(kind), err)
		}
		if got, _ := f.ix.aliasTarget(ctx, kind); got != f.ix.versioned(kind, "1") {
			t.Errorf("alias %s -> %q after abort", kind, got)
		}
	}
	if res := f.search(t, hark.SearchQuery{}); res.Total != len(f.eps) {
		t.Errorf("after abort: total %d, want %d", res.Total, len(f.eps))
	}
}
