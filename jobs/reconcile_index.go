package jobs

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"hark"
	"hark/db"
	"hark/search"
)

// Defaults for reconciling the search index with Postgres.
const (
	ReconcileIntervalDefault = 10 * time.Minute
	ReconcileBatchDefault    = 500
)

// ReconcileIndexArgs is the periodic job that compares the search index with Postgres and
// repairs the podcasts whose documents drifted; see ReconcileIndex.
type ReconcileIndexArgs struct{}

// Kind is stored in river_job rows: never rename it.
func (ReconcileIndexArgs) Kind() string { return "reconcile_index" }

// InsertOpts puts the job on the index queue, which only processes with a search index work,
// and makes it unique per minute, so a leader change cannot double a run. A failed run is not
// retried: the next period's run does the same work.
func (ReconcileIndexArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       QueueIndex,
		MaxAttempts: 1,
		UniqueOpts: river.UniqueOpts{ByPeriod: time.Minute, ByState: []rivertype.JobState{
			rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateScheduled, rivertype.JobStateRetryable, rivertype.JobStateCompleted,
		}},
	}
}

// ReconcileIndexWorker works ReconcileIndexArgs.
type ReconcileIndexWorker struct {
	river.WorkerDefaults[ReconcileIndexArgs]
	cfg     Config
	metrics *metrics
}

// Timeout is longer than River's job timeout: a run reads a little of every document.
func (w *ReconcileIndexWorker) Timeout(*river.Job[ReconcileIndexArgs]) time.Duration {
	return time.Hour
}

// Work runs ReconcileIndex.
func (w *ReconcileIndexWorker) Work(ctx context.Context, job *river.Job[ReconcileIndexArgs]) error {
	_, err := reconcileIndex(ctx, w.cfg.Store, w.cfg.Index, river.ClientFromContext[pgx.Tx](ctx), w.cfg.Logger, ReconcileOpts{}, w.metrics)
	return err
}

// ReconcileOpts tunes ReconcileIndex.
type ReconcileOpts struct {
	Batch int // podcasts compared per round trip; default ReconcileBatchDefault
	// Registry receives the run's metrics (hark_index_*); default Prometheus's default registry.
	// The reconcile_index job uses Config.Registry.
	Registry prometheus.Registerer
}

// ReconcileResult says what one reconcile run found and did.
type ReconcileResult struct {
	Podcasts  int // podcasts in Postgres compared with the index
	Drifted   int // podcasts whose documents differed from Postgres, Orphans included
	Orphans   int // podcasts with documents in the index but no row in Postgres; their documents were deleted
	StrayDocs int // episode documents deleted because their episode is not live in Postgres
}

// ReconcileIndex makes the search index match Postgres, the source of truth. It walks every
// podcast by ID in batches and compares, per podcast, the podcast document (present, updated_at,
// episode_count) and the episode documents (count and the sum of their updated_at in Unix
// seconds) with Postgres. For each podcast that differs, it deletes the episode documents whose
// episode is not live in Postgres, flags the podcast and its episodes as index_pending and enqueues
// index_podcast, which rewrites every document of the podcast. Documents of podcasts that
// Postgres no longer has are deleted.
//
// The comparison is by whole seconds, as the index stores updated_at: a change made within the
// second of the indexed version is not seen. A podcast whose index job is queued or running when
// the run looks may count as drifted; repairing it again is harmless. A repair enqueued while
// that podcast's index job runs is absorbed by it (index_podcast is unique while running), and
// the next run finds what it missed.
func ReconcileIndex(ctx context.Context, store *db.Store, ix *search.Index, client *river.Client[pgx.Tx], logger *slog.Logger, opts ReconcileOpts) (ReconcileResult, error) {
	return reconcileIndex(ctx, store, ix, client, logger, opts, newMetrics(opts.Registry))
}

