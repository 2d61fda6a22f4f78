package search

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"hark"
)

func TestUpsertUpdatesInPlace(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	e := *f.eps["alien"]
	e.Title = "The Search for Extraterrestrial Life"
	n, err := f.ix.UpsertEpisodes(ctx, []hark.Episode{e}, f.podcastsByID())
	if err != nil || n != 1 {
		t.Fatalf("UpsertEpisodes = %d, %v", n, err)
	}
	if res := f.search(t, hark.SearchQuery{Q: "extraterrestrial"}); !slices.Equal(f.names(res), []string{"alien"}) {
		t.Errorf("new title: got %v", f.names(res))
	}
	if res := f.search(t, hark.SearchQuery{Q: `"alien life"`}); res.Total != 0 {
		t.Errorf("old title still found: %v", f.names(res))
	}
	if res := f.search(t, hark.SearchQuery{}); res.Total != len(f.eps) {
		t.Errorf("total %d after re-upsert, want %d: no duplicates", res.Total, len(f.eps))
	}

	p := *f.pods["history"]
	p.Title = "Hardcore History Addendum"
	if err := f.ix.UpsertPodcasts(ctx, []hark.Podcast{p}); err != nil {
		t.Fatal(err)
	}
	res := f.search(t, hark.SearchQuery{Type: hark.SearchTypePodcast, Q: "addendum"})
	if !slices.Equal(f.names(res), []string{"history"}) {
		t.Errorf("podcast update: got %v", f.names(res))
	}
	if res := f.search(t, hark.SearchQuery{Type: hark.SearchTypePodcast}); res.Total != len(f.pods) {
		t.Errorf("podcasts: total %d, want %d", res.Total, len(f.pods))
	}
}

func TestUpsertEpisodesSkipsMissingPodcast(t *testing.T) {
	t.Parallel()
	ix := newTestIndex(t)
	p := &hark.Podcast{ID: hark.NewID(), Title: "Known"}
	eps := []hark.Episode{
		{ID: hark.NewID(), PodcastID: p.ID, Title: "kept"},
		{ID: hark.NewID(), PodcastID: hark.NewID(), Title: "orphan"},
	}
	n, err := ix.UpsertEpisodes(context.Background(), eps, map[string]*hark.Podcast{p.ID: p})
	if err != nil || n != 1 {
		t.Errorf("UpsertEpisodes = %d, %v; want 1, nil", n, err)
	}
	if _, err := ix.UpsertEpisodes(context.Background(), []hark.Episode{{ID: "nope", PodcastID: p.ID}},
		map[string]*hark.Podcast{p.ID: p}); !errors.Is(err, hark.ErrInvalid) {
		t.Errorf("bad ID: %v, want ErrInvalid", err)
	}
}

// TestImportRefusedDocument: a document the server refuses fails the call, naming it, and the
// rest are written. (Our own docs always fit the schema; this sends a raw one.)
func TestImportRefusedDocument(t *testing.T) {
	t.Parallel()
	ix := newTestIndex(t)
	type bad struct {
		ID    string `json:"id"`
		Title int    `json:"title"`
	}
	good := newPodcastDoc(&hark.Podcast{ID: hark.NewID(), Title: "fine"})
	if _, err := importDocs(context.Background(), ix, ix.alias(kindPodcasts), []any{good, bad{ID: "x", Title: 1}}); err == nil {
		t.Fatal("import of a bad document: no error")
	} else {
		t.Logf("error: %v", err)
	}
	if n, err := ix.client.Collection(ix.alias(kindPodcasts)).Retrieve(context.Background()); err != nil || deref(n.NumDocuments) != 1 {
		t.Errorf("documents after import: %v, %v; want 1", n, err)
	}
}

func TestDeleteEpisodes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if err := f.ix.DeleteEpisodes(ctx, []string{f.eps["bp1"].ID, f.eps["cafe"].ID, hark.NewID()}); err != nil {
		t.Fatal(err)
	}
	if err := f.ix.DeleteEpisodes(ctx, []string{f.eps["bp1"].ID}); err != nil {
		t.Errorf("deleting again: %v", err)
	}
	if err := f.ix.DeleteEpisodes(ctx, nil); err != nil {
		t.Errorf("deleting nothing: %v", err)
	}
	res := f.search(t, hark.SearchQuery{})
	if want := []string{"holes", "alien", "election", "ozone", "bp2"}; !sameSet(f.names(res), want) {
		t.Errorf("after delete: %v, want %v", f.names(res), want)
	}
	if err := f.ix.DeleteEpisodes(ctx, []string{"` || id:*"}); !errors.Is(err, hark.ErrInvalid) {
		t.Errorf("hostile ID: %v, want ErrInvalid", err)
	}
}

func TestDeletePodcast(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if err := f.ix.DeletePodcast(ctx, f.pods["startalk"].ID); err != nil {
		t.Fatal(err)
	}
	if err := f.ix.DeletePodcast(ctx, f.pods["startalk"].ID); err != nil {
		t.Errorf("deleting again: %v", err)
	}
	res := f.search(t, hark.SearchQuery{})
	if want := []string{"election", "ozone", "cafe", "bp1", "bp2"}; !sameSet(f.names(res), want) {
		t.Errorf("episodes after delete: %v, want %v", f.names(res), want)
	}
	res = f.search(t, hark.SearchQuery{Type: hark.SearchTypePodcast})
	if want := []string{"daily", "cafe", "history"}; !sameSet(f.names(res), want) {
		t.Errorf("podcasts after delete: %v, want %v", f.names(res), want)
	}
	if err := f.ix.DeletePodcast(ctx, "x"); !errors.Is(err, hark.ErrInvalid) {
		t.Errorf("bad ID: %v, want ErrInvalid", err)
	}
}

