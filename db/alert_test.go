package db_test

import (
	"testing"

	"hark/db"
	"hark/db/dbtest"
)

// TestMatchAlerts: an alert matches an episode by words of its title or description and by its
// podcast's language ("en" takes "en-US") and genres; each pair is returned once, however often
// the episode is matched again; other filters keep it out.
func TestMatchAlerts(t *testing.T) {
	t.Parallel()
	store, tx := dbtest.TestStore(t)
	ctx := t.Context()
	p, _, err := store.CreatePodcast(ctx, "https://feeds.example/jazz.xml", "feeds.example/jazz.xml", "")
	if err != nil {
		t.Fatal(err)
	}
	const ep = "0123456789abcdef0123456789abcdef"
	if _, err := tx.Exec(ctx, `UPDATE podcasts SET language = 'en-US', genre_ids = '{1310}' WHERE id = $1;`, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO episodes (id, podcast_id, guid, title, description)
		VALUES ($1, $2, 'g', 'Bebop at Minton''s', 'Where modern jazz began.')`, ep, p.ID); err != nil {
		t.Fatal(err)
	}
	_, key, err := store.CreateAPIKey(ctx, "k", 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]bool{}
	for _, a := range []struct {
		alert db.Alert
		match bool
	}{
		{db.Alert{Query: "modern jazz", Language: "en", GenreIDs: []int{1310, 1301}}, true},
		{db.Alert{Query: `"jazz began" -swing`, PodcastID: p.ID}, true},
		{db.Alert{Query: "bebop", Language: "fr"}, false},
		{db.Alert{Query: "bebop", GenreIDs: []int{1301}}, false},
		{db.Alert{Query: "swing"}, false},
	} {
		a.alert.APIKeyID, a.alert.WebhookURL, a.alert.Secret = key.ID, "https://hooks.example/", "s"
		created, err := store.CreateAlert(ctx, a.alert)
		if err != nil {
			t.Fatal(err)
		}
		if a.match {
			want[created.ID] = true
		}
	}
	for round := range 2 {
		found, err := store.AnyAlertMatches(ctx, []string{ep})
		if err != nil {
			t.Fatal(err)
		}
		matches, err := store.MatchAlerts(ctx, []string{ep})
		if err != nil {
			t.Fatal(err)
		}
		wantN := len(want)
		if round == 1 {
			wantN = 0
		}
		if len(matches) != wantN || found != (wantN > 0) {
			t.Fatalf("round %d: %d matches (found %v), want %d", round, len(matches), found, wantN)
		}
		for _, m := range matches {
			if !want[m.Alert.ID] || m.EpisodeID != ep {
				t.Errorf("round %d: unexpected match %+v", round, m)
			}
		}
	}
}
