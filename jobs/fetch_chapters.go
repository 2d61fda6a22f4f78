package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"hark"
	"hark/db"
	"hark/feed"
)

// Chapters fetching limits.
const (
	// chaptersBatch is how many episodes' chapters are looked up at once.
	chaptersBatch = 20
	// chaptersBudget is how long one job fetches before it snoozes and lets other jobs run.
	chaptersBudget = time.Minute
)

// FetchChaptersArgs asks for a podcast's episode chapters files (podcast:chapters) that are not
// fetched yet, or whose URL changed, to be fetched and stored for the episode pages.
type FetchChaptersArgs struct {
	PodcastID string `json:"podcast_id"`
}

// Kind is stored in river_job rows: never rename it.
func (FetchChaptersArgs) Kind() string { return "fetch_chapters" }

// InsertOpts makes the job unique per podcast while one is pending or running (a running job
// fetches until nothing is due) and lets crawls and transcripts in the same queue go first.
func (FetchChaptersArgs) InsertOpts() river.InsertOpts {
	opts := uniquePerPodcast(QueueCrawl, 5)
	opts.Priority = 3
	return opts
}

// FetchChaptersWorker works FetchChaptersArgs.
type FetchChaptersWorker struct {
	river.WorkerDefaults[FetchChaptersArgs]
	cfg Config
}

// Timeout leaves room after the fetch budget for the last fetch to finish.
func (w *FetchChaptersWorker) Timeout(*river.Job[FetchChaptersArgs]) time.Duration {
	return chaptersBudget + 2*time.Minute
}

// Work fetches due chapters files one by one through the crawler's fetcher (its SSRF guard,
// per-host limits and timeouts), capped at feed.ChaptersMaxBytes. A file that cannot be fetched
// or read is stored as no chapters with the reason, so it is not fetched again until its URL
// changes, and never fails the job.
func (w *FetchChaptersWorker) Work(ctx context.Context, job *river.Job[FetchChaptersArgs]) error {
	fetcher := w.cfg.Fetcher.WithMaxBodyBytes(feed.ChaptersMaxBytes)
	deadline := time.Now().Add(chaptersBudget)
	for {
		due, err := w.cfg.Store.FindChaptersDue(ctx, job.Args.PodcastID, chaptersBatch)
		if err != nil || len(due) == 0 {
			return err
		}
		for _, d := range due {
			chapters, failure, err := w.fetch(ctx, fetcher, d)
			if err != nil {
				return err
			}
			if failure != "" {
				w.cfg.Logger.WarnContext(ctx, "Chapters not read", slog.String("podcast_id", job.Args.PodcastID),
					slog.String("episode_id", d.EpisodeID), slog.String("chapters_url", d.URL), slog.String("reason", failure))
			}
			if err := w.cfg.Store.SaveChapters(ctx, d.EpisodeID, d.URL, chapters, failure); err != nil {
				return err
			}
		}
		if len(due) < chaptersBatch {
			return nil
		}
		if time.Now().After(deadline) {
			return river.JobSnooze(time.Second)
		}
	}
}

// fetch fetches and parses one chapters file. Only the job's own cancellation is an error;
// failures of the host or the file give the reason.
func (w *FetchChaptersWorker) fetch(ctx context.Context, fetcher *feed.Fetcher, d db.ChaptersDue) ([]hark.Chapter, string, error) {
	if d.URL == "" {
		return nil, "", nil // the feed dropped the chapters: clear them
	}
	res, failure, err := fetchLinked(ctx, fetcher, d.URL, "chapters")
	if err != nil || failure != "" {
		return nil, failure, err
	}
	chapters, err := feed.ParseChapters(res.Body, res.FinalURL)
	if err != nil {
		return nil, err.Error(), nil
	}
	return chapters, "", nil
}

// fetchLinked fetches a file an episode links (a transcript, chapters). A failure of the host
// or of the fetch gives its reason, with no error: the job goes on with the next file. Only
// the job's own cancellation, or an error that is no fetch's, is an error.
func fetchLinked(ctx context.Context, fetcher *feed.Fetcher, url, what string) (*feed.FetchResult, string, error) {
	res, err := fetcher.Fetch(ctx, feed.FetchRequest{URL: url})
	var fe *feed.FetchError
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, "", fmt.Errorf("fetch %s: %w", what, ctx.Err())
	case errors.As(err, &fe):
		return nil, fe.Reason, nil
	case err != nil:
		return nil, "", err
	}
	return res, "", nil
}

// enqueueFetchChapters runs in a crawl's transaction, after the episodes are saved: it enqueues
// the chapters job when chapters are on and an episode has a chapters file to fetch.
func enqueueFetchChapters(ctx context.Context, tx pgx.Tx, st *db.Store, cfg Config, podcastID string) error {
	if !cfg.Chapters {
		return nil
	}
	due, err := st.HasChaptersDue(ctx, podcastID)
	if err != nil || !due {
		return err
	}
	if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertTx(ctx, tx, FetchChaptersArgs{PodcastID: podcastID}, nil); err != nil {
		return fmt.Errorf("enqueue chapters fetch: %w", err)
	}
	return nil
}
