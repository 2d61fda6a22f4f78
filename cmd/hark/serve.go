package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"hark/cmd/internal/app"
)

func runServe(ctx context.Context, cfg app.Config, logger *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", cfg.HTTPAddr, "address to listen on (overrides HTTP_ADDR)")
	web := fs.Bool("web", true, "serve the site, the API and the operator views")
	workers := fs.Bool("workers", true, "run the crawl and index workers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*web && !*workers {
		return fmt.Errorf("serve: -web=false and -workers=false leave nothing to run")
	}
	cfg.HTTPAddr = *addr
	logger.InfoContext(ctx, "Starting Hark", append(cfg.LogAttrs(), "web", *web, "workers", *workers, "version", version)...)
	a, err := app.New(ctx, cfg, logger, app.Opts{Work: *workers, Migrated: true})
	if err != nil {
		return err
	}
	defer a.Close()
	return a.Serve(ctx, *web, *workers, nil)
}
