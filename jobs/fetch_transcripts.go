package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"golang.org/x/sync/errgroup"

	"hark"
	"hark/db"
	"hark/feed"
)

// Transcript fetching limits.
const (
	// TranscriptMaxBytes is the largest transcript body fetched, after decompression.
	TranscriptMaxBytes = 5 << 20
	// transcriptBatch is how many transcripts are fetched before their texts are saved.
	transcriptBatch = 20
	// transcriptConcurrency is how many transcripts of one podcast are fetched at once; the
	// Fetcher's per-host limit applies as well.
	transcriptConcurrency = 2
	// transcriptBudget is how long one job fetches before it snoozes and lets other jobs run.
	transcriptBudget = 2 * time.Minute
	// indexRaceWait is how long the job waits for a running index job to end before it checks
	// again that its texts reached the index; see ensureIndexJob.
	indexRaceWait = time.Second
)

// FetchTranscriptsArgs asks for a podcast's episode transcripts that are not fetched yet (or whose
// URL changed) to be fetched, turned into text and indexed.
type FetchTranscriptsArgs struct {
	PodcastID string `json:"podcast_id"`
}

// Kind is stored in river_job rows: never rename it.
func (FetchTranscriptsArgs) Kind() string { return "fetch_transcripts" }

// InsertOpts makes the job unique per podcast while one is pending or running (a running job
// fetches until nothing is due) and lets crawls in the same queue go first.
func (FetchTranscriptsArgs) InsertOpts() river.InsertOpts {
	opts := uniquePerPodcast(QueueCrawl, 5)
	opts.Priority = 2
	return opts
}

// FetchTranscriptsWorker works FetchTranscriptsArgs.
type FetchTranscriptsWorker struct {
	river.WorkerDefaults[FetchTranscriptsArgs]
	cfg Config
}

// Timeout leaves room after the fetch budget for the last batch to finish.
func (w *FetchTranscriptsWorker) Timeout(*river.Job[FetchTranscriptsArgs]) time.Duration {
	return transcriptBudget + 2*time.Minute
}

// Work fetches due transcripts in batches and saves each batch's texts with an index job in one
// transaction. A transcript that cannot be fetched or read is saved as empty text, so it is not
// fetched again until its URL changes, and never fails the job. A podcast with more transcripts
// than one budget allows snoozes the job and goes on after other jobs had their turn.
func (w *FetchTranscriptsWorker) Work(ctx context.Context, job *river.Job[FetchTranscriptsArgs]) error {
	fetcher := w.cfg.Fetcher.WithMaxBodyBytes(TranscriptMaxBytes)
	deadline := time.Now().Add(transcriptBudget)
	for {
		due, err := w.cfg.Store.FindTranscriptsDue(ctx, job.Args.PodcastID, transcriptBatch)
		if err != nil {
			return err
		}
		if len(due) == 0 {
			return w.ensureIndexJob(ctx, job.Args.PodcastID)
		}
		got, err := w.fetchAll(ctx, fetcher, job.Args.PodcastID, due)
		if err != nil {
			return err
		}
		if err := w.save(ctx, job.Args.PodcastID, due, got); err != nil {
			return err
		}
		if len(due) < transcriptBatch {
			return w.ensureIndexJob(ctx, job.Args.PodcastID)
		}
		if time.Now().After(deadline) {
			return river.JobSnooze(time.Second)
		}
	}
}

// fetchedTranscript is a transcript's text and, when its format has times, its cues.
type fetchedTranscript struct {
	text string
	cues []hark.Cue
}

// fetchAll returns each due transcript, empty for those that failed.
func (w *FetchTranscriptsWorker) fetchAll(ctx context.Context, fetcher *feed.Fetcher, podcastID string, due []db.TranscriptDue) ([]fetchedTranscript, error) {
	texts := make([]fetchedTranscript, len(due))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(transcriptConcurrency)
	for i, d := range due {
		g.Go(func() error {
			var err error
			texts[i], err = w.fetchText(gctx, fetcher, podcastID, d)
			return err
		})
	}
	return texts, g.Wait()
}