// reconcileIndex is ReconcileIndex recording its run in m.
func reconcileIndex(ctx context.Context, store *db.Store, ix *search.Index, client *river.Client[pgx.Tx], logger *slog.Logger, opts ReconcileOpts, m *metrics) (ReconcileResult, error) {
	started := time.Now()
	r := &reconciler{store: store, ix: ix, client: client, logger: logger, metrics: m, batch: cmp.Or(opts.Batch, ReconcileBatchDefault)}
	res, err := r.run(ctx)
	if err != nil {
		return res, fmt.Errorf("reconcile index: %w", err)
	}
	m.indexDriftPodcasts.Set(float64(res.Drifted))
	m.indexReconcileLastRun.SetToCurrentTime()
	logger.InfoContext(ctx, "Search index reconciled", slog.Int("podcasts", res.Podcasts),
		slog.Int("drifted", res.Drifted), slog.Int("orphans", res.Orphans),
		slog.Int("stray_docs", res.StrayDocs), slog.Duration("took", time.Since(started)))
	return res, nil
}

type reconciler struct {
	store   *db.Store
	ix      *search.Index
	client  *river.Client[pgx.Tx]
	logger  *slog.Logger
	metrics *metrics
	batch   int
}

func (r *reconciler) run(ctx context.Context) (ReconcileResult, error) {
	var res ReconcileResult
	var seen search.Totals // documents found for the podcasts walked
	after := ""
	for {
		stamps, err := r.store.FindPodcastStamps(ctx, after, r.batch)
		if err != nil {
			return res, err
		}
		if len(stamps) == 0 {
			break
		}
		after = stamps[len(stamps)-1].ID
		drifted, err := r.compare(ctx, stamps, &seen)
		if err != nil {
			return res, err
		}
		res.Podcasts += len(stamps)
		res.Drifted += len(drifted)
		strays, err := r.repair(ctx, drifted)
		res.StrayDocs += strays
		if err != nil {
			return res, err
		}
	}
	orphans, err := r.removeOrphans(ctx, seen)
	res.Orphans, res.Drifted = orphans, res.Drifted+orphans
	if err == nil && res.StrayDocs+res.Orphans > 0 {
		err = r.store.BumpIndexGeneration(ctx) // the deletions change what searches find
	}
	return res, err
}

// compare returns the IDs of the podcasts among stamps whose documents differ from Postgres, and
// adds the documents it found to seen.
func (r *reconciler) compare(ctx context.Context, stamps []db.PodcastStamp, seen *search.Totals) ([]string, error) {
	ids := make([]string, len(stamps))
	for i, st := range stamps {
		ids[i] = st.ID
	}
	want, err := r.store.PodcastEpisodeStats(ctx, ids)
	if err != nil {
		return nil, err
	}
	docs, err := r.ix.PodcastDocs(ctx, ids)
	if err != nil {
		return nil, err
	}
	got, err := r.ix.PodcastEpisodeStats(ctx, ids)
	if err != nil {
		return nil, err
	}
	var drifted []string
	for _, st := range stamps {
		doc, ok := docs[st.ID]
		if ok {
			seen.Podcasts++
		}
		seen.Episodes += got[st.ID].Count
		if reason := driftReason(st, doc, ok, want[st.ID], got[st.ID]); reason != "" {
			r.logger.DebugContext(ctx, "Search index drifted", slog.String("podcast_id", st.ID), slog.String("reason", reason))
			drifted = append(drifted, st.ID)
		}
	}
	return drifted, nil
}

// driftReason says how a podcast's documents differ from its rows, or "" when they match. Both
// sides sum updated_at floored to whole seconds: Postgres with floor(extract(epoch ...)), the
// index as written by time.Time.Unix, which floors too.
func driftReason(st db.PodcastStamp, doc search.PodcastDoc, hasDoc bool, want db.EpisodeStats, got search.Stats) string {
	switch {
	case !hasDoc:
		return "podcast document missing"
	case doc.UpdatedAt != st.UpdatedAt || doc.EpisodeCount != st.EpisodeCount:
		return "podcast document stale"
	case got.Count != want.Count:
		return fmt.Sprintf("%d episode documents for %d live episodes", got.Count, want.Count)
	case got.UpdatedSum != want.UpdatedSum:
		return "episode documents stale"
	}
	return ""
}

