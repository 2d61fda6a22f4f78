package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"golang.org/x/sync/errgroup"

	"hark"
	"hark/artwork"
	"hark/db"
	"hark/feed"
)

// Artwork fetching limits.
const (
	// ArtworkMaxBytes is the largest image fetched: Apple's rules allow 512 KB at 3000 px,
	// and some hosts serve several MB.
	ArtworkMaxBytes = 10 << 20
	// ArtworkWorkersDefault is how many artwork jobs a process runs at once: decoding and
	// scaling is CPU work, kept from crowding out crawls and searches.
	ArtworkWorkersDefault = 2
	// artworkDueBatch is how many due images one read finds: the read hashes every image URL of
	// the show, so a show with thousands of episode images is read rarely, not once a round.
	artworkDueBatch = 500
	// artworkBatch is how many due images one round fetches before storing them together.
	artworkBatch = 16
	// artworkConcurrency is how many images of one podcast are fetched at once; the Fetcher's
	// per-host limit applies as well.
	artworkConcurrency = 2
	// artworkBudget is how long one job fetches before it snoozes and lets other jobs run.
	artworkBudget = time.Minute
)

// QueueArtwork holds artwork jobs, on workers of their own (ArtworkWorkersDefault).
const QueueArtwork = "artwork"

// FetchArtworkArgs asks for the images that a podcast and its episodes name, and that Hark has
// no copies of, to be fetched and scaled (package artwork).
type FetchArtworkArgs struct {
	PodcastID string `json:"podcast_id"`
}

// Kind is stored in river_job rows: never rename it.
func (FetchArtworkArgs) Kind() string { return "fetch_artwork" }

// InsertOpts makes the job unique per podcast while one is pending or running: a running job
// fetches until nothing is due.
func (FetchArtworkArgs) InsertOpts() river.InsertOpts { return uniquePerPodcast(QueueArtwork, 5) }

// FetchArtworkWorker works FetchArtworkArgs.
type FetchArtworkWorker struct {
	river.WorkerDefaults[FetchArtworkArgs]
	cfg Config
}

// Timeout leaves room after the budget for the last round to finish.
func (w *FetchArtworkWorker) Timeout(*river.Job[FetchArtworkArgs]) time.Duration {
	return artworkBudget + time.Minute
}

// Work fetches the due images in rounds and stores each one's copies, or why it has none: an
// image that cannot be fetched or read gets a row with its error, so it is not fetched again
// until its URL changes (or `hark artwork backfill -retry-failed`), and pages show the
// placeholder. Only the job's own cancellation and database errors fail the job.
func (w *FetchArtworkWorker) Work(ctx context.Context, job *river.Job[FetchArtworkArgs]) error {
	fetcher := w.cfg.Fetcher.WithMaxBodyBytes(ArtworkMaxBytes)
	deadline := time.Now().Add(artworkBudget)
	for {
		due, err := w.cfg.Store.FindArtworkDue(ctx, job.Args.PodcastID, artworkDueBatch)
		if err != nil || len(due) == 0 {
			return err
		}
		for start := 0; start < len(due); start += artworkBatch {
			if err := w.fetchAll(ctx, fetcher, job.Args.PodcastID, due[start:min(start+artworkBatch, len(due))]); err != nil {
				return err
			}
			if time.Now().After(deadline) {
				return river.JobSnooze(time.Second)
			}
		}
		if len(due) < artworkDueBatch {
			return nil
		}
	}
}

// fetchAll fetches and scales a round's images a few at a time, then stores them in one batch,
// from this goroutine: the store may be bound to one connection (a transaction).
func (w *FetchArtworkWorker) fetchAll(ctx context.Context, fetcher *feed.Fetcher, podcastID string, due []db.ArtworkSource) error {
	out := make([]db.Artwork, len(due))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(artworkConcurrency)
	for i, src := range due {
		g.Go(func() (err error) {
			out[i], err = fetchArtwork(gctx, fetcher, src)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, a := range out {
		if a.Error != "" {
			w.cfg.Logger.WarnContext(ctx, "Artwork not fetched", slog.String("podcast_id", podcastID),
				slog.String("image_url", a.SourceURL), slog.String("reason", a.Error))
		}
	}
	return w.cfg.Store.SaveArtworks(ctx, out)
}

// fetchArtwork fetches src and renders its copies. Failures of the host or the image are set
// in the artwork's Error; only the context's end is an error.
func fetchArtwork(ctx context.Context, fetcher *feed.Fetcher, src db.ArtworkSource) (db.Artwork, error) {
	a := db.Artwork{Key: artwork.Key(src.URL), SourceURL: src.URL, Title: src.Title}
	render := artwork.Render
	if src.Notes {
		a.Key, render = artwork.NotesKey(src.URL), artwork.RenderNotes
	}
	res, err := fetcher.Fetch(ctx, feed.FetchRequest{URL: src.URL})
	var fe *feed.FetchError
	switch {
	case err != nil && ctx.Err() != nil:
		return a, fmt.Errorf("fetch artwork: %w", ctx.Err())
	case errors.As(err, &fe):
		a.Error = fe.Reason
		return a, nil
	case err != nil:
		return a, err
	}
	defer res.Release()
	a.ETag = res.ETag
	r, err := render(res.Body)
	if err != nil {
		a.Error = err.Error()
		return a, nil
	}
	a.ContentType, a.Width, a.Height = r.ContentType(), r.Width, r.Height
	a.Small, a.Large = r.Copies[artwork.Small], r.Copies[artwork.Large]
	a.Digest = artwork.Digest(append(append([]byte{}, a.Small...), a.Large...))
	return a, nil
}

// enqueueFetchArtwork runs in a crawl's transaction, after the feed is saved: it enqueues the
// artwork job when the show's image URL changed (a first crawl included), or when episodes
// changed and some name an image of their own or have images in their notes. The job fetches only URLs without a row, so a
// needless one costs a read.
func enqueueFetchArtwork(ctx context.Context, tx pgx.Tx, p hark.Podcast, f *hark.Feed, ch db.CrawlChanges) error {
	if !artworkMayBeDue(p, f, ch) {
		return nil
	}
	if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertTx(ctx, tx, FetchArtworkArgs{PodcastID: p.ID}, nil); err != nil {
		return fmt.Errorf("enqueue artwork fetch: %w", err)
	}
	return nil
}

func artworkMayBeDue(p hark.Podcast, f *hark.Feed, ch db.CrawlChanges) bool {
	if f.Podcast.ImageURL != p.ImageURL && f.Podcast.ImageURL != "" {
		return true
	}
	if ch.Inserted+ch.Updated == 0 {
		return false
	}
	for i := range f.Episodes {
		if img := f.Episodes[i].ImageURL; img != "" && img != f.Podcast.ImageURL || len(f.Episodes[i].NotesImages) > 0 {
			return true
		}
	}
	return false
}
