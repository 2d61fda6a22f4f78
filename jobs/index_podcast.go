package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"

	"hark"
)

// IndexPodcastArgs asks for a podcast's pending changes to reach the search index.
type IndexPodcastArgs struct {
	PodcastID string `json:"podcast_id"`
}

// Kind is stored in river_job rows: never rename it.
func (IndexPodcastArgs) Kind() string { return "index_podcast" }

// InsertOpts coalesces index work: while a job for the podcast waits or runs, further changes
// ride on it, because the worker reads every pending change when it runs and goes round again
// while changes keep arriving (see Work).
func (IndexPodcastArgs) InsertOpts() river.InsertOpts {
	return uniquePerPodcast(QueueIndex, 25)
}

// IndexPodcastWorker works IndexPodcastArgs.
type IndexPodcastWorker struct {
	river.WorkerDefaults[IndexPodcastArgs]
	cfg Config
}

// Timeout leaves room for several Typesense writes, each limited by TYPESENSE_IMPORT_TIMEOUT,
// for a podcast with thousands of episodes.
func (w *IndexPodcastWorker) Timeout(*river.Job[IndexPodcastArgs]) time.Duration {
	return 5 * time.Minute
}

// indexRetryMax caps the wait before an index job's next try. A failed index job almost always
// means Typesense is down or full; River's backoff (attempt⁴ seconds) would leave the index
// behind for minutes after it is back (4 min 23 s after a 2-minute outage in `make faults`).
// The 25 attempts then span about 12 minutes; past that the job is discarded and the
// reconcile job, which finds the podcast's documents differing, enqueues it again.
const indexRetryMax = 30 * time.Second

// NextRetry is River's default backoff, capped at indexRetryMax with a little jitter so that the
// jobs of an outage do not all retry at once.
func (w *IndexPodcastWorker) NextRetry(job *river.Job[IndexPodcastArgs]) time.Time {
	now := time.Now()
	next := (&river.DefaultClientRetryPolicy{}).NextRetry(job.JobRow)
	if limit := now.Add(indexRetryMax); next.After(limit) {
		next = limit.Add(-rand.N(indexRetryMax / 10))
	}
	return next
}

// Work writes the podcast and its changed episodes to Typesense with bulk imports and removes
// gone episodes. Typesense errors are returned, so River retries (NextRetry) until the
// index is back; pending flags stay set in Postgres until the import succeeds.
//
// River counts a running job as a duplicate, so an index job enqueued while this one runs is
// dropped: changes committed meanwhile are picked up here instead, by going round again until a
// read finds no work, and by snoozing when it keeps coming.
func (w *IndexPodcastWorker) Work(ctx context.Context, job *river.Job[IndexPodcastArgs]) error {
	for range 3 {
		done, err := w.indexOnce(ctx, job.Args.PodcastID)
		if err != nil || done {
			return err
		}
	}
	return river.JobSnooze(time.Second)
}

// indexOnce applies the podcast's pending index work once. done means there was none, or the
// podcast is gone (its documents were removed): there is nothing left to do.
func (w *IndexPodcastWorker) indexOnce(ctx context.Context, podcastID string) (done bool, err error) {
	store, ix := w.cfg.Store, w.cfg.Index
	work, err := store.FindIndexWork(ctx, podcastID)
	if errors.Is(err, hark.ErrNotFound) {
		if err := ix.DeletePodcast(ctx, podcastID); err != nil {
			return true, err
		}
		return true, store.BumpIndexGeneration(ctx)
	}
	if err != nil || work.Empty() {
		return err == nil, err
	}
	if work.PodcastPending {
		if err := ix.UpsertPodcasts(ctx, []hark.Podcast{work.Podcast}); err != nil {
			return false, fmt.Errorf("index podcast %s: %w", work.Podcast.ID, err)
		}
	}
	if len(work.Upsert) > 0 {
		pods := map[string]*hark.Podcast{work.Podcast.ID: &work.Podcast}
		if _, err := ix.UpsertEpisodes(ctx, work.Upsert, pods); err != nil {
			return false, fmt.Errorf("index episodes of %s: %w", work.Podcast.ID, err)
		}
	}
	if err := notifyAlerts(ctx, w.cfg, &work.Podcast, work.Upsert); err != nil {
		return false, err
	}
	if len(work.Delete) > 0 {
		if err := ix.DeleteEpisodes(ctx, work.Delete); err != nil {
			return false, fmt.Errorf("unindex episodes of %s: %w", work.Podcast.ID, err)
		}
	}
	if err := store.ClearIndexWork(ctx, work); err != nil {
		return false, err
	}
	w.cfg.Logger.DebugContext(ctx, "Podcast indexed", slog.String("podcast_id", work.Podcast.ID),
		slog.Int("upserted", len(work.Upsert)), slog.Int("deleted", len(work.Delete)))
	return false, nil
}