// repair makes the documents of each drifted podcast match Postgres again. The index job only
// writes and deletes episodes that have rows, so documents of episodes that are not live are
// deleted here first. Then, in one transaction, the podcast and all its episodes are flagged and
// its index job is enqueued: the job rewrites the podcast and every live episode from Postgres.
// It returns how many stray documents it deleted.
func (r *reconciler) repair(ctx context.Context, ids []string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	strays := 0
	for _, id := range ids {
		n, err := r.deleteStrays(ctx, id)
		strays += n
		if err != nil {
			return strays, err
		}
	}
	params := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = river.InsertManyParams{Args: IndexPodcastArgs{PodcastID: id}}
	}
	err := r.store.InTx(ctx, func(tx pgx.Tx, st *db.Store) error {
		for _, id := range ids {
			if err := st.MarkIndexPending(ctx, id); err != nil {
				return err
			}
		}
		if _, err := r.client.InsertManyTx(ctx, tx, params); err != nil {
			return fmt.Errorf("enqueue index jobs: %w", err)
		}
		return nil
	})
	if err != nil {
		return strays, err
	}
	r.metrics.indexRepairs.Add(float64(len(ids)))
	return strays, nil
}

// deleteStrays deletes the podcast's episode documents whose episode is not live in Postgres. It
// reads the index before Postgres: a document is written only after its row committed, so an ID
// that the later read of Postgres lacks is truly stale, never a new episode racing us. An episode
// that turns live again meanwhile is rewritten by the index job that repair enqueues afterwards.
func (r *reconciler) deleteStrays(ctx context.Context, podcastID string) (int, error) {
	docIDs, err := r.ix.EpisodeIDs(ctx, podcastID)
	if err != nil {
		return 0, err
	}
	live, err := r.store.LiveEpisodeIDs(ctx, podcastID)
	if err != nil {
		return 0, err
	}
	isLive := make(map[string]bool, len(live))
	for _, id := range live {
		isLive[id] = true
	}
	var strays []string
	for _, id := range docIDs {
		if !isLive[id] {
			strays = append(strays, id)
		}
	}
	if len(strays) == 0 {
		return 0, nil
	}
	if err := r.ix.DeleteEpisodes(ctx, strays); err != nil {
		return 0, err
	}
	return len(strays), nil
}

// orphanChunk is how many podcast IDs one Postgres lookup carries.
const orphanChunk = 1000

// removeOrphans deletes the documents of podcasts that Postgres no longer has, which a walk of
// Postgres cannot meet. It compares totals first: only when the index holds more documents than
// the walk found for the podcasts it saw does it list every podcast ID of the index (podcasts
// created during the walk raise the totals too; they are in Postgres and left alone). The index is
// read before Postgres, as in deleteStrays, so a podcast created meanwhile is never taken for
// an orphan.
func (r *reconciler) removeOrphans(ctx context.Context, seen search.Totals) (int, error) {
	total, err := r.ix.Totals(ctx)
	if err != nil {
		return 0, err
	}
	if total.Episodes <= seen.Episodes && total.Podcasts <= seen.Podcasts {
		return 0, nil
	}
	ids, err := r.ix.PodcastIDs(ctx)
	if err != nil {
		return 0, err
	}
	removed := 0
	for start := 0; start < len(ids); start += orphanChunk {
		missing, err := r.store.MissingPodcastIDs(ctx, ids[start:min(start+orphanChunk, len(ids))])
		if err != nil {
			return removed, err
		}
		for _, id := range missing {
			if !hark.ValidID(id) {
				r.logger.WarnContext(ctx, "Search document with a foreign podcast ID left alone", slog.String("podcast_id", id))
				continue
			}
			if err := r.ix.DeletePodcast(ctx, id); err != nil {
				return removed, err
			}
			r.logger.DebugContext(ctx, "Search index drifted", slog.String("podcast_id", id), slog.String("reason", "podcast not in Postgres"))
			r.metrics.indexRepairs.Inc()
			removed++
		}
	}
	return removed, nil
}

// reconcilePeriodicJob runs reconcile_index every cfg.ReconcileInterval. It does not run on
// start: a full pass reads the whole index, and a restart should not cost one.
func reconcilePeriodicJob(cfg Config) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(cmp.Or(cfg.ReconcileInterval, ReconcileIntervalDefault)),
		func() (river.JobArgs, *river.InsertOpts) { return ReconcileIndexArgs{}, nil },
		&river.PeriodicJobOpts{ID: "reconcile_index"})
}
