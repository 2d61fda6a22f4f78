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

// CrawlFeedArgs asks for one podcast's feed to be fetched, parsed and stored.
type CrawlFeedArgs struct {
	PodcastID string `json:"podcast_id"`
}

// Kind is stored in river_job rows: never rename it.
func (CrawlFeedArgs) Kind() string { return "crawl_feed" }

// InsertOpts makes crawls unique per podcast while one is pending or running.
func (CrawlFeedArgs) InsertOpts() river.InsertOpts {
	return uniquePerPodcast(QueueCrawl, 3)
}

// CrawlFeedWorker works CrawlFeedArgs.
type CrawlFeedWorker struct {
	river.WorkerDefaults[CrawlFeedArgs]
	crawler
}

// crawlFeedTimeout leaves room for the fetch's own timeout and the database writes.
const crawlFeedTimeout = 2 * time.Minute

// Timeout is crawlFeedTimeout.
func (w *CrawlFeedWorker) Timeout(*river.Job[CrawlFeedArgs]) time.Duration { return crawlFeedTimeout }

// Work crawls the podcast. A crawl that stored content completed the job in its transaction;
// otherwise the state is saved here, and a Retry-After answer snoozes the job until the host
// allows another try.
func (w *CrawlFeedWorker) Work(ctx context.Context, job *river.Job[CrawlFeedArgs]) error {
	p, err := w.cfg.Store.FindPodcastByID(ctx, job.Args.PodcastID)
	if errors.Is(err, hark.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	out, err := w.crawl(ctx, p, func(ctx context.Context, tx pgx.Tx) error { return completeTx(ctx, tx, job) })
	if err != nil || out.state == nil {
		return err
	}
	if err := w.cfg.Store.SaveCrawlState(ctx, p.ID, *out.state); err != nil {
		return err
	}
	if out.retryAfter > 0 && job.Attempt < 3 {
		return river.JobSnooze(out.retryAfter)
	}
	if out.state.ConsecutiveFailures != 1 || !p.Crawl.LastCrawledAt.IsZero() {
		return nil
	}
	// A submitted feed whose first crawl failed is rejected.
	return w.cfg.Store.InTx(ctx, func(tx pgx.Tx, st *db.Store) error {
		return notifySubmitter(ctx, tx, st, w.cfg, p.ID, false)
	})
}

// crawler fetches, parses and stores one podcast's feed, for crawl_feed and crawl_feeds jobs.
type crawler struct {
	cfg     Config
	slots   chan struct{} // shared by the process's crawls: at most CrawlWorkers run at once
	metrics *metrics
}

// crawlOutcome is what a crawl leaves to its caller. A crawl that stored feed content saved its
// state in the same transaction and state is nil; an unchanged or failed feed's state is for the
// caller to save, alone or with others.
type crawlOutcome struct {
	state      *hark.CrawlState
	retryAfter time.Duration // the host asked for no request before then
}

// crawl fetches the feed with the stored validators and works out what happened. Fetch and parse
// failures are outcomes, not errors: they are recorded with a readable reason and the next crawl
// is scheduled with backoff, so a bad feed never erases stored episodes. complete, when not nil,
// runs in the transaction that stores content (to complete the job with it). Each crawl is
// counted by result in hark_crawls_total, which the crawl-success alert reads.
func (w *crawler) crawl(ctx context.Context, p hark.Podcast, complete func(context.Context, pgx.Tx) error) (crawlOutcome, error) {
	out, err := w.fetchAndStore(ctx, p, complete)
	result := "ok"
	switch {
	case err != nil:
		result = "error"
	case out.state != nil && out.state.ConsecutiveFailures > 0:
		result = "failed"
	}
	w.metrics.crawls.WithLabelValues(result).Inc()
	return out, err
}

func (w *crawler) fetchAndStore(ctx context.Context, p hark.Podcast, complete func(context.Context, pgx.Tx) error) (crawlOutcome, error) {
	select {
	case w.slots <- struct{}{}:
		defer func() { <-w.slots }()
	case <-ctx.Done():
		return crawlOutcome{}, ctx.Err()
	}
	now := time.Now()
	res, err := w.cfg.Fetcher.Fetch(ctx, feed.FetchRequest{URL: p.FeedURL, ETag: p.Crawl.ETag, LastModified: p.Crawl.LastModified})
	if err != nil {
		var fe *feed.FetchError
		if !errors.As(err, &fe) {
			return crawlOutcome{}, err
		}
		return w.failed(ctx, p, fe, now), nil
	}
	defer res.Release() // nothing below keeps the body: parsed text is copied out of it
	state := p.Crawl
	state.LastCrawledAt, state.LastHTTPStatus = now, res.StatusCode
	state.LastError, state.ConsecutiveFailures, state.Dead = "", 0, false
	if res.ETag != "" || res.LastModified != "" || !res.NotModified {
		state.ETag, state.LastModified = res.ETag, res.LastModified
	}
	if res.NotModified || (res.BodyHash == p.Crawl.BodyHash && p.Crawl.BodyHash != "") {
		state.NextCrawlAt = nextCrawl(p, nil, res.MaxAge, now)
		w.cfg.Tally.Add(db.MetricCrawls, "unchanged", 1)
		w.cfg.Logger.DebugContext(ctx, "Feed unchanged", slog.String("podcast_id", p.ID), slog.Int("status", res.StatusCode))
		return crawlOutcome{state: &state}, nil
	}
	state.BodyHash = res.BodyHash
	return w.store(ctx, p, res, state, now, complete)
}

// crawlBody says how a changed body was read.
type crawlBody struct {
	fingerprint db.Fingerprint // of the whole body; zero when it could not be cut into items
	partial     bool           // only the items new since the last crawl were parsed
}

// errUnparsable rolls back the transaction of a body that did not parse; parseErr says why.
var errUnparsable = errors.New("feed body does not parse")

// store parses a changed body and stores it, in one transaction that locks the podcast and reads
// the fingerprint of the body stored last in one statement. The body is parsed under that lock,
// so a feed that merely gained items is cut to them against the very fingerprint the stored
// episodes match. A body that does not parse is a failed crawl, and stores nothing.
func (w *crawler) store(ctx context.Context, p hark.Podcast, res *feed.FetchResult, state hark.CrawlState, now time.Time, complete func(context.Context, pgx.Tx) error) (crawlOutcome, error) {
	fp, cut := feed.FingerprintOf(res.Body) // zero when the body cannot be cut: that clears the stored one
	var parsed *hark.Feed
	var parseErr error
	var ch db.CrawlChanges
	err := w.cfg.Store.InTx(ctx, func(tx pgx.Tx, st *db.Store) error {
		last, err := st.LockPodcast(ctx, p.ID)
		if err != nil {
			return err
		}
		var partial bool
		if parsed, partial, parseErr = w.parseChanged(p, res.Body, fp, cut, last); parseErr != nil {
			return errUnparsable
		}
		state.NextCrawlAt = nextCrawl(p, parsed, res.MaxAge, now)
		ch, err = w.save(ctx, tx, st, p, parsed, state, res, crawlBody{fingerprint: db.Fingerprint(fp), partial: partial}, complete)
		return err
	})
	if errors.Is(err, errUnparsable) {
		return w.failed(ctx, p, &feed.FetchError{URL: p.FeedURL, StatusCode: res.StatusCode, Reason: parseErr.Error(), Err: parseErr}, now), nil
	}
	if err != nil {
		return crawlOutcome{}, err
	}
	w.cfg.Tally.Add(db.MetricCrawls, "changed", 1)
	w.cfg.Tally.Add(db.MetricEpisodesAdded, "", int64(ch.Inserted))
	w.cfg.Logger.InfoContext(ctx, "Feed crawled", slog.String("podcast_id", p.ID),
		slog.Int("episodes", len(parsed.Episodes)), slog.Int("new_episodes", ch.Inserted),
		slog.Int("updated_episodes", ch.Updated), slog.Int("gone_episodes", ch.Gone))
	return crawlOutcome{}, nil
}

// parseChanged parses only the items new since the last crawl when the feed merely gained items
// (the usual case for a show publishing an episode), else the whole body. partial says which.
func (w *crawler) parseChanged(p hark.Podcast, body []byte, fp feed.Fingerprint, cut bool, last db.Fingerprint) (f *hark.Feed, partial bool, err error) {
	if cut {
		if added, ok := fp.NewItems(feed.Fingerprint(last)); ok {
			if f, err = feed.Parse(feed.KeepItems(body, added), p.FeedURL); err == nil {
				w.metrics.parses.WithLabelValues("new_items").Inc()
				return f, true, nil
			}
			// The cut body did not parse: read the whole one, which reports the problem.
		}
	}
	if f, err = feed.Parse(body, p.FeedURL); err != nil {
		return nil, false, err
	}
	w.metrics.parses.WithLabelValues("full").Inc()
	return f, false, nil
}

// save stores a parsed feed in tx, after LockPodcast: the feed or a merge into the podcast that
// has its podcast:guid, a move, and the follow-up jobs.
func (w *crawler) save(ctx context.Context, tx pgx.Tx, st *db.Store, p hark.Podcast, f *hark.Feed, state hark.CrawlState, res *feed.FetchResult, cb crawlBody, complete func(context.Context, pgx.Tx) error) (db.CrawlChanges, error) {
	var ch db.CrawlChanges
	if merged, err := mergeDuplicate(ctx, tx, st, p, f); err != nil || merged {
		if err != nil {
			return ch, err
		}
		return ch, completeIn(ctx, tx, complete)
	}
	var err error
	if cb.partial {
		ch, err = st.SaveNewEpisodes(ctx, p.ID, f, state, cb.fingerprint)
	} else {
		ch, err = st.SaveCrawl(ctx, p.ID, f, state, cb.fingerprint)
	}
	if err != nil {
		return ch, err
	}
	if err := movePodcast(ctx, st, p, f, res); err != nil {
		return ch, err
	}
	if p.Crawl.LastCrawledAt.IsZero() { // a submitted feed is accepted by its first crawl
		if err := notifySubmitter(ctx, tx, st, w.cfg, p.ID, true); err != nil {
			return ch, err
		}
	}
	if ch.Any() {
		if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertTx(ctx, tx, IndexPodcastArgs{PodcastID: p.ID}, nil); err != nil {
			return ch, fmt.Errorf("enqueue index job: %w", err)
		}
	}
	if err := enqueueWebSubSubscribe(ctx, tx, st, w.cfg, p, f); err != nil {
		return ch, err
	}
	if err := enqueueFetchTranscripts(ctx, tx, st, w.cfg, p.ID); err != nil {
		return ch, err
	}
	if err := enqueueFetchChapters(ctx, tx, st, w.cfg, p.ID); err != nil {
		return ch, err
	}
	if err := enqueueFetchArtwork(ctx, tx, p, f, ch); err != nil {
		return ch, err
	}
	return ch, completeIn(ctx, tx, complete)
}

// completeIn runs complete, if any, in tx.
func completeIn(ctx context.Context, tx pgx.Tx, complete func(context.Context, pgx.Tx) error) error {
	if complete == nil {
		return nil
	}
	return complete(ctx, tx)
}

// failed works out the state after a failed fetch or parse: one more consecutive failure, the
// reason in words, and a next crawl that backs off and honours Retry-After.
func (w *crawler) failed(ctx context.Context, p hark.Podcast, fe *feed.FetchError, now time.Time) crawlOutcome {
	state := p.Crawl
	state.LastCrawledAt, state.LastHTTPStatus, state.LastError = now, fe.StatusCode, fe.Reason
	state.ConsecutiveFailures++
	state.NextCrawlAt, state.Dead = failureSchedule(fe, state.ConsecutiveFailures, now)
	w.cfg.Tally.Add(db.MetricCrawls, "failed", 1)
	w.cfg.Logger.WarnContext(ctx, "Feed crawl failed", slog.String("podcast_id", p.ID),
		slog.String("feed_url", p.FeedURL), slog.String("reason", fe.Reason), slog.Int("failures", state.ConsecutiveFailures))
	return crawlOutcome{state: &state, retryAfter: fe.RetryAfter}
}

// movePodcast follows a permanent redirect or itunes:new-feed-url: the podcast takes the new URL
// and keeps the old one as an alias. A move onto a URL another podcast already has is skipped.
func movePodcast(ctx context.Context, st *db.Store, p hark.Podcast, f *hark.Feed, res *feed.FetchResult) error {
	target := res.PermanentURL
	if f.NewFeedURL != "" {
		target = f.NewFeedURL
	}
	if target == "" {
		return nil
	}
	norm, err := feed.NormalizeURL(target)
	if err != nil || norm == p.FeedURL {
		return nil //nolint:nilerr // an unusable new URL leaves the podcast where it is
	}
	key, err := feed.IdentityKey(norm)
	if err != nil {
		return nil //nolint:nilerr
	}
	oldKey, _ := feed.IdentityKey(p.FeedURL)
	return st.MovePodcast(ctx, p.ID, norm, key, p.FeedURL, oldKey)
}

// mergeDuplicate folds p into the podcast that already has the podcast:guid the feed declares:
// the same show reached by another URL (a mirror, a new host) is one podcast. The older podcast
// is kept; p's URL becomes its alias and p leaves the index. A guid Hark computed from the URL
// (the feed declared none) never merges anything.
func mergeDuplicate(ctx context.Context, tx pgx.Tx, st *db.Store, p hark.Podcast, f *hark.Feed) (bool, error) {
	guid := f.Podcast.PodcastGUID
	if guid == "" || guid == feed.PodcastGUID(p.FeedURL) {
		return false, nil
	}
	other, err := st.FindPodcastByGUID(ctx, guid, p.ID)
	if errors.Is(err, hark.ErrNotFound) || (err == nil && other.CreatedAt.After(p.CreatedAt)) {
		return false, nil // p is the first (or older) podcast with this guid
	}
	if err != nil {
		return false, err
	}
	key, err := feed.IdentityKey(p.FeedURL)
	if err != nil {
		return false, err
	}
	if err := st.MergePodcast(ctx, p.ID, other.ID, p.FeedURL, key); err != nil {
		return false, err
	}
	// The index job finds p gone and removes its documents.
	if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertTx(ctx, tx, IndexPodcastArgs{PodcastID: p.ID}, nil); err != nil {
		return false, fmt.Errorf("enqueue index job: %w", err)
	}
	return true, nil
}
