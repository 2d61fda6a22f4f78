package main

import (
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	"github.com/schollz/progressbar/v3"

	"hark/cmd/internal/app"
	"hark/jobs"
)

func runImport(ctx context.Context, cfg app.Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	if len(args) != 2 || (args[0] != "opml" && args[0] != "urls") {
		return fmt.Errorf("%w: hark import opml FILE | hark import urls FILE", errUsage)
	}
	f, err := os.Open(args[1])
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	var urls []string
	if args[0] == "opml" {
		urls, err = readOPML(f)
	} else {
		urls, err = readURLLines(f)
	}
	if err != nil {
		return fmt.Errorf("import %s: %w", args[1], err)
	}
	a, err := app.New(ctx, cfg, logger, app.Opts{Migrated: true})
	if err != nil {
		return err
	}
	defer a.Close()
	sum := importURLs(ctx, a.Service, urls, stderr)
	sum.print(stdout)
	logger.InfoContext(ctx, "Import finished", slog.Int("added", sum.added), slog.Int("known", sum.known), slog.Int("rejected", len(sum.rejected)))
	return ctx.Err()
}

type importSummary struct {
	added, known int
	rejected     map[string]string // URL -> reason
}

// importURLs submits every URL, never stopping at a bad one, with a progress bar on w.
func importURLs(ctx context.Context, service *jobs.Service, urls []string, w io.Writer) importSummary {
	sum := importSummary{rejected: map[string]string{}}
	bar := progressbar.NewOptions(len(urls), progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("importing feeds"), progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("feeds"), progressbar.OptionShowIts(), progressbar.OptionThrottle(100e6),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
	for _, u := range urls {
		if ctx.Err() != nil {
			break
		}
		_, created, err := service.SubmitFeed(ctx, u)
		switch {
		case err != nil:
			sum.rejected[u] = userMessage(err)
		case created:
			sum.added++
		default:
			sum.known++
		}
		_ = bar.Add(1)
	}
	_ = bar.Finish()
	return sum
}

func (s importSummary) print(w io.Writer) {
	fmt.Fprintf(w, "added %d, already known %d, rejected %d\n", s.added, s.known, len(s.rejected))
	urls := make([]string, 0, len(s.rejected))
	for u := range s.rejected {
		urls = append(urls, u)
	}
	sort.Strings(urls)
	for _, u := range urls {
		fmt.Fprintf(w, "  rejected %q: %s\n", u, s.rejected[u])
	}
}

// readURLLines reads one URL a line, skipping blank lines and # comments.
func readURLLines(r io.Reader) ([]string, error) {
	var urls []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			urls = append(urls, line)
		}
	}
	return urls, sc.Err()
}

// readOPML returns the xmlUrl of every outline, however deeply nested.
func readOPML(r io.Reader) ([]string, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	var urls []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return urls, fmt.Errorf("read OPML: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || !strings.EqualFold(se.Name.Local, "outline") {
			continue
		}
		for _, at := range se.Attr {
			if strings.EqualFold(at.Name.Local, "xmlUrl") && strings.TrimSpace(at.Value) != "" {
				urls = append(urls, strings.TrimSpace(at.Value))
			}
		}
	}
	if len(urls) == 0 {
		return nil, fmt.Errorf("the file has no <outline xmlUrl=...> entries")
	}
	return urls, nil
}
