package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hark"
	"hark/cmd/internal/app"
	"hark/db"
	"hark/demo"
	"hark/feed"
	"hark/jobs"
)

// demoKeyFile keeps the demo API key between runs of `hark demo` on this checkout. Postgres has
// only its hash, so without the file a new key would be made each run.
const demoKeyFile = ".data/demo-api-key"

func runDemo(ctx context.Context, cfg app.Config, logger *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	shows := fs.Int("shows", demoShows, "number of generated demo podcasts")
	addr := fs.String("addr", cfg.HTTPAddr, "address the site listens on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg.HTTPAddr = *addr
	cfg.CrawlAllowLoopback = true // the demo feeds are served on loopback
	cfg.RequireAPIKey = true

	if err := app.Migrate(ctx, cfg, logger); err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, logger, app.Opts{Work: true, Migrated: true})
	if err != nil {
		return err
	}
	defer a.Close()

	feedsURL, sample, err := serveDemoFeeds(ctx, cfg.DemoFeedsAddr, *shows, logger)
	if err != nil {
		return err
	}
	if err := loadDemo(ctx, a.Service, a.JobsConfig().Fetcher, feedsURL+"/opml", logger); err != nil {
		return err
	}
	// A catalogue loaded by an earlier Hark has shows whose artwork was never fetched; a show
	// whose images are stored costs its job a read.
	if _, err := jobs.BackfillArtwork(ctx, a.Store, a.Client, jobs.BackfillArtworkOpts{}); err != nil {
		return err
	}
	key, err := demoKey(ctx, a.Store)
	if err != nil {
		return err
	}
	return a.Serve(ctx, true, true, func(string) {
		fmt.Fprintf(stdout, `
Hark is running.
  Site:        %[1]s
  API docs:    %[1]s/docs/api
  Job queue:   %[1]s/riverui
  Demo feeds:  %[2]s/feeds/
  API key:     %[3]s

  curl -H 'X-ListenAPI-Key: %[3]s' '%[1]s/api/v2/search?q=%[4]s'

Press Ctrl-C to stop.
`, cfg.BaseURL, feedsURL, key, url.QueryEscape(sample))
	})
}

// serveDemoFeeds serves the generated catalogue on addr until ctx is done. It returns the base
// URL and a word from a demo show's title to search for.
func serveDemoFeeds(ctx context.Context, addr string, shows int, logger *slog.Logger) (string, string, error) {
	base := "http://" + addr
	cat := demo.New(demoConfig(shows, base))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", "", fmt.Errorf("demo feeds on %s (DEMO_FEEDS_ADDR): %w", addr, err)
	}
	sample := "podcast"
	if s := cat.Shows(); len(s) > 0 {
		words := strings.Fields(s[0].Title)
		sample = strings.Trim(words[len(words)-1], ".,:;!?'\"")
	}
	srv := &http.Server{Handler: cat.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("Demo feed server stopped", slog.Any("error", err))
		}
	}()
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	return base, sample, nil
}

// demoShows is how many podcasts `hark demo` serves unless told otherwise.
const demoShows = 40

// demoConfig is the catalogue of `hark demo`: the README's examples are written against it.
func demoConfig(shows int, base string) demo.Config {
	return demo.Config{Seed: 1, Shows: shows, MinEpisodes: 3, MaxEpisodes: 150, BaseURL: base}
}

// loadDemo submits every demo feed that Hark does not know yet; the workers crawl them. The
// OPML comes through the crawler's guarded Fetcher, as every outbound request does.
func loadDemo(ctx context.Context, service *jobs.Service, fetcher *feed.Fetcher, opmlURL string, logger *slog.Logger) error {
	res, err := fetcher.Fetch(ctx, feed.FetchRequest{URL: opmlURL})
	if err != nil {
		return fmt.Errorf("read demo OPML: %w", err)
	}
	defer res.Release()
	urls, err := readOPML(bytes.NewReader(res.Body))
	if err != nil {
		return fmt.Errorf("read demo OPML: %w", err)
	}
	sum := importURLs(ctx, service, urls, io.Discard)
	logger.InfoContext(ctx, "Demo podcasts loaded", slog.Int("added", sum.added), slog.Int("known", sum.known), slog.Int("rejected", len(sum.rejected)))
	if len(sum.rejected) > 0 {
		return fmt.Errorf("demo feeds rejected: %v", sum.rejected)
	}
	return nil
}

// demoKey returns the demo API key saved by an earlier run when it still works, else a new one.
func demoKey(ctx context.Context, store *db.Store) (string, error) {
	if b, err := os.ReadFile(demoKeyFile); err == nil {
		key := strings.TrimSpace(string(b))
		if _, _, err := store.AuthenticateAPIKey(ctx, key); err == nil {
			return key, nil
		} else if !errors.Is(err, hark.ErrUnauthorized) {
			return "", err
		}
	}
	key, _, err := store.CreateAPIKey(ctx, "demo", 0)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(demoKeyFile), 0o755); err == nil {
		_ = os.WriteFile(demoKeyFile, []byte(key+"\n"), 0o600)
	}
	return key, nil
}
