package http_test

import (
	"context"
	"net/http"
	"testing"

	"hark"
)

// TestListenScore ranks podcasts by quality score: listen_score is the podcast's percentile
// among Hark's live podcasts with episodes, listen_score_global_rank the share that score as
// high, and both are null for a podcast without episodes.
func TestListenScore(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	var others []show
	for i, name := range []string{"a", "b", "c"} {
		others = append(others, addShow(t, b.store, "https://feeds.example.com/"+name+".xml", &hark.Feed{
			Podcast:  hark.Podcast{Title: "Show " + name},
			Episodes: []hark.Episode{{GUID: name, Title: "Episode " + name, PublishedAt: day.AddDate(0, 0, i)}},
		}))
	}
	empty, _, err := b.store.CreatePodcast(context.Background(), "https://feeds.example.com/empty.xml", "feeds.example.com/empty.xml", "")
	if err != nil {
		t.Fatal(err)
	}
	for id, q := range map[string]float64{jazz.podcast.ID: 0.9, others[0].podcast.ID: 0.2, others[1].podcast.ID: 0.4, others[2].podcast.ID: 0.6} {
		if _, err := b.pool.Exec(context.Background(), `UPDATE podcasts SET quality_score = $2 WHERE id = $1`, id, q); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		id    string
		score any
		rank  any
	}{
		{jazz.podcast.ID, 75.0, "25%"},
		{others[2].podcast.ID, 50.0, "50%"},
		{others[0].podcast.ID, 0.0, "100%"},
		{empty.ID, nil, nil},
	} {
		got := b.getJSON(t, "/api/v2/podcasts/"+c.id, http.StatusOK)
		if got["listen_score"] != c.score || got["listen_score_global_rank"] != c.rank {
			t.Errorf("podcast %s: listen_score %v, rank %v; want %v, %v", c.id, got["listen_score"], got["listen_score_global_rank"], c.score, c.rank)
		}
	}
}
