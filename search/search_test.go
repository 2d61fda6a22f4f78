package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/typesense/typesense-go/v3/typesense/api"

	"hark"
	"hark/search/internal/tsserver"
)

var prefixSeq atomic.Int64

// testConfig returns a Config for the Typesense server of the environment (tsserver.Env), with
// a prefix of its own.
func testConfig(tb testing.TB) Config {
	tb.Helper()
	url, key := tsserver.Env(tb)
	return Config{
		Nodes:  []string{url},
		APIKey: key,
		Prefix: fmt.Sprintf("t%d_%d_", time.Now().UnixNano(), prefixSeq.Add(1)),
		// Generous: tests run in parallel under -race on small machines. TestSearchUnavailable
		// checks the default.
		QueryTimeout: 10 * time.Second,
	}
}

func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// newTestIndex returns an Index with its own, empty collections, dropped when the test ends.
func newTestIndex(tb testing.TB) *Index {
	tb.Helper()
	ix := newBareIndex(tb)
	if _, err := ix.EnsureCollections(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return ix
}

// newBareIndex returns an Index with a prefix of its own and no collections yet; what the test
// creates under the prefix is dropped when it ends.
func newBareIndex(tb testing.TB) *Index {
	tb.Helper()
	ix, err := New(testConfig(tb), testLogger(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := ix.dropAll(context.Background()); err != nil {
			tb.Errorf("DropAll: %v", err)
		}
	})
	return ix
}

// fixture is a small index: four podcasts and seven episodes with known fields.
type fixture struct {
	ix   *Index
	pods map[string]*hark.Podcast // by short name: startalk, daily, cafe, history
	eps  map[string]*hark.Episode // by short name: holes, alien, election, ozone, cafe, bp1, bp2
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{ix: newTestIndex(t), pods: map[string]*hark.Podcast{}, eps: map[string]*hark.Episode{}}
	pod := func(name, title, publisher, lang, country string, genre int, explicit bool, quality float64, count, freq int) {
		f.pods[name] = &hark.Podcast{
			ID: hark.NewID(), Title: title, Publisher: publisher, Language: lang, Country: country,
			GenreIDs: []int{genre}, Explicit: explicit, QualityScore: quality, EpisodeCount: count,
			UpdateFreqHours: freq, Description: "<p>About " + title + "</p>", FeedURL: "https://example.com/" + name + ".xml",
			ImageURL: "https://example.com/" + name + ".jpg", LatestPubDate: day("2024-01-01"), UpdatedAt: day("2024-02-01"),
			OwnerEmail: name + "@example.com",
		}
	}
	pod("startalk", "StarTalk Radio", "Neil deGrasse Tyson", "en", "us", 1533, false, 0.9, 500, 168)
	pod("daily", "The Daily", "The New York Times", "en-US", "us", 1489, false, 0.95, 2000, 24)
	pod("cafe", "Café Crème", "Radio France", "fr", "fr", 1324, true, 0.5, 50, 720)
	pod("history", "Hardcore History", "Dan Carlin", "en-gb", "gb", 1487, false, 0.8, 70, 2000)

	ep := func(name, podName, title, desc string, lenSec int, published string) {
		f.eps[name] = &hark.Episode{
			ID: hark.NewID(), PodcastID: f.pods[podName].ID, Title: title, Description: desc,
			AudioURL: "https://example.com/" + name + ".mp3", AudioLengthSec: lenSec,
			PublishedAt: day(published), UpdatedAt: day(published).Add(time.Hour), Persons: []string{"Host " + podName},
		}
	}
	ep("holes", "startalk", "Cosmic Queries: Black Holes",
		"<p>Neil and Chuck answer your questions about <b>black holes</b> &amp; wormholes.</p>", 3000, "2024-01-10")
	ep("alien", "startalk", "The Search for Alien Life", "Is anyone out there? We talk about exoplanets.", 2400, "2023-06-01")
	ep("election", "daily", "Election night special",
		"A &lt;script&gt;alert('x')&lt;/script&gt; look at the results &amp; what they mean", 1500, "2024-11-06")
	ep("ozone", "daily", "The hole in the ozone layer",
		"Scientists say some holes are black and some are not.", 1700, "2021-05-01")
	ep("cafe", "cafe", "Le monde du café", "Une histoire du café, de l'Éthiopie à Paris.", 600, "2022-03-01")
	ep("bp1", "history", "Blueprint for Armageddon I", "World War One begins.", 20000, "2014-01-01")
	ep("bp2", "history", "Blueprint for Armageddon II", "The war goes on.", 21000, "2014-03-01")

	ctx := context.Background()
	var pods []hark.Podcast
	for _, p := range f.pods {
		pods = append(pods, *p)
	}
	if err := f.ix.UpsertPodcasts(ctx, pods); err != nil {
		t.Fatal(err)
	}
	var eps []hark.Episode
	for _, e := range f.eps {
		eps = append(eps, *e)
	}
	n, err := f.ix.UpsertEpisodes(ctx, eps, f.podcastsByID())
	if err != nil || n != len(eps) {
		t.Fatalf("UpsertEpisodes = %d, %v; want %d, nil", n, err, len(eps))
	}
	return f
}

func (f *fixture) podcastsByID() map[string]*hark.Podcast {
	m := map[string]*hark.Podcast{}
	for _, p := range f.pods {
		m[p.ID] = p
	}
	return m
}

// names maps the hits of res back to fixture names, in order.
func (f *fixture) names(res *hark.SearchResult) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, f.name(h))
	}
	return out
}

