package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"hark/cmd/internal/app"
)

func runPodcasts(ctx context.Context, cfg app.Config, logger *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) < 2 || (args[0] != "add" && args[0] != "refresh") {
		return fmt.Errorf("%w: hark podcasts add URL... | hark podcasts refresh ID", errUsage)
	}
	a, err := app.New(ctx, cfg, logger, app.Opts{Migrated: true})
	if err != nil {
		return err
	}
	defer a.Close()
	if args[0] == "refresh" {
		for _, id := range args[1:] {
			if err := a.Service.RefreshPodcast(ctx, id); err != nil {
				return fmt.Errorf("refresh %s: %w", id, err)
			}
			fmt.Fprintf(stdout, "%s: crawl enqueued\n", id)
		}
		return nil
	}
	failed := 0
	for _, u := range args[1:] {
		p, created, err := a.Service.SubmitFeed(ctx, u)
		switch {
		case err != nil:
			failed++
			fmt.Fprintf(stdout, "rejected  %s: %s\n", u, userMessage(err))
		case created:
			fmt.Fprintf(stdout, "added     %s %s (the workers crawl it now)\n", p.ID, p.FeedURL)
		default:
			fmt.Fprintf(stdout, "known     %s %s\n", p.ID, p.FeedURL)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d feeds rejected", failed, len(args)-1)
	}
	return nil
}
