package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hark/cmd/internal/app"
	"hark/db/dbtest"
	"hark/demo"
	"hark/search/searchtest"
)

// demoSite is Hark as `make demo` runs it, on the test's own schema and index: the generated
// catalogue served on loopback, loaded through the workers, searchable.
type demoSite struct {
	base string // Hark's URL
	key  string // an API key, as `make demo` prints
	app  *app.App

	dbURL, tsURL, tsKey, prefix string // where it keeps its data, for commands run against it
}

// demoAudioSeconds is the length of the audio every demo episode plays in these tests: long
// enough to skip 30 s and still play.
const demoAudioSeconds = 120

// startDemoSite serves the first shows podcasts of `hark demo`'s catalogue
// and a Hark that has crawled and indexed them all. Episode audio is a silent WAV of
// demoAudioSeconds, so a browser can play, seek and resume it.
func startDemoSite(t *testing.T, shows int) *demoSite {
	t.Helper()
	_, dbURL := dbtest.NewSchemaURL(t)
	tsURL, tsKey := searchtest.Env(t)
	cat := demo.New(demoConfig(shows, ""))
	wav := silentWAV(demoAudioSeconds)
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/audio/") {
			w.Header().Set("Content-Type", "audio/wav")
			http.ServeContent(w, r, "episode.wav", time.Time{}, bytes.NewReader(wav))
			return
		}
		cat.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(feeds.Close)
	cat.SetBaseURL(feeds.URL)

	addr := freeAddr(t)
	prefix := fmt.Sprintf("demo%d_", time.Now().UnixNano())
	// CRAWL_LOOPBACK_ONLY: examples that add feeds on other hosts must not reach the network.
	cfg, err := app.LoadConfig(func(name string) string {
		return map[string]string{
			"DATABASE_URL": dbURL, "TYPESENSE_URL": tsURL, "TYPESENSE_API_KEY": tsKey,
			"TYPESENSE_PREFIX": prefix, "HTTP_ADDR": addr, "CRAWL_LOOPBACK_ONLY": "true",
			"BASE_URL": "http://" + addr, "CRAWL_ALLOW_LOOPBACK": "true", "CRAWL_WORKERS": "4",
			"CRAWL_SCHEDULE_INTERVAL": "1h", "RATE_ADDR_PER_SECOND": "0",
		}[name]
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.RequireAPIKey = true
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(ctx, cfg, logger, app.Opts{Work: true, Migrated: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = searchtest.DropAll(context.Background(), a.Index) })
	got, stop, err := a.Start(ctx, true, true)
	if err != nil {
		a.Close()
		t.Fatalf("serve: %v", err)
	}
	t.Cleanup(func() {
		_ = stop()
		a.Close()
	})
	if err := loadDemo(ctx, a.Service, a.JobsConfig().Fetcher, feeds.URL+"/opml", logger); err != nil {
		t.Fatal(err)
	}
	waitLoaded(t, a, shows)
	key, _, err := a.Store.CreateAPIKey(ctx, "demo", 0)
	if err != nil {
		t.Fatal(err)
	}
	return &demoSite{base: "http://" + got, key: key, app: a, dbURL: dbURL, tsURL: tsURL, tsKey: tsKey, prefix: prefix}
}

// waitLoaded waits until every demo podcast is crawled and indexed.
func waitLoaded(t *testing.T, a *app.App, shows int) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		var done, pending int
		err := a.Pool.QueryRow(context.Background(), `SELECT
			(SELECT count(*) FROM podcasts WHERE last_crawled_at IS NOT NULL AND NOT index_pending),
			(SELECT count(*) FROM episodes WHERE index_pending)`).Scan(&done, &pending)
		if err != nil {
			t.Fatal(err)
		}
		if done == shows && pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo not loaded after 90 s: %d of %d podcasts crawled and indexed, %d episodes to index", done, shows, pending)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// freeAddr returns a loopback address with a port free right now, so that BASE_URL can name it
// before the server starts.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// silentWAV is sec seconds of silence: 8 kHz, 8-bit, mono PCM.
func silentWAV(sec int) []byte {
	const rate = 8000
	n := sec * rate
	var b bytes.Buffer
	w := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	w(uint32(36 + n))
	b.WriteString("WAVEfmt ")
	w(uint32(16))
	w(uint16(1)) // PCM
	w(uint16(1)) // mono
	w(uint32(rate))
	w(uint32(rate)) // bytes a second
	w(uint16(1))    // block align
	w(uint16(8))    // bits a sample
	b.WriteString("data")
	w(uint32(n))
	b.Write(bytes.Repeat([]byte{0x80}, n)) // 8-bit PCM is unsigned: 0x80 is silence
	return b.Bytes()
}
