package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"hark/cmd/internal/app"
	"hark/jobs"
)

// runArtwork handles "hark artwork backfill [-retry-failed]".
func runArtwork(ctx context.Context, cfg app.Config, logger *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "backfill" {
		return fmt.Errorf("%w: hark artwork backfill [-retry-failed]", errUsage)
	}
	fs := flag.NewFlagSet("artwork backfill", flag.ContinueOnError)
	retry := fs.Bool("retry-failed", false, "fetch again the images whose fetch failed")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	a, err := app.New(ctx, cfg, logger, app.Opts{Migrated: true})
	if err != nil {
		return err
	}
	defer a.Close()
	n, err := jobs.BackfillArtwork(ctx, a.Store, a.Client, jobs.BackfillArtworkOpts{
		RetryFailed: *retry,
		Progress: func(done, total int) {
			fmt.Fprintf(stdout, "\renqueued artwork jobs for %d of %d podcasts", done, total)
		},
	})
	fmt.Fprintln(stdout)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d artwork jobs enqueued; the workers (hark serve) fetch the images\n", n)
	return nil
}
