package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"hark/sitemap"
)

// SitemapsInterval is how often build_sitemaps writes the sitemap files ahead. A web process
// writes a file itself when the stored one is older than twice this (see http/sitemap.go).
const SitemapsInterval = time.Hour

// BuildSitemapsArgs asks for every sitemap file to be written into Postgres, so that a
// crawler's fetch of one reads a stored row.
type BuildSitemapsArgs struct{}

// Kind is stored in river_job rows: never rename it.
func (BuildSitemapsArgs) Kind() string { return "build_sitemaps" }

// InsertOpts keeps one build at a time; the next hour's run does what a failed one left.
func (BuildSitemapsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByState: pendingStates}}
}

// BuildSitemapsWorker works BuildSitemapsArgs.
type BuildSitemapsWorker struct {
	river.WorkerDefaults[BuildSitemapsArgs]
	cfg Config
}

// Timeout leaves a large catalogue (a file a 25,000 rows) room to be written file by file.
func (w *BuildSitemapsWorker) Timeout(*river.Job[BuildSitemapsArgs]) time.Duration {
	return 30 * time.Minute
}

// Work writes each file of each kind under cfg.BaseURL, stores those whose body changed and
// deletes the files of an old count, logging the counts.
func (w *BuildSitemapsWorker) Work(ctx context.Context, _ *river.Job[BuildSitemapsArgs]) error {
	start := time.Now()
	var written, changed, urls int
	var deleted int64
	for _, k := range sitemap.Kinds {
		rows, err := w.cfg.Store.EstimateRows(ctx, k.Name)
		if err != nil {
			return err
		}
		files := sitemap.Files(rows)
		for n := 1; n <= files; n++ {
			f, err := sitemap.Build(ctx, w.cfg.Store, w.cfg.BaseURL, k.Name, n, files)
			if err != nil {
				return err
			}
			ok, err := w.cfg.Store.SaveSitemapFile(ctx, &f)
			if err != nil {
				return err
			}
			written++
			urls += f.URLs
			if ok {
				changed++
			}
		}
		d, err := w.cfg.Store.DeleteSitemapFilesExcept(ctx, k.Name, files)
		if err != nil {
			return err
		}
		deleted += d
	}
	w.cfg.Logger.InfoContext(ctx, "Sitemaps written", slog.Int("files", written), slog.Int("changed", changed),
		slog.Int("urls", urls), slog.Int64("old_files_deleted", deleted), slog.Duration("took", time.Since(start)))
	return nil
}

// sitemapsPeriodicJob writes the sitemaps on start and every SitemapsInterval, where Hark
// knows its public URL (the files' links are absolute).
func sitemapsPeriodicJob(cfg Config) []*river.PeriodicJob {
	if cfg.BaseURL == "" {
		return nil
	}
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(SitemapsInterval),
		func() (river.JobArgs, *river.InsertOpts) { return BuildSitemapsArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true, ID: "build_sitemaps"})}
}
