package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/schollz/progressbar/v3"

	"hark/cmd/internal/app"
	"hark/jobs"
)

func runSearch(ctx context.Context, cfg app.Config, logger *slog.Logger, args []string, stderr io.Writer) error {
	if len(args) != 1 || args[0] != "reindex" {
		return fmt.Errorf("%w: hark search reindex", errUsage)
	}
	a, err := app.New(ctx, cfg, logger, app.Opts{Migrated: true})
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.EnsureIndex(ctx, false); err != nil { // it rebuilds the index itself
		return err
	}
	var bar *progressbar.ProgressBar
	_, err = jobs.Reindex(ctx, a.Store, a.Index, a.Client, logger, jobs.ReindexOpts{
		Progress: func(done, total int) {
			if bar == nil {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(stderr),
					progressbar.OptionSetDescription("reindexing episodes"), progressbar.OptionShowCount(),
					progressbar.OptionShowIts(), progressbar.OptionSetItsString("docs"),
					progressbar.OptionThrottle(200e6), progressbar.OptionOnCompletion(func() { fmt.Fprintln(stderr) }))
			}
			_ = bar.Set(done)
		},
	})
	if bar != nil {
		_ = bar.Finish()
	}
	return err
}
