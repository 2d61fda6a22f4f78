package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/schollz/progressbar/v3"

	"hark/jobs"
)

func runSearch(ctx context.Context, cfg Config, logger *slog.Logger, args []string, stderr io.Writer) error {
	if len(args) != 1 || args[0] != "reindex" {
		return fmt.Errorf("%w: hark search reindex", errUsage)
	}
	a, err := openApp(ctx, cfg, logger, appOpts{migrated: true})
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.ensureIndex(ctx, false); err != nil { // it rebuilds the index itself
		return err
	}
	var bar *progressbar.ProgressBar
	_, err = jobs.Reindex(ctx, a.store, a.index, a.client, logger, jobs.ReindexOpts{
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
