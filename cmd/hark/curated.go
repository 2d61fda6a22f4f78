package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"hark"
	"hark/cmd/internal/app"
)

const curatedUsage = "hark curated create [-description TEXT] TITLE PODCAST_ID... | hark curated list | hark curated delete ID"

// runCurated makes, lists and deletes the curated lists operators make; GET
// /api/v2/curated_podcasts shows them before the generated ones.
func runCurated(ctx context.Context, cfg app.Config, logger *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, curatedUsage)
	}
	fs := flag.NewFlagSet("curated "+args[0], flag.ContinueOnError)
	description := fs.String("description", "", "what the list is about")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	rest := fs.Args()
	switch {
	case args[0] == "create" && len(rest) >= 2:
	case args[0] == "list" && len(rest) == 0:
	case args[0] == "delete" && len(rest) == 1:
	default:
		return fmt.Errorf("%w: %s", errUsage, curatedUsage)
	}
	a, err := app.New(ctx, cfg, logger, app.Opts{Migrated: true})
	if err != nil {
		return err
	}
	defer a.Close()
	switch args[0] {
	case "create":
		for _, id := range rest[1:] {
			if !hark.ValidID(id) {
				return hark.Errorf(hark.ErrInvalid, "%q is not a podcast id (32 hexadecimal characters)", id)
			}
		}
		l, err := a.Store.CreateCuratedList(ctx, rest[0], *description, rest[1:])
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "curated list %s created with %d podcasts\n", l.ID, len(l.PodcastIDs))
	case "list":
		lists, err := a.Store.FindCuratedLists(ctx)
		if err != nil {
			return err
		}
		for _, l := range lists {
			fmt.Fprintf(stdout, "%s  %s  %d podcasts  %s\n", l.ID, l.CreatedAt.Format("2006-01-02"), len(l.PodcastIDs), l.Title)
		}
	case "delete":
		if err := a.Store.DeleteCuratedList(ctx, rest[0]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "curated list %s deleted\n", rest[0])
	}
	return nil
}
