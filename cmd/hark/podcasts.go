package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"

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

func runAPIKeys(ctx context.Context, cfg app.Config, logger *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) < 1 || args[0] != "create" {
		return fmt.Errorf("%w: hark apikeys create [-quota N] [-rate N] NAME", errUsage)
	}
	fs := flag.NewFlagSet("apikeys create", flag.ContinueOnError)
	quota := fs.Int("quota", 0, "requests allowed per calendar month; 0 means unlimited")
	rate := fs.Int("rate", 0, "requests allowed per second; 0 takes RATE_KEY_PER_SECOND")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *quota < 0 || *rate < 0 {
		return fmt.Errorf("-quota and -rate must be 0 or more, not %s and %s", strconv.Itoa(*quota), strconv.Itoa(*rate))
	}
	name := fs.Arg(0)
	if name == "" {
		return fmt.Errorf("%w: hark apikeys create [-quota N] [-rate N] NAME", errUsage)
	}
	a, err := app.New(ctx, cfg, logger, app.Opts{Migrated: true})
	if err != nil {
		return err
	}
	defer a.Close()
	key, k, err := a.Store.CreateAPIKey(ctx, name, *quota)
	if err != nil {
		return err
	}
	if *rate > 0 {
		if err := a.Store.SetAPIKeyRateLimit(ctx, k.ID, *rate); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "API key %d (%s) created. It is shown only now; Hark keeps only its hash:\n%s\n", k.ID, name, key)
	return nil
}