// fetchText fetches and converts one transcript. Only the job's own cancellation is an error;
// failures of the host or the file are logged and give an empty transcript.
func (w *FetchTranscriptsWorker) fetchText(ctx context.Context, fetcher *feed.Fetcher, podcastID string, d db.TranscriptDue) (fetchedTranscript, error) {
	if d.URL == "" {
		return fetchedTranscript{}, nil // the feed dropped the transcript: clear the stored text
	}
	res, failure, err := fetchLinked(ctx, fetcher, d.URL, "transcript")
	if err != nil {
		return fetchedTranscript{}, err
	}
	if failure != "" {
		w.logFailure(ctx, podcastID, d, failure)
		return fetchedTranscript{}, nil
	}
	text, err := feed.TranscriptText(res.Body, d.Type)
	if err != nil {
		w.logFailure(ctx, podcastID, d, err.Error())
		return fetchedTranscript{}, nil
	}
	return fetchedTranscript{text: text, cues: feed.TranscriptCues(res.Body, d.Type)}, nil
}

func (w *FetchTranscriptsWorker) logFailure(ctx context.Context, podcastID string, d db.TranscriptDue, reason string) {
	w.cfg.Logger.WarnContext(ctx, "Transcript not fetched", slog.String("podcast_id", podcastID),
		slog.String("episode_id", d.EpisodeID), slog.String("transcript_url", d.URL), slog.String("reason", reason))
}

// save stores a batch's texts and cues and, when any text changed, enqueues the podcast's index
// job in the same transaction.
func (w *FetchTranscriptsWorker) save(ctx context.Context, podcastID string, due []db.TranscriptDue, got []fetchedTranscript) error {
	changed := 0
	err := w.cfg.Store.InTx(ctx, func(tx pgx.Tx, st *db.Store) error {
		changed = 0
		for i, d := range due {
			c, err := st.SaveTranscript(ctx, d.EpisodeID, d.URL, got[i].text)
			if err != nil {
				return err
			}
			if err := st.SaveTranscriptCues(ctx, d.EpisodeID, d.URL, got[i].cues); err != nil {
				return err
			}
			if c {
				changed++
			}
		}
		if changed == 0 {
			return nil
		}
		if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertTx(ctx, tx, IndexPodcastArgs{PodcastID: podcastID}, nil); err != nil {
			return fmt.Errorf("enqueue index job: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.cfg.Logger.InfoContext(ctx, "Transcripts fetched", slog.String("podcast_id", podcastID),
		slog.Int("transcripts", len(due)), slog.Int("changed", changed))
	return nil
}

// ensureIndexJob makes sure that an index job will read the podcast's pending changes. The one
// save enqueued is dropped as a duplicate while another index job for the podcast is running
// (River's unique states always include "running"), and that job may have read the episodes
// before the texts changed. So while changes are pending and an index job runs, the job snoozes
// and checks again once it has ended.
func (w *FetchTranscriptsWorker) ensureIndexJob(ctx context.Context, podcastID string) error {
	pending, err := w.cfg.Store.HasIndexPending(ctx, podcastID)
	if err != nil || !pending {
		return err
	}
	res, err := river.ClientFromContext[pgx.Tx](ctx).Insert(ctx, IndexPodcastArgs{PodcastID: podcastID}, nil)
	if err != nil {
		return fmt.Errorf("enqueue index job: %w", err)
	}
	if res.UniqueSkippedAsDuplicate && res.Job.State == rivertype.JobStateRunning {
		return river.JobSnooze(indexRaceWait)
	}
	return nil
}

// enqueueFetchTranscripts runs in a crawl's transaction, after the episodes are saved: it
// enqueues the transcript job when transcripts are on and an episode has one to fetch.
func enqueueFetchTranscripts(ctx context.Context, tx pgx.Tx, st *db.Store, cfg Config, podcastID string) error {
	if !cfg.Transcripts {
		return nil
	}
	due, err := st.HasTranscriptsDue(ctx, podcastID)
	if err != nil || !due {
		return err
	}
	if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertTx(ctx, tx, FetchTranscriptsArgs{PodcastID: podcastID}, nil); err != nil {
		return fmt.Errorf("enqueue transcript fetch: %w", err)
	}
	return nil
}
