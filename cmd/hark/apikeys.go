package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"text/tabwriter"

	"hark"
	"hark/cmd/internal/app"
	"hark/db"
)

const apikeysUsage = "hark apikeys create [-plan P] [-quota N] [-rate N] NAME | list | revoke ID | plan ID PLAN"

func runAPIKeys(ctx context.Context, cfg app.Config, logger *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) < 1 {
		return fmt.Errorf("%w: %s", errUsage, apikeysUsage)
	}
	var do func(*app.App) error
	switch {
	case args[0] == "create":
		nk, err := parseCreateKey(cfg, args[1:])
		if err != nil {
			return err
		}
		do = func(a *app.App) error { return createKey(ctx, a.Store, nk, stdout) }
	case args[0] == "list" && len(args) == 1:
		do = func(a *app.App) error { return listKeys(ctx, a.Store, stdout) }
	case args[0] == "revoke" && len(args) == 2:
		id, err := keyID(args[1])
		if err != nil {
			return err
		}
		do = func(a *app.App) error { return a.Store.RevokeAPIKey(ctx, id) }
	case args[0] == "plan" && len(args) == 3:
		id, err := keyID(args[1])
		if err != nil {
			return err
		}
		if err := knownPlan(cfg, args[2]); err != nil {
			return err
		}
		do = func(a *app.App) error { return a.Store.SetAPIKeyPlan(ctx, id, args[2]) }
	default:
		return fmt.Errorf("%w: %s", errUsage, apikeysUsage)
	}
	a, err := app.New(ctx, cfg, logger, app.Opts{Migrated: true})
	if err != nil {
		return err
	}
	defer a.Close()
	return do(a)
}

func parseCreateKey(cfg app.Config, args []string) (db.NewAPIKey, error) {
	fs := flag.NewFlagSet("apikeys create", flag.ContinueOnError)
	plan := fs.String("plan", hark.PlanFree, "the key's plan, one of PLANS")
	quota := fs.Int("quota", 0, "requests allowed per calendar month; 0 takes the plan's")
	rate := fs.Int("rate", 0, "requests allowed per second; 0 takes the plan's, else RATE_KEY_PER_SECOND")
	if err := fs.Parse(args); err != nil {
		return db.NewAPIKey{}, err
	}
	if *quota < 0 || *rate < 0 {
		return db.NewAPIKey{}, fmt.Errorf("-quota and -rate must be 0 or more, not %d and %d", *quota, *rate)
	}
	if fs.Arg(0) == "" || fs.NArg() > 1 {
		return db.NewAPIKey{}, fmt.Errorf("%w: %s", errUsage, apikeysUsage)
	}
	if err := knownPlan(cfg, *plan); err != nil {
		return db.NewAPIKey{}, err
	}
	return db.NewAPIKey{Name: fs.Arg(0), Plan: *plan, MonthlyQuota: *quota, RateLimit: *rate}, nil
}

func createKey(ctx context.Context, store *db.Store, nk db.NewAPIKey, stdout io.Writer) error {
	key, k, err := store.CreatePlanKey(ctx, nk)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "API key %d (%s, %s plan) created. It is shown only now; Hark keeps only its hash:\n%s\n",
		k.ID, k.Name, k.Plan, key)
	return nil
}

func listKeys(ctx context.Context, store *db.Store, stdout io.Writer) error {
	keys, err := store.ListAPIKeys(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPREFIX\tNAME\tEMAIL\tPLAN\tQUOTA\tRATE\tTHIS MONTH\tCREATED\tREVOKED")
	for _, k := range keys {
		revoked := "-"
		if !k.RevokedAt.IsZero() {
			revoked = k.RevokedAt.UTC().Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", k.ID, k.Prefix, k.Name, k.Email, k.Plan,
			k.MonthlyQuota, k.RateLimit, k.Requests, k.CreatedAt.UTC().Format("2006-01-02"), revoked)
	}
	return tw.Flush()
}

func keyID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%w: %q is not a key ID (hark apikeys list shows them)", errUsage, s)
	}
	return id, nil
}

func knownPlan(cfg app.Config, name string) error {
	if _, ok := cfg.Plans[name]; !ok {
		return fmt.Errorf("no plan %q in PLANS (%s)", name, cfg.Plans)
	}
	return nil
}