func TestStats(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	for name, want := range map[string]int{"startalk": 2, "daily": 2, "cafe": 1, "history": 2} {
		if n, err := f.ix.CountEpisodes(ctx, f.pods[name].ID); err != nil || n != want {
			t.Errorf("CountEpisodes(%s) = %d, %v; want %d", name, n, err, want)
		}
	}
	unknown := hark.NewID()
	ids := []string{f.pods["startalk"].ID, f.pods["cafe"].ID, unknown}
	got, err := f.ix.PodcastEpisodeStats(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	sum := func(names ...string) int64 {
		var s int64
		for _, n := range names {
			s += f.eps[n].UpdatedAt.Unix()
		}
		return s
	}
	want := map[string]Stats{
		ids[0]:  {Count: 2, UpdatedSum: sum("holes", "alien")},
		ids[1]:  {Count: 1, UpdatedSum: sum("cafe")},
		unknown: {},
	}
	if len(got) != len(want) {
		t.Errorf("PodcastEpisodeStats = %v, want %v", got, want)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("stats of %s = %+v, want %+v", id, got[id], w)
		}
	}
	if _, err := f.ix.PodcastEpisodeStats(ctx, []string{"`x`"}); !errors.Is(err, hark.ErrInvalid) {
		t.Errorf("bad ID: %v, want ErrInvalid", err)
	}
	if _, err := f.ix.CountEpisodes(ctx, "x"); !errors.Is(err, hark.ErrInvalid) {
		t.Errorf("bad ID: %v, want ErrInvalid", err)
	}
}

// TestStatsManyPodcasts crosses the chunk size of the export filter.
func TestStatsManyPodcasts(t *testing.T) {
	t.Parallel()
	ix := newTestIndex(t)
	pods := map[string]*hark.Podcast{}
	var ids []string
	var eps []hark.Episode
	for i := range statsChunk + 30 {
		p := &hark.Podcast{ID: hark.NewID(), Title: "p"}
		pods[p.ID] = p
		ids = append(ids, p.ID)
		for range i%3 + 1 {
			eps = append(eps, hark.Episode{ID: hark.NewID(), PodcastID: p.ID, Title: "e", UpdatedAt: time.Unix(int64(1000+i), 0)})
		}
	}
	if _, err := ix.UpsertEpisodes(context.Background(), eps, pods); err != nil {
		t.Fatal(err)
	}
	got, err := ix.PodcastEpisodeStats(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		n := i%3 + 1
		if want := (Stats{Count: n, UpdatedSum: int64(n * (1000 + i))}); got[id] != want {
			t.Errorf("podcast %d: %+v, want %+v", i, got[id], want)
		}
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	s, err := f.ix.Suggest(ctx, "armag", true, true)
	if err != nil {
		t.Fatal(err)
	}
	if !sameSet(s.Terms, []string{"armageddon i", "armageddon ii"}) {
		t.Errorf("terms = %q", s.Terms)
	}
	if len(s.Podcasts) != 0 || len(s.Genres) != 0 {
		t.Errorf("podcasts %v, genres %v; want none", s.Podcasts, s.Genres)
	}

	s, err = f.ix.Suggest(ctx, "star", true, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Podcasts) != 1 || s.Podcasts[0].ID != f.pods["startalk"].ID || s.Podcasts[0].ImageURL == "" {
		t.Errorf("podcasts = %+v, want StarTalk Radio", s.Podcasts)
	}
	if !slices.Contains(s.Terms, "startalk radio") {
		t.Errorf("terms = %q, want startalk radio", s.Terms)
	}

	s, err = f.ix.Suggest(ctx, "Hist", false, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Podcasts) != 0 {
		t.Errorf("podcasts not asked for: %v", s.Podcasts)
	}
	if len(s.Genres) != 3 || s.Genres[0].ID != 1487 || s.Genres[1].ParentID != 1310 || s.Genres[2].ParentID != 1309 {
		t.Errorf("genres = %v, want History, then Music History and Film History", s.Genres)
	}
	if !slices.Contains(s.Terms, "history") {
		t.Errorf("terms = %q, want history", s.Terms)
	}
	// Stop words: episode titles complete the other words; text made only of them completes
	// from podcast titles.
	s, err = f.ix.Suggest(ctx, "the armag", false, false)
	if err != nil || !slices.Contains(s.Terms, "armageddon i") || !slices.Contains(s.Terms, "armageddon ii") {
		t.Errorf("the armag: terms %q, %v; want the episode titles' armageddon i and ii", s.Terms, err)
	}
	s, err = f.ix.Suggest(ctx, "the", false, false)
	if err != nil || !slices.Contains(s.Terms, "the daily") || slices.ContainsFunc(s.Terms, func(t string) bool { return !strings.HasPrefix(t, "the") }) {
		t.Errorf("the: terms %q, %v; want the daily from the podcast titles", s.Terms, err)
	}
	if s, err := f.ix.Suggest(ctx, "crime", false, true); err != nil || len(s.Genres) != 1 || s.Genres[0].Name != "True Crime" {
		t.Errorf("crime: %v, %v; want True Crime", s, err)
	}
	if s, err := f.ix.Suggest(ctx, "  ", true, true); err != nil || len(s.Terms)+len(s.Podcasts)+len(s.Genres) != 0 {
		t.Errorf("blank: %v, %v; want nothing", s, err)
	}
}
