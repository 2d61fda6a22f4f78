package search_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"hark"
	"hark/search"
	"hark/search/searchtest"
)

// TestClusterFailover runs a 3-node Typesense cluster of its own, writes through an Index that
// knows all three nodes, then kills the leader and later a second node, and checks that searches
// keep answering correctly through whatever nodes are left.
//
// What it shows of Typesense 0.24.1: any live node answers reads, leader or not, even while no
// leader is elected and even when it is the last node standing. A write sent to a follower is
// forwarded to the leader, so writes work through any node while a majority (2 of 3) is up and
// has a leader; after the leader dies they fail until the others have elected a new one (Raft's
// election timeout, 5-10s), and with one node left they fail until another comes back.
//
// The test restarts no node: Typesense 0.24.1 replays its Raft log on start (when no snapshot was
// taken since the writes) and drops the writes that were addressed to an alias, as Hark's are, so
// a restarted node comes back without them and answers differently from the others.
func TestClusterFailover(t *testing.T) {
	t.Parallel()
	started := time.Now()
	c := searchtest.StartCluster(t, 3)
	t.Logf("cluster ready in %s", time.Since(started).Round(time.Millisecond))
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
	cfg := search.Config{
		Nodes: c.URLs(), APIKey: c[0].APIKey, Prefix: "cluster_",
		// Each write try is bounded, so a write sent while no leader is elected fails in time for
		// the test to try again.
		QueryTimeout: 3 * time.Second, ImportTimeout: 3 * time.Second,
	}
	ix, err := search.New(cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.EnsureCollections(ctx); err != nil {
		t.Fatal(err)
	}
	pod := hark.Podcast{ID: hark.NewID(), Title: "Lighthouse Keepers", Publisher: "Mara Quill", Language: "en", UpdatedAt: time.Now()}
	if err := ix.UpsertPodcasts(ctx, []hark.Podcast{pod}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{} // episode ID -> title, everything written so far
	write := func(title string) error {
		e := hark.Episode{ID: hark.NewID(), PodcastID: pod.ID, Title: title, PublishedAt: time.Now(), UpdatedAt: time.Now()}
		if _, err := ix.UpsertEpisodes(ctx, []hark.Episode{e}, map[string]*hark.Podcast{pod.ID: &pod}); err != nil {
			return err
		}
		want[e.ID] = title
		return nil
	}
	for _, title := range []string{"Skerryvore by night", "Fog signals", "The Bell Rock"} {
		if err := write(title); err != nil {
			t.Fatal(err)
		}
	}
	// Followers apply the Raft log a moment after the leader acknowledges a write, so a read
	// right after a write may miss it on a follower; the checks below wait for every node first.
	waitReplicated(t, c, len(want))

	// The leader dies. Reads go on at once; writes resume once the two left elect a new leader.
	leader, err := c.WaitLeader(searchtest.LeaderTimeout)
	if err != nil {
		t.Fatal(err)
	}
	leader.Kill()
	killed := time.Now()
	checkSearches(t, ix, want, "right after the leader died")
	var werr error
	for time.Since(killed) < searchtest.LeaderTimeout {
		if werr = write("Written after the leader died"); werr == nil {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if werr != nil {
		t.Fatalf("no write succeeded in %s after the leader died: %v", searchtest.LeaderTimeout, werr)
	}
	t.Logf("writes resumed %s after the leader died", time.Since(killed).Round(time.Millisecond))
	newLeader, err := c.WaitLeader(searchtest.LeaderTimeout)
	if err != nil {
		t.Fatal(err)
	}
	waitReplicated(t, c, len(want))
	checkSearches(t, ix, want, "after a new leader was elected")

	// The new leader dies too. The last node still answers every search correctly; writes fail,
	// as one node of three is no majority.
	newLeader.Kill()
	checkSearches(t, ix, want, "with one node left")
	if err := write("Written with one node left"); !errors.Is(err, hark.ErrUnavailable) {
		t.Errorf("write with one node of three left: %v; want ErrUnavailable", err)
	}
	checkSearches(t, ix, want, "after a failed write with one node left")
	t.Logf("whole test took %s", time.Since(started).Round(time.Millisecond))
}

// checkSearches searches through ix several times, so every node takes a turn in the Index's
// rotation, and checks that each answer holds exactly the episodes in want.
func checkSearches(t *testing.T, ix *search.Index, want map[string]string, when string) {
	t.Helper()
	for i := range 6 {
		res, err := ix.Search(context.Background(), hark.SearchQuery{PageSize: 10})
		if err != nil {
			t.Fatalf("%s: search %d: %v", when, i, err)
		}
		got := map[string]string{}
		for _, h := range res.Hits {
			got[h.Episode.ID] = h.Episode.Title
		}
		if res.Total != len(want) || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: search %d found %d: %v; want %v", when, i, res.Total, got, want)
		}
	}
	res, err := ix.Search(context.Background(), hark.SearchQuery{Q: "skerryvore"})
	if err != nil || res.Total != 1 {
		t.Fatalf("%s: search skerryvore = %v, %v; want 1 hit", when, res, err)
	}
}

// waitReplicated waits until every running node of c answers with n episodes.
func waitReplicated(t *testing.T, c searchtest.Cluster, n int) {
	t.Helper()
	for _, s := range c {
		if s.Running() {
			waitNodeHas(t, s, n)
		}
	}
}

// waitNodeHas waits until node s alone answers with n episodes.
func waitNodeHas(t *testing.T, s *searchtest.Server, n int) {
	t.Helper()
	ix, err := search.New(search.Config{Nodes: []string{s.URL()}, APIKey: s.APIKey, Prefix: "cluster_"},
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := ix.Search(context.Background(), hark.SearchQuery{})
		if err == nil && res.Total == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("node %s: %v, %v; want %d episodes", s.URL(), res, err, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
