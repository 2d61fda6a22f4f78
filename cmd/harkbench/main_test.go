package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"hark/db/dbtest"
	"hark/search/searchtest"
)

// TestBenchSmoke runs the bench's sections end to end on tiny sizes against the real services
// (river's riverbench has such a test): the bench builds Hark as `hark serve` does, so a change
// that breaks the bench's wiring fails here. It checks that each section printed its figures.
func TestBenchSmoke(t *testing.T) {
	dbURL := dbtest.URL(t)
	tsURL, tsKey := searchtest.Env(t)
	env := map[string]string{"DATABASE_URL": dbURL, "TYPESENSE_URL": tsURL, "TYPESENSE_API_KEY": tsKey}
	o := options{
		sections:    map[string]bool{"ingest": true, "crawl": true, "reindex": true, "relevance": true, "query": true, "metering": true, "replay": true, "hostile": true, "pages": true, "api": true},
		ingestFeeds: 5, rawRiverJobs: 500, crawlFeeds: 12, crawlMaxEps: 20, crawlWorkers: 4,
		querySeconds: 1, querySets: "common-words,typeahead", queries: 40, hostileSubmissions: 60, replayWarmup: 200, pageRequests: 8,
		realFeeds: smallRealFeeds(t, 6), apiRequests: 20,
	}
	want := []string{
		`ingest: 5 feeds, \d+ episodes submitted->crawled->stored->indexed in \S+: \d+ feeds/s, \d+ episodes/s`,
		`ingest: raw Postgres COPY of the same \d+ episode rows: \d+ rows/s`,
		`ingest: raw River: 500 no-op jobs inserted and worked: \d+ jobs/s`,
		`parse: \d+ feeds, [\d.]+ MB: raw gofeed [\d.]+ MB/s, Hark feed.Parse [\d.]+ MB/s`,
		`crawl: first crawl of 12 feeds, \d+ episodes into Postgres in \S+: \d+ feeds/s`,
		`crawl: re-crawl of 12 feeds \(70% 304, .*\), 3 rounds: median \S+, \d+ feeds/s`,
		`reindex: \d+ episodes from Postgres into a new collection version in \S+: \d+ docs/s`,
		`query common-words  4 clients: API p50 +[\d.]+ ms .* \| raw Typesense p50 +[\d.]+ ms`,
		`query common-words 16 clients: floor: a pass-through Go proxy`,
		`typeahead  4 clients: API p50 +[\d.]+ ms`,
		`replay  4 clients: API p50 +[\d.]+ ms p99 +[\d.]+, +\d+ QPS \([\d.]+% from its cache\) \| raw Typesense p50 .* \| Typesense's cache p50`,
		`replay 16 clients: API/raw: p50 [\d.]+x \(target <= 1: (met|missed)\), p99 [\d.]+x .* QPS [\d.]+x`,
		`metering 16 clients, uncached searches: exact \(a key with a monthly quota\) +\d+ QPS, .* \| no key +\d+ QPS`,
		`metering 16 clients, uncached searches: exact keeps \d+% of the in-memory QPS \(target >= 95%: (met|missed)\) .*; Postgres counted \d+ requests of the exact key, which got \d+ answers and \d+ failures`,
		`metering 16 clients, the replay with the search cache: exact keeps \d+% of the in-memory QPS`,
		`hostile: 60 submissions \(6 good feeds, .*\) at 8 clients in \S+: .*; 0 5xx`,
		`pages home +4 clients: p50 +[\d.]+ ms p95 +[\d.]+ ms`,
		`pages episode +4 clients: p50 +[\d.]+ ms p95 +[\d.]+ ms`,
		`pages embed +4 clients: p50`,
		`pages sitemap +4 clients: p50 +[\d.]+ ms p95 +[\d.]+ ms`,
		`pages api-search +4 clients: p50 +[\d.]+ ms p95 +[\d.]+ ms`,
		`pages search +4 clients: p50 +[\d.]+ ms p95 +[\d.]+ ms`,
		`api podcast recommendations 1 client\(s\): p50 +[\d.]+ ms, p99 +[\d.]+ ms over 20 requests`,
		`api best_podcasts by genre  4 client\(s\): p50 +[\d.]+ ms`,
		`hostile: the dialer saw [1-9]\d* connections, 0 to a forbidden address; 6/6 good feeds crawled; [1-9]\d* hostile feeds refused at crawl; 2 scheduled crawls due during the flood ran at most \S+ late`,
	}
	if o.realFeeds == "" {
		delete(o.sections, "relevance")
	} else {
		want = append(want, `relevance: all +\d+ queries: recall@3 [\d.]+%, recall@10 [\d.]+%, MRR [\d.]+`)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 180*time.Second)
	defer cancel()
	var out, log bytes.Buffer
	start := time.Now()
	if err := run(ctx, o, func(name string) string { return env[name] }, &out, &log); err != nil {
		t.Fatalf("harkbench: %v\nfigures:\n%s\nlog:\n%s", err, out.String(), log.String())
	}
	t.Logf("the bench ran in %s", time.Since(start).Round(time.Millisecond))
	_, summary, ok := strings.Cut(out.String(), "== summary ==")
	if !ok {
		t.Fatalf("no summary:\n%s", out.String())
	}
	for _, w := range want {
		if !regexp.MustCompile(w).MatchString(summary) {
			t.Errorf("the summary has no line matching %s", w)
		}
	}
	// Exact metering counts every request it answered, and none it did not take, on the
	// bench's own load.
	for _, m := range regexp.MustCompile(`Postgres counted (\d+) requests of the exact key, which got (\d+) answers and (\d+) failures`).FindAllStringSubmatch(summary, -1) {
		counted, answered, failed := atoi(t, m[1]), atoi(t, m[2]), atoi(t, m[3])
		if counted < answered || counted > answered+failed {
			t.Errorf("exact metering: %s", m[0])
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("figures:\n%s", out.String())
	}
}

// smallRealFeeds copies the n smallest real feed fixtures (../shared/fixtures/feeds/real) to a
// folder of the test's own, for a relevance section of a few seconds. Without the fixtures the
// test fails under `make test` (HARK_REQUIRE_SERVICES); elsewhere it returns "" and the test
// leaves the relevance section out.
func smallRealFeeds(t *testing.T, n int) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "fixtures", "feeds", "real", "*.xml"))
	if len(files) < n {
		if os.Getenv("HARK_REQUIRE_SERVICES") != "" {
			t.Fatalf("%d real feed fixtures in ../shared/fixtures/feeds/real; want at least %d", len(files), n)
		}
		t.Log("../shared/fixtures/feeds/real is absent: the relevance section is left out")
		return ""
	}
	size := func(f string) int64 {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	slices.SortFunc(files, func(a, b string) int { return int(size(a) - size(b)) })
	dir := t.TempDir()
	for _, f := range files[:n] {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
