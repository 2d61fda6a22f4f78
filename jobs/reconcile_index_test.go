package jobs_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"hark"
	"hark/db"
	"hark/jobs"
	"hark/search"
)

// TestReconcileIndexRepairsDrift makes the index drift from Postgres in every way we know of and
// checks that one reconcile run repairs all of it. The metrics are read from the registry given in
// jobs.Config, the test's own, so their values are exact; none may reach the default registry.
func TestReconcileIndexRepairsDrift(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	shows := map[string]hark.Podcast{}
	for _, name := range []string{"alpha", "bravo", "charlie", "delta"} {
		srv := newFeedServer(t, showFeed(name+" show", name+" one", name+" two", name+" three"))
		p, _, err := b.service.SubmitFeed(ctx, srv.URL+"/"+name+".xml")
		if err != nil {
			t.Fatal(err)
		}
		shows[name] = p
	}
	b.waitIdle(t, 30*time.Second)
	for name, p := range shows {
		shows[name] = findPodcast(t, b, p.ID)
	}
	// Right after crawling, Postgres and the index agree, which also shows that both sides floor
	// updated_at to the same seconds.
	reconcile(t, b, jobs.ReconcileResult{Podcasts: 4})

	// alpha: one episode document deleted behind Postgres' back, and a stray one for an episode
	// that never existed. The count stays right; the checksum does not, as long as the two
	// updated_at differ (in the same second they would cancel out: the checksum's blind spot).
	alphaOne := episodeByTitle(t, b, shows["alpha"].ID, "alpha one")
	if err := b.index.DeleteEpisodes(ctx, []string{alphaOne.ID}); err != nil {
		t.Fatal(err)
	}
	alpha := shows["alpha"]
	phantom := hark.Episode{ID: hark.NewID(), PodcastID: alpha.ID, Title: "Phantom broadcast", UpdatedAt: alphaOne.UpdatedAt.Add(-time.Hour)}
	if _, err := b.index.UpsertEpisodes(ctx, []hark.Episode{phantom}, map[string]*hark.Podcast{alpha.ID: &alpha}); err != nil {
		t.Fatal(err)
	}
	// bravo: an episode renamed in Postgres without an index job.
	bravoTwo := episodeByTitle(t, b, shows["bravo"].ID, "bravo two")
	execSQL(t, b, `UPDATE episodes SET title = 'Renamed lantern talk', updated_at = updated_at + interval '1 hour' WHERE id = $1`, bravoTwo.ID)
	// charlie: the show renamed in Postgres without an index job; episode documents copy its title.
	execSQL(t, b, `UPDATE podcasts SET title = 'Retitled Charlie', updated_at = updated_at + interval '1 hour' WHERE id = $1`, shows["charlie"].ID)
	// delta: gone from the index altogether.
	if err := b.index.DeletePodcast(ctx, shows["delta"].ID); err != nil {
		t.Fatal(err)
	}
	// A podcast that Postgres never had, with an episode, in the index only.
	orphan := hark.Podcast{ID: hark.NewID(), Title: "Orphaned Show", UpdatedAt: time.Now()}
	if err := b.index.UpsertPodcasts(ctx, []hark.Podcast{orphan}); err != nil {
		t.Fatal(err)
	}
	orphanEp := hark.Episode{ID: hark.NewID(), PodcastID: orphan.ID, Title: "Orphaned episode", UpdatedAt: time.Now()}
	if _, err := b.index.UpsertEpisodes(ctx, []hark.Episode{orphanEp}, map[string]*hark.Podcast{orphan.ID: &orphan}); err != nil {
		t.Fatal(err)
	}

	reconcile(t, b, jobs.ReconcileResult{Podcasts: 4, Drifted: 5, Orphans: 1, StrayDocs: 1})
	if got := metricValue(t, b.registry, "hark_index_drift_podcasts"); got != 5 {
		t.Errorf("hark_index_drift_podcasts = %v after the repairing run; want 5", got)
	}
	if got := metricValue(t, b.registry, "hark_index_repairs_total"); got != 5 {
		t.Errorf("hark_index_repairs_total = %v; want the 5 repairs of this test's runs", got)
	}
	b.waitIdle(t, 30*time.Second)

	requireIndexMatches(t, b)
	for q, want := range map[string][]string{
		"phantom":         nil,
		"orphaned":        nil,
		"alpha one":       {"alpha one"},
		"renamed lantern": {"Renamed lantern talk"},
		"bravo":           {"Renamed lantern talk", "bravo one", "bravo three"},
	} {
		if got := searchTitles(t, b.index, hark.SearchQuery{Q: q}); !slices.Equal(got, want) {
			t.Errorf("search %q = %q; want %q", q, got, want)
		}
	}
	res, err := b.index.Search(ctx, hark.SearchQuery{Q: "charlie one"})
	if err != nil || res.Total != 1 || res.Hits[0].Podcast.Title != "Retitled Charlie" {
		t.Errorf("search charlie one = %+v, %v; want the episode with its show's new title", res, err)
	}

	// A second run, through River this time, finds nothing to do.
	started := time.Now()
	if _, err := b.client.Insert(ctx, jobs.ReconcileIndexArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	b.waitIdle(t, 30*time.Second)
	var state string
	if err := b.pool.QueryRow(ctx, `SELECT state FROM river_job WHERE kind = 'reconcile_index'`).Scan(&state); err != nil || state != "completed" {
		t.Fatalf("reconcile_index job: state %q, %v; want completed", state, err)
	}
	if got := metricValue(t, b.registry, "hark_index_drift_podcasts"); got != 0 {
		t.Errorf("hark_index_drift_podcasts = %v after the second run; want 0", got)
	}
	if got := metricValue(t, b.registry, "hark_index_reconcile_last_run_timestamp_seconds"); got < float64(started.Unix()) {
		t.Errorf("hark_index_reconcile_last_run_timestamp_seconds = %v; want at least %d", got, started.Unix())
	}
	if got := metricValue(t, b.registry, "hark_crawl_parses_total"); got != 4 {
		t.Errorf("hark_crawl_parses_total = %v; want the 4 feeds crawled", got)
	}
	families, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if strings.HasPrefix(f.GetName(), "hark_") {
			t.Errorf("%s is on the default registry; want the jobs' metrics only on jobs.Config.Registry", f.GetName())
		}
	}
}

