// Command hark runs Hark: the web server and API, the crawl and index workers, migrations and
// the operator's tools. `hark help` lists the subcommands and the environment it reads.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"hark"
	"hark/cmd/internal/app"
)

const usage = `Hark: podcast search engine and podcast database.

Usage: hark <command> [flags] [args]

Commands:
  serve                 run the web server, API and workers (-web=false or -workers=false for one role)
  migrate               apply database migrations (Hark's and River's)
  demo                  serve generated demo feeds, load them and serve the site with workers
  podcasts add URL...   add feeds; each is crawled and indexed by the workers
  podcasts refresh ID   crawl a podcast now
  import opml FILE      add every feed of an OPML file
  import urls FILE      add feeds from a file with one URL a line
  apikeys create NAME   create an API key (-plan P, default free; -quota N a month and -rate N a second override the plan's)
  apikeys list          list API keys with their plans and requests this month
  apikeys revoke ID     revoke a key
  apikeys plan ID PLAN  move a key to another plan of PLANS
  operators add NAME    add an operator account for /admin (password from stdin, or asked on a terminal); also list, remove NAME
  search reindex        rebuild the search index from Postgres and swap it in
  artwork backfill      enqueue artwork fetches for every podcast (-retry-failed: failed ones too)
  curated create TITLE ID...  make a curated list of podcasts (-description TEXT); also list, delete ID
  version               print the revision this binary was built from
  help                  show this help

Environment:
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "hark:", userMessage(err))
		os.Exit(1)
	}
}

// userMessage prefers the readable message of a hark.Errorf error.
func userMessage(err error) string {
	if msg := hark.ErrorMessage(err); msg != "" && !strings.Contains(err.Error(), msg) {
		return msg
	}
	return err.Error()
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(stdout)
		return nil
	}
	if args[0] == "version" {
		fmt.Fprintln(stdout, version)
		return nil
	}
	cfg, err := app.LoadConfig(getenv)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, stderr)
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, cfg, logger, rest)
	case "migrate":
		return app.Migrate(ctx, cfg, logger)
	case "demo":
		return runDemo(ctx, cfg, logger, rest, stdout)
	case "podcasts":
		return runPodcasts(ctx, cfg, logger, rest, stdout)
	case "import":
		return runImport(ctx, cfg, logger, rest, stdout, stderr)
	case "apikeys":
		return runAPIKeys(ctx, cfg, logger, rest, stdout)
	case "operators":
		return runOperators(ctx, cfg, logger, rest, stdout)
	case "search":
		return runSearch(ctx, cfg, logger, rest, stderr)
	case "curated":
		return runCurated(ctx, cfg, logger, rest, stdout)
	case "artwork":
		return runArtwork(ctx, cfg, logger, rest, stdout)
	default:
		printUsage(stderr)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

// printUsage prints the commands and, from app.Vars, every variable with its default.
func printUsage(w io.Writer) {
	fmt.Fprint(w, usage)
	width := 0
	for _, v := range app.Vars {
		width = max(width, len(v.Name))
	}
	for _, v := range app.Vars {
		def := "unset by default"
		if v.Default != "" {
			def = "default " + v.Default
		}
		fmt.Fprintf(w, "  %-*s  %s (%s)\n", width, v.Name, v.Doc, def)
	}
}

func newLogger(cfg app.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// version is the revision the binary was built from, stamped by deploy/deploy.sh with
// -ldflags "-X main.version=…"; "dev" for a plain go build.
var version = "dev"

// errUsage marks a command line mistake.
var errUsage = errors.New("usage")
