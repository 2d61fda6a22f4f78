package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"hark"
	"hark/db"
	"hark/db/dbtest"
)

func TestSaveCrawlUpsertsAndMarksGone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, _ := dbtest.TestStore(t)

	p, created, err := store.CreatePodcast(ctx, "https://example.com/feed", "example.com/feed", "")
	if err != nil || !created {
		t.Fatalf("CreatePodcast = %v, %v", created, err)
	}
	again, created, err := store.CreatePodcast(ctx, "http://www.example.com/feed", "example.com/feed", "")
	if err != nil || created || again.ID != p.ID {
		t.Fatalf("second CreatePodcast = %s created=%v err=%v, want existing %s", again.ID, created, err, p.ID)
	}

	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	feed := &hark.Feed{
		Podcast: hark.Podcast{Title: "Show\x00", Publisher: "Ann", Language: "EN-us", Country: "US", OwnerEmail: "ann@example.com", GenreIDs: []int{1318}},
		Episodes: []hark.Episode{
			{GUID: "a", Title: "First", AudioURL: "https://example.com/a.mp3", AudioLengthSec: 60, PublishedAt: day},
			{GUID: "b", Title: "Second", AudioURL: "https://example.com/b.mp3", PublishedAt: day.AddDate(0, 0, 7), Persons: []string{"Maria", "Joe"}},
			{GUID: "b", Title: "Duplicate guid is ignored"},
		},
	}
	ch := saveCrawl(t, store, p.ID, feed)
	if diff := cmp.Diff(db.CrawlChanges{Inserted: 2, PodcastChanged: true}, ch); diff != "" {
		t.Fatalf("first crawl changes (-want +got):\n%s", diff)
	}

	// The same feed again writes nothing.
	if ch := saveCrawl(t, store, p.ID, feed); ch.Any() {
		t.Fatalf("re-crawl of unchanged feed changed %+v", ch)
	}

	// Episode b vanishes, a changes: b is kept but marked gone.
	feed.Episodes = []hark.Episode{{GUID: "a", Title: "First, renamed", AudioURL: "https://example.com/a.mp3", PublishedAt: day}}
	ch = saveCrawl(t, store, p.ID, feed)
	if diff := cmp.Diff(db.CrawlChanges{Updated: 1, Gone: 1}, ch); diff != "" {
		t.Fatalf("third crawl changes (-want +got):\n%s", diff)
	}
	all, err := store.FindEpisodes(ctx, db.EpisodeFilter{PodcastID: p.ID, IncludeGone: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, e := range all {
		got[e.Title] = e.Gone
	}
	if diff := cmp.Diff(map[string]bool{"First, renamed": false, "Second": true}, got); diff != "" {
		t.Fatalf("stored episodes title->gone (-want +got):\n%s", diff)
	}

	p, err = store.FindPodcastByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Show" || p.Language != "en-us" || p.Country != "us" || p.OwnerEmail != "ann@example.com" || p.EpisodeCount != 1 {
		t.Fatalf("podcast = title %q language %q country %q email %q count %d; want Show, en-us, us, ann@example.com, 1",
			p.Title, p.Language, p.Country, p.OwnerEmail, p.EpisodeCount)
	}
}

// TestIndexWorkSurvivesRacingChange needs a schema of its own: ClearIndexWork tells a racing change
// by its updated_at, and now() stands still inside one transaction.
func TestIndexWorkSurvivesRacingChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := db.New(dbtest.NewSchema(t))
	p, _, err := store.CreatePodcast(ctx, "https://example.com/f", "example.com/f", "")
	if err != nil {
		t.Fatal(err)
	}
	feed := &hark.Feed{Podcast: hark.Podcast{Title: "S"}, Episodes: []hark.Episode{{GUID: "a", Title: "A"}}}
	saveCrawl(t, store, p.ID, feed)

	w, err := store.FindIndexWork(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Upsert) != 1 || !w.PodcastPending {
		t.Fatalf("index work = %d upserts, podcast pending %v; want 1, true", len(w.Upsert), w.PodcastPending)
	}
	// A change lands after the index job read its work but before it clears the flags.
	feed.Episodes[0].Title = "A2"
	saveCrawl(t, store, p.ID, feed)
	if err := store.ClearIndexWork(ctx, w); err != nil {
		t.Fatal(err)
	}
	w2, err := store.FindIndexWork(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(w2.Upsert) != 1 || w2.Upsert[0].Title != "A2" {
		t.Fatalf("after racing change, index work = %+v; want the renamed episode", w2.Upsert)
	}
}

func TestAPIKeysStoreOnlyHashes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, tx := dbtest.TestStore(t)
	key, k, err := store.CreateAPIKey(ctx, "dev", 0)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM api_keys WHERE encode(key_hash, 'escape') LIKE '%'||$1||'%' OR name = $1`, key).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatal("the plain key is stored in api_keys")
	}
	for want := int64(1); want <= 2; want++ {
		got, usage, err := store.AuthenticateAPIKey(ctx, key)
		if err != nil || got.ID != k.ID || usage.Requests != want {
			t.Fatalf("AuthenticateAPIKey = id %d requests %d err %v; want id %d requests %d", got.ID, usage.Requests, err, k.ID, want)
		}
	}
	if _, _, err := store.AuthenticateAPIKey(ctx, "nope"); err == nil {
		t.Fatal("AuthenticateAPIKey accepted an unknown key")
	}
	if err := store.RevokeAPIKey(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.AuthenticateAPIKey(ctx, key); err == nil {
		t.Fatal("AuthenticateAPIKey accepted a revoked key")
	}
}

func saveCrawl(t *testing.T, store *db.Store, id string, f *hark.Feed) db.CrawlChanges {
	t.Helper()
	var ch db.CrawlChanges
	err := store.InTx(context.Background(), func(tx pgx.Tx, st *db.Store) error {
		if _, err := st.LockPodcast(context.Background(), id); err != nil {
			return err
		}
		var err error
		ch, err = st.SaveCrawl(context.Background(), id, f, hark.CrawlState{NextCrawlAt: time.Now()}, db.Fingerprint{})
		return err
	})
	if err != nil {
		t.Fatalf("SaveCrawl: %v", err)
	}
	return ch
}
