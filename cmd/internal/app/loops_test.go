package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hark"
)

// TestServeCompletesTermsFromStoredTitles: hark serve counts the typeahead dictionary from the
// stored episode titles when it starts, so typeahead completes a title's phrases even before
// the index holds the episode (no workers run here to index it).
func TestServeCompletesTermsFromStoredTitles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	counted := newLogSignal("Counted typeahead terms")
	a, _ := newTestApp(t, Opts{Migrated: true}, slog.New(counted))
	t.Cleanup(a.Close)
	storeShow(t, a, "zoo", &hark.Feed{Podcast: hark.Podcast{Title: "Zoo Talk"}, Episodes: []hark.Episode{
		{GUID: "1", Title: "Zebrafish Crossings: A Field Guide", PublishedAt: time.Now().Add(-time.Hour)},
	}})
	key, _, err := a.Store.CreateAPIKey(ctx, "typeahead", 0)
	if err != nil {
		t.Fatal(err)
	}
	base, stop := startWeb(t, a)
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	select {
	case <-counted.done:
	case <-time.After(10 * time.Second):
		t.Fatal(`no "Counted typeahead terms" logged 10s after the web server started`)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v2/typeahead?q=zebraf", nil)
	req.Header.Set("X-ListenAPI-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct{ Terms []string }
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v2/typeahead: %d, %v", resp.StatusCode, err)
	}
	if !slices.Equal(got.Terms, []string{"zebrafish", "zebrafish crossings"}) {
		t.Fatalf("typeahead terms for zebraf = %q; want the stored title's zebrafish, zebrafish crossings", got.Terms)
	}
}

// TestServeStopsItsLoopsBeforeReturning: the loops the web server runs (API key metering, the
// common-term and typeahead-term counts) have all returned when Serve does, so none of them is
// still using the pool that `hark serve` closes next. Here the typeahead count is busy in
// Postgres when serve is told to stop, and finishes its query before it returns.
func TestServeStopsItsLoopsBeforeReturning(t *testing.T) {
	t.Parallel()
	a, _ := newTestApp(t, Opts{Migrated: true}, nil)
	counting := make(chan struct{})
	var once sync.Once
	var returned atomic.Bool
	var lastQuery error // written before returned is set
	a.sampleTitles = func(ctx context.Context, n int) ([]string, error) {
		once.Do(func() { close(counting) })
		<-ctx.Done()
		// A count that the stop has not reached yet, still reading from Postgres.
		_, lastQuery = a.Pool.Exec(context.WithoutCancel(ctx), `SELECT pg_sleep(0.3)`)
		returned.Store(true)
		return nil, ctx.Err()
	}
	_, stop := startWeb(t, a)
	<-counting
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !returned.Load() {
		a.Close()
		t.Fatal("Serve returned while the typeahead count was still running")
	}
	a.Close() // as `hark serve` does once Serve returns
	if lastQuery != nil {
		t.Fatalf("the typeahead count's last query: %v", lastQuery)
	}
}

// logSignal is a slog.Handler that closes done when a record with message msg is logged: a
// test waits on it for what the log says has happened.
type logSignal struct {
	msg  string
	once *sync.Once
	done chan struct{}
}

func newLogSignal(msg string) logSignal {
	return logSignal{msg: msg, once: &sync.Once{}, done: make(chan struct{})}
}

func (h logSignal) Enabled(context.Context, slog.Level) bool { return true }

func (h logSignal) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		h.once.Do(func() { close(h.done) })
	}
	return nil
}

func (h logSignal) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h logSignal) WithGroup(string) slog.Handler      { return h }
