package jobs

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"hark/db"
)

// BackfillArtworkOpts tunes BackfillArtwork.
type BackfillArtworkOpts struct {
	// RetryFailed forgets failed fetches first, so their URLs are tried again.
	RetryFailed bool
	// Progress, when set, is called after each batch with the podcasts enqueued so far and the
	// total.
	Progress func(done, total int)
}

// backfillBatch is how many artwork jobs one insert carries.
const backfillBatch = 1000

// BackfillArtwork enqueues an artwork job for every podcast, for catalogues crawled before Hark
// kept artwork: each job fetches only the images without a row, so running it twice costs
// reads. The workers do the fetching; it returns the number of podcasts enqueued.
func BackfillArtwork(ctx context.Context, store *db.Store, client *river.Client[pgx.Tx], opts BackfillArtworkOpts) (int, error) {
	if opts.RetryFailed {
		if _, err := store.DeleteFailedArtwork(ctx); err != nil {
			return 0, err
		}
	}
	total, err := store.CountPodcasts(ctx)
	if err != nil {
		return 0, err
	}
	done, after := 0, ""
	for {
		stamps, err := store.FindPodcastStamps(ctx, after, backfillBatch)
		if err != nil || len(stamps) == 0 {
			return done, err
		}
		params := make([]river.InsertManyParams, len(stamps))
		for i, st := range stamps {
			params[i] = river.InsertManyParams{Args: FetchArtworkArgs{PodcastID: st.ID}}
		}
		if _, err := client.InsertMany(ctx, params); err != nil {
			return done, fmt.Errorf("enqueue artwork jobs: %w", err)
		}
		done += len(stamps)
		after = stamps[len(stamps)-1].ID
		if opts.Progress != nil {
			opts.Progress(done, max(total, done))
		}
	}
}
