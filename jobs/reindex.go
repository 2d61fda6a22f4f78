package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"golang.org/x/sync/errgroup"

	"hark"
	"hark/db"
	"hark/search"
)

// ReindexBatchDefault is how many episodes one bulk import carries during a rebuild.
const ReindexBatchDefault = 2000

// ReindexArgs is a whole rebuild of the search index as a job: `hark serve` enqueues it when it
// finds the index built by an older Hark, whose documents lack fields this one filters on (see
// search.Index.EnsureCollections). `hark search reindex` runs Reindex itself, with a progress bar.
type ReindexArgs struct{}

// Kind is stored in river_job rows: never rename it.
func (ReindexArgs) Kind() string { return "reindex" }

// InsertOpts puts the job on the index queue and keeps one at a time: web processes that start
// together after an upgrade enqueue a single rebuild.
func (ReindexArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       QueueIndex,
		MaxAttempts: 3,
		UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{
			rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateScheduled, rivertype.JobStateRetryable,
		}},
	}
}

// ReindexWorker works ReindexArgs.
type ReindexWorker struct {
	river.WorkerDefaults[ReindexArgs]
	cfg Config
}

// Timeout is far longer than River's job timeout: a rebuild imports every stored episode, about
// 5 minutes a million in `make bench`.
func (w *ReindexWorker) Timeout(*river.Job[ReindexArgs]) time.Duration { return 6 * time.Hour }

// Work runs Reindex, which logs its progress.
func (w *ReindexWorker) Work(ctx context.Context, job *river.Job[ReindexArgs]) error {
	_, err := Reindex(ctx, w.cfg.Store, w.cfg.Index, river.ClientFromContext[pgx.Tx](ctx), w.cfg.Logger, ReindexOpts{})
	return err
}

// ReindexOpts tunes Reindex.
type ReindexOpts struct {
	Batch     int                   // episodes per import; default ReindexBatchDefault
	Importers int                   // concurrent imports; default 2
	Progress  func(done, total int) // called with 0 before the first batch and after every batch, from one goroutine
}

// Reindex builds new collection versions from Postgres, swaps the aliases and drops the old
// versions; searches keep answering from the old version until the swap. Podcasts changed while
// it ran are flagged and enqueued again afterwards, so their changes reach the new version too.
// It returns how many episodes it indexed.
func Reindex(ctx context.Context, store *db.Store, ix *search.Index, client *river.Client[pgx.Tx], logger *slog.Logger, opts ReindexOpts) (int, error) {
	started := time.Now()
	total, err := store.CountLiveEpisodes(ctx)
	if err != nil {
		return 0, err
	}
	rb, err := ix.BeginRebuild(ctx)
	if err != nil {
		return 0, err
	}
	logger.InfoContext(ctx, "Reindex started", slog.Int("episodes", total))
	r := &reindexer{store: store, rb: rb, logger: logger, opts: opts, total: total}
	n, err := r.fill(ctx)
	if err != nil {
		if abortErr := rb.Abort(context.WithoutCancel(ctx)); abortErr != nil {
			logger.WarnContext(ctx, "Reindex abort left collections behind", slog.Any("error", abortErr))
		}
		return n, err
	}
	if err := rb.Commit(ctx); err != nil {
		return n, err
	}
	if err := store.BumpIndexGeneration(ctx); err != nil { // the aliases point at the new versions
		return n, err
	}
	if err := requeueChangedSince(ctx, store, client, started); err != nil {
		return n, err
	}
	took := time.Since(started)
	logger.InfoContext(ctx, "Reindex finished", slog.Int("episodes", n), slog.Duration("took", took),
		slog.Float64("docs_per_sec", float64(n)/took.Seconds()))
	return n, nil
}

type reindexer struct {
	store  *db.Store
	rb     *search.Rebuild
	logger *slog.Logger
	opts   ReindexOpts
	total  int
	done   atomic.Int64
}