// TestReconcileIndexRunsPeriodically checks that NewClient schedules reconcile_index every
// ReconcileInterval where it has an index.
func TestReconcileIndexRunsPeriodically(t *testing.T) {
	t.Parallel()
	b := setupWithIndex(t, newIndex(t), func(cfg *jobs.Config) { cfg.ReconcileInterval = time.Second })
	err := b.await(20*time.Second, func() (bool, error) {
		var n int
		err := b.pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job
			WHERE kind = 'reconcile_index' AND state = 'completed'`).Scan(&n)
		return n > 0, err
	})
	if err != nil {
		t.Fatalf("no reconcile_index job completed with a 1s interval: %v", err)
	}
}

// reconcile runs one reconcile pass, two podcasts per batch so the walk pages, and checks what it
// reports.
func reconcile(t *testing.T, b *testBundle, want jobs.ReconcileResult) {
	t.Helper()
	got, err := jobs.ReconcileIndex(context.Background(), b.store, b.index, b.client, reconcileLogger(t), jobs.ReconcileOpts{Batch: 2, Registry: b.registry})
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("ReconcileIndex = %+v; want %+v", got, want)
	}
}

// reconcileLogger shows the reconcile summary under -v.
func reconcileLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(t.Output(), nil))
	}
	return slog.New(slog.DiscardHandler)
}

// requireIndexMatches checks that the index holds exactly the podcasts and live episodes of
// Postgres.
func requireIndexMatches(t *testing.T, b *testBundle) {
	t.Helper()
	ctx := context.Background()
	pods, err := b.store.FindPodcasts(ctx, db.PodcastFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var live int
	for _, p := range pods {
		want, err := b.store.LiveEpisodeIDs(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.index.EpisodeIDs(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("podcast %s: index holds episodes %v; Postgres has %v", p.ID, got, want)
		}
		live += len(want)
	}
	totals, err := b.index.Totals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (search.Totals{Episodes: live, Podcasts: len(pods)}); totals != want {
		t.Errorf("index totals %+v; Postgres has %+v", totals, want)
	}
}

// searchTitles returns the titles of the first page of hits, sorted.
func searchTitles(t *testing.T, ix *search.Index, q hark.SearchQuery) []string {
	t.Helper()
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	var titles []string
	for _, h := range res.Hits {
		titles = append(titles, h.Episode.Title)
	}
	slices.Sort(titles)
	return titles
}

func episodeByTitle(t *testing.T, b *testBundle, podcastID, title string) hark.Episode {
	t.Helper()
	eps, err := b.store.FindEpisodes(context.Background(), db.EpisodeFilter{PodcastID: podcastID})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range eps {
		if e.Title == title {
			return e
		}
	}
	t.Fatalf("podcast %s has no episode %q", podcastID, title)
	return hark.Episode{}
}

func execSQL(t *testing.T, b *testBundle, sql string, args ...any) {
	t.Helper()
	if _, err := b.pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

// metricValue reads the one series of a gauge or counter that g gathers.
func metricValue(t *testing.T, g prometheus.Gatherer, name string) float64 {
	t.Helper()
	families, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name || len(f.GetMetric()) != 1 {
			continue
		}
		m := f.GetMetric()[0]
		if g := m.GetGauge(); g != nil {
			return g.GetValue()
		}
		return m.GetCounter().GetValue()
	}
	t.Fatalf("metric %s is not registered", name)
	return 0
}

// showFeed returns an RSS feed with one episode per title, a day apart, newest first.
func showFeed(show string, titles ...string) string {
	var items strings.Builder
	day := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for i, title := range titles {
		guid := strings.ReplaceAll(title, " ", "-")
		fmt.Fprintf(&items, `
  <item>
    <title>%s</title>
    <guid isPermaLink="false">%s</guid>
    <description>An episode of %s.</description>
    <enclosure url="https://cdn.example/%s.mp3" length="1000" type="audio/mpeg"/>
    <pubDate>%s</pubDate>
  </item>`, title, guid, show, guid, day.AddDate(0, 0, -i).Format(time.RFC1123Z))
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
  <title>` + show + `</title>
  <link>https://example.com/</link>
  <language>en</language>
  <description>A test show.</description>` + items.String() + `
</channel>
</rss>`
}