func (f *fixture) name(h hark.SearchHit) string {
	if h.Episode != nil {
		for n, e := range f.eps {
			if e.ID == h.Episode.ID {
				return n
			}
		}
		return "?" + h.Episode.ID
	}
	for n, p := range f.pods {
		if p.ID == h.Podcast.ID {
			return n
		}
	}
	return "?" + h.Podcast.ID
}

func (f *fixture) search(t *testing.T, q hark.SearchQuery) *hark.SearchResult {
	t.Helper()
	res, err := f.ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return res
}

// sameSet reports whether got and want hold the same names, in any order.
func sameSet(got, want []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want)))
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	for _, cfg := range []Config{
		{APIKey: "k", Prefix: "bad prefix"},
		{APIKey: "k", Prefix: "a`b"},
		{APIKey: ""},
		{APIKey: "k", Nodes: []string{"http://[::1"}},
	} {
		if _, err := New(cfg, testLogger(t)); !errors.Is(err, hark.ErrInvalid) {
			t.Errorf("New(%+v) = %v, want ErrInvalid", cfg, err)
		}
	}
}

// TestEnsureCollectionsIdempotent: the first call creates the collections and reports that the
// index needs filling; the next finds them and reports nothing to fill.
func TestEnsureCollectionsIdempotent(t *testing.T) {
	t.Parallel()
	ix := newBareIndex(t)
	ctx := context.Background()
	if fill, err := ix.EnsureCollections(ctx); err != nil || !fill {
		t.Fatalf("first EnsureCollections = fill %v, %v; want true, nil", fill, err)
	}
	if fill, err := ix.EnsureCollections(ctx); err != nil || fill {
		t.Fatalf("second EnsureCollections = fill %v, %v; want false, nil", fill, err)
	}
	if err := ix.Health(ctx); err != nil {
		t.Fatalf("Health: %v", err)
	}
	for _, kind := range []string{kindEpisodes, kindPodcasts} {
		got, err := ix.aliasTarget(ctx, kind)
		if want := ix.versioned(kind, "1"); err != nil || got != want {
			t.Errorf("alias %s -> %q, %v; want %q", kind, got, err, want)
		}
	}
}

// TestEnsureCollectionsAddsMissingFields checks that an index built before title_key existed
// gets the field when Hark starts, and answers searches that query it.
func TestEnsureCollectionsAddsMissingFields(t *testing.T) {
	t.Parallel()
	ix := newBareIndex(t)
	ctx := context.Background()
	old := episodeSchema(ix.versioned(kindEpisodes, "1"))
	old.Fields = slices.DeleteFunc(old.Fields, func(f api.Field) bool { return f.Name == "title_key" })
	if _, err := ix.client.Collections().Create(ctx, old); err != nil {
		t.Fatal(err)
	}
	if err := ix.pointAlias(ctx, kindEpisodes, old.Name); err != nil {
		t.Fatal(err)
	}
	p := hark.Podcast{ID: hark.NewID(), Title: "Old Show", Language: "en"}
	e := hark.Episode{ID: hark.NewID(), PodcastID: p.ID, Title: "The Debate", PublishedAt: day("2024-01-01")}
	if _, err := ix.Search(ctx, hark.SearchQuery{Q: "The Debate"}); err == nil {
		t.Fatal("Search on a collection without title_key succeeded; the test does not test the upgrade")
	}
	// The podcasts alias is missing too, so the first call creates it; fill reports both.
	if fill, err := ix.EnsureCollections(ctx); err != nil || !fill {
		t.Fatalf("EnsureCollections on the old collection = fill %v, %v; want true, nil", fill, err)
	}
	if fill, err := ix.EnsureCollections(ctx); err != nil || fill {
		t.Fatalf("EnsureCollections again = fill %v, %v; want false, nil", fill, err)
	}
	c, err := ix.client.Collection(old.Name).Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(c.Fields, func(f api.Field) bool { return f.Name == "title_key" }) {
		t.Fatalf("collection %s has no title_key after EnsureCollections", old.Name)
	}
	if _, err := ix.UpsertEpisodes(ctx, []hark.Episode{e}, map[string]*hark.Podcast{p.ID: &p}); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(ctx, hark.SearchQuery{Q: "The Debate"})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Episode.ID != e.ID {
		t.Fatalf("Search after the upgrade = %+v, %v; want the episode", res, err)
	}
}