// fill copies podcasts, then streams episodes: one goroutine reads Postgres while the importers
// write to Typesense, so both work at once.
func (r *reindexer) fill(ctx context.Context) (int, error) {
	if err := r.copyPodcasts(ctx); err != nil {
		return 0, err
	}
	batch := r.opts.Batch
	if batch <= 0 {
		batch = ReindexBatchDefault
	}
	importers := r.opts.Importers
	if importers <= 0 {
		importers = 2
	}
	g, gctx := errgroup.WithContext(ctx)
	batches := make(chan []hark.Episode, importers*2)
	g.Go(func() error {
		defer close(batches)
		var cur db.EpisodeCursor
		for {
			eps, err := r.store.StreamEpisodes(gctx, cur, batch)
			if err != nil || len(eps) == 0 {
				return err
			}
			last := eps[len(eps)-1]
			cur = db.EpisodeCursor{PodcastID: last.PodcastID, ID: last.ID}
			select {
			case batches <- eps:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
	})
	counts := make(chan int, importers*4)
	for range importers {
		g.Go(func() error { return r.importBatches(gctx, batches, counts) })
	}
	reported := make(chan struct{})
	go func() {
		defer close(reported)
		if r.opts.Progress != nil {
			r.opts.Progress(0, r.total) // so a progress bar starts its clock now, not a batch later
		}
		logged := time.Now()
		for c := range counts {
			done := int(r.done.Add(int64(c)))
			if r.opts.Progress != nil {
				r.opts.Progress(done, r.total)
			}
			if time.Since(logged) > 10*time.Second {
				r.logger.InfoContext(ctx, "Reindex progress", slog.Int("done", done), slog.Int("total", r.total))
				logged = time.Now()
			}
		}
	}()
	err := g.Wait()
	close(counts)
	<-reported
	return int(r.done.Load()), err
}

func (r *reindexer) importBatches(ctx context.Context, batches <-chan []hark.Episode, counts chan<- int) error {
	for eps := range batches {
		pods, err := r.podcastsOf(ctx, eps)
		if err != nil {
			return err
		}
		n, err := r.rb.UpsertEpisodes(ctx, eps, pods)
		if err != nil {
			return err
		}
		counts <- n
	}
	return nil
}

func (r *reindexer) copyPodcasts(ctx context.Context) error {
	after := ""
	for {
		pods, err := r.store.FindPodcasts(ctx, db.PodcastFilter{AfterID: after, Limit: 1000})
		if err != nil || len(pods) == 0 {
			return err
		}
		if err := r.rb.UpsertPodcasts(ctx, pods); err != nil {
			return err
		}
		after = pods[len(pods)-1].ID
	}
}

func (r *reindexer) podcastsOf(ctx context.Context, eps []hark.Episode) (map[string]*hark.Podcast, error) {
	var ids []string
	seen := map[string]bool{}
	for _, e := range eps {
		if !seen[e.PodcastID] {
			seen[e.PodcastID] = true
			ids = append(ids, e.PodcastID)
		}
	}
	pods, err := r.store.FindPodcastsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	m := make(map[string]*hark.Podcast, len(pods))
	for i := range pods {
		m[pods[i].ID] = &pods[i]
	}
	return m, nil
}

// requeueChangedSince flags the podcasts changed since t and enqueues their index jobs, so writes
// that went to the old collection during a rebuild reach the new one.
func requeueChangedSince(ctx context.Context, store *db.Store, client *river.Client[pgx.Tx], t time.Time) error {
	ids, err := store.PodcastsChangedSince(ctx, t)
	if err != nil || len(ids) == 0 {
		return err
	}
	params := make([]river.InsertManyParams, 0, len(ids))
	for _, id := range ids {
		if err := store.MarkIndexPending(ctx, id); err != nil {
			return err
		}
		params = append(params, river.InsertManyParams{Args: IndexPodcastArgs{PodcastID: id}})
	}
	if _, err := client.InsertMany(ctx, params); err != nil {
		return fmt.Errorf("enqueue index jobs after reindex: %w", err)
	}
	return nil
}
