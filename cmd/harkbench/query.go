package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/valyala/fasthttp"

	"hark/search"
	"hark/search/searchtest"
)

// querySet is a named list of queries the query section replays.
type querySet struct {
	name    string
	queries []string
}

// benchQuery drives the same queries through /api/v2/search and straight to Typesense, at 4 and
// 16 concurrent clients, and reports latency percentiles and QPS for both.
func (e *env) benchQuery(ctx context.Context) error {
	defer e.withoutSearchCache()()
	api, err := e.startAPI(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	key, _, err := e.store.CreateAPIKey(ctx, "bench", 0)
	if err != nil {
		return err
	}
	common, eval, err := e.searchQueries(ctx)
	if err != nil {
		return err
	}
	sets := []querySet{{"common-words", common}}
	if len(eval) > 0 {
		sets = append([]querySet{{"eval-set", eval}}, sets...)
	}
	names := strings.Split(e.opts.querySets, ",")
	sets = slices.DeleteFunc(sets, func(set querySet) bool { return !slices.Contains(names, set.name) })
	typeahead := slices.Contains(names, "typeahead")
	if len(sets) == 0 && !typeahead {
		return fmt.Errorf("-query-sets %q names none of eval-set, common-words, typeahead (eval-set needs the relevance section or -reuse)", e.opts.querySets)
	}
	if e.opts.queriesOut != "" {
		var b strings.Builder
		for _, set := range sets {
			for _, q := range set.queries {
				fmt.Fprintf(&b, "%s\t%s\n", set.name, q)
			}
		}
		if err := os.WriteFile(e.opts.queriesOut, []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	httpClient := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	proxy := httptest.NewServer(passThrough(strings.Split(e.tsURL, ",")[0]))
	defer proxy.Close()
	dur := time.Duration(e.opts.querySeconds) * time.Second
	// Every side's URLs are built before the clock starts, so the load loop only sends requests:
	// building the raw ones through Hark's planner on each send charged the raw side about 45 µs
	// of work a raw Typesense client need not do.
	apiURL, rawURL, proxyURL := map[string]string{}, map[string]string{}, map[string]string{}
	node := strings.Split(e.tsURL, ",")[0]
	for _, set := range sets {
		for _, q := range set.queries {
			path, err := e.rawSearchPath(q)
			if err != nil {
				return err
			}
			apiURL[q] = api.URL + "/api/v2/search?type=episode&q=" + url.QueryEscape(q)
			rawURL[q], proxyURL[q] = node+path, proxy.URL+path
		}
	}
	request := func(urls map[string]string, header, value string) func(string) *http.Request {
		return func(q string) *http.Request {
			req, _ := http.NewRequest("GET", urls[q], nil)
			req.Header.Set(header, value)
			return req
		}
	}
	apiRequest := get(request(apiURL, "X-ListenAPI-Key", key))
	rawRequest := get(request(rawURL, "X-TYPESENSE-API-KEY", e.tsKey))
	proxyRequest := get(request(proxyURL, "X-TYPESENSE-API-KEY", e.tsKey))
	for _, layout := range []string{"", "separate cores"} {
		restore := func() {}
		if layout != "" {
			if !e.opts.separateCores {
				break
			}
			if restore, err = separateCores(); err != nil {
				e.printf("query: no run on separate cores: %v\n", err)
				break
			}
			e.printf("query: again with Typesense on CPUs of its own (the upper half) and the bench process with the API on the others\n")
		}
		for _, set := range sets {
			for _, conc := range []int{4, 16} {
				label := fmt.Sprintf("query %-12s %2d clients", set.name, conc)
				if layout != "" {
					label += ", " + layout
				}
				stats, err := loadTurns(ctx, httpClient, conc, dur, set.queries, apiRequest, rawRequest, proxyRequest)
				if err != nil {
					restore()
					return err
				}
				e.reportQueryLoad(label, stats[0], stats[1], stats[2])
			}
		}
		restore()
	}
	if typeahead {
		return e.benchTypeahead(ctx, httpClient, api.URL, key, common, dur)
	}
	return nil
}

// reportQueryLoad prints one query-load run: latency and QPS through the API, straight to
// Typesense and through the pass-through proxy, the CPU each spent per query, and failures.
func (e *env) reportQueryLoad(label string, apiStats, rawStats, proxyStats *loadStats) {
	apiKept, proxyKept := 100*apiStats.qps()/rawStats.qps(), 100*proxyStats.qps()/rawStats.qps() // % of raw QPS
	e.result("%s: API p50 %5.1f ms p95 %5.1f p99 %5.1f, %6.0f QPS | raw Typesense p50 %5.1f ms p95 %5.1f p99 %5.1f, %6.0f QPS | API adds %+.1f ms at p50, keeps %.0f%% of raw QPS",
		label, ms(apiStats.p(50)), ms(apiStats.p(95)), ms(apiStats.p(99)), apiStats.qps(),
		ms(rawStats.p(50)), ms(rawStats.p(95)), ms(rawStats.p(99)), rawStats.qps(),
		ms(apiStats.p(50))-ms(rawStats.p(50)), apiKept)
	e.result("%s: floor: a pass-through Go proxy in front of Typesense: p50 %5.1f ms p99 %5.1f, %6.0f QPS: adds %+.1f ms at p50, keeps %.0f%% of raw QPS",
		label, ms(proxyStats.p(50)), ms(proxyStats.p(99)), proxyStats.qps(),
		ms(proxyStats.p(50))-ms(rawStats.p(50)), proxyKept)
	apiSelf, apiTS := apiStats.cpuPerQuery()
	rawSelf, rawTS := rawStats.cpuPerQuery()
	proxySelf, proxyTS := proxyStats.cpuPerQuery()
	e.result("%s: CPU per query, bench process (load + server) and Typesense: API %.2f + %.2f ms | raw %.2f + %.2f ms | proxy %.2f + %.2f ms",
		label, apiSelf, apiTS, rawSelf, rawTS, proxySelf, proxyTS)
	// Each client sends its next query when the last one is answered, so mean latency is
	// clients / QPS (Little's law), and p50 is a steady share of the mean. Where the cores are
	// saturated, the API's latency is therefore set by the QPS it keeps: this is the QPS share
	// that adding no more than 2 ms at p50 takes.
	rawP50 := ms(rawStats.p(50))
	e.result("%s: p50 follows 1/QPS in a closed loop: adding at most 2 ms at p50 on raw's %.1f ms takes about %.0f%% of raw QPS (API kept %.0f%%, floor %.0f%%)",
		label, rawP50, 100*rawP50/(rawP50+2), apiKept, proxyKept)
	e.reportFailures(label, []string{"API", "raw", "proxy"}, []*loadStats{apiStats, rawStats, proxyStats})
}

// benchTypeahead replays prefixes of common title words (2 to 5 letters, as a user types them)
// through /api/v2/typeahead, with podcasts and genres, and straight to Typesense as the searches
// Hark sends for each (the podcasts search, and the episodes one when its term dictionary knows
// too few phrases), at once; at 1 and 4 concurrent clients.
func (e *env) benchTypeahead(ctx context.Context, c *http.Client, apiURL, key string, common []string, dur time.Duration) error {
	start := time.Now()
	terms, _, err := e.index.RefreshTerms(ctx, e.store.SampleEpisodeTitles)
	if err != nil {
		return err
	}
	e.printf("typeahead dictionary, as each web process counts it: %d phrases from %d sampled titles in %v\n",
		terms.Len(), search.TermSample, time.Since(start).Round(time.Millisecond))
	rnd := rand.New(rand.NewPCG(3, 4))
	var prefixes []string
	for _, q := range common {
		w := []rune(strings.Fields(q)[0])
		prefixes = append(prefixes, string(w[:min(len(w), 2+rnd.IntN(4))]))
	}
	node := strings.Split(e.tsURL, ",")[0]
	type raw struct{ podcasts, episodes string }
	rawURLs := map[string]raw{}
	for _, p := range prefixes {
		pods, eps := searchtest.SuggestValues(e.index, p)
		r := raw{podcasts: node + "/collections/" + e.prefix + "podcasts/documents/search?" + pods}
		if eps != "" {
			r.episodes = node + "/collections/" + e.prefix + "episodes/documents/search?" + eps
		}
		rawURLs[p] = r
	}
	apiSide := get(func(p string) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, apiURL+"/api/v2/typeahead?show_podcasts=1&show_genres=1&q="+url.QueryEscape(p), nil)
		req.Header.Set("X-ListenAPI-Key", key)
		return req
	})
	rawGet := func(c *http.Client, u string) error {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		req.Header.Set("X-TYPESENSE-API-KEY", e.tsKey)
		return fetch(c, req)
	}
	rawSide := func(c *http.Client, p string) error {
		r := rawURLs[p]
		var epErr error
		var wg sync.WaitGroup
		if r.episodes != "" {
			wg.Go(func() { epErr = rawGet(c, r.episodes) })
		}
		err := rawGet(c, r.podcasts)
		wg.Wait()
		return cmp.Or(err, epErr)
	}
	for _, conc := range []int{1, 4} {
		stats, err := loadTurns(ctx, c, conc, dur, prefixes, apiSide, rawSide)
		if err != nil {
			return err
		}
		apiStats, rawStats := stats[0], stats[1]
		e.result("typeahead %2d clients: API p50 %5.1f ms p95 %5.1f p99 %5.1f, %6.0f QPS | raw Typesense (Hark's searches) p50 %5.1f ms p95 %5.1f p99 %5.1f, %6.0f QPS | API adds %+.1f ms at p50 (target: a few ms)",
			conc, ms(apiStats.p(50)), ms(apiStats.p(95)), ms(apiStats.p(99)), apiStats.qps(),
			ms(rawStats.p(50)), ms(rawStats.p(95)), ms(rawStats.p(99)), rawStats.qps(), ms(apiStats.p(50))-ms(rawStats.p(50)))
		e.reportFailures(fmt.Sprintf("typeahead %2d clients", conc), []string{"API", "raw"}, stats)
	}
	return nil
}

// countCommonTerms counts the words common in the stored episodes, as each web process does
// when it starts, so that searches drop them as hark serve's would.
func (e *env) countCommonTerms(ctx context.Context) error {
	if e.commonCounted {
		return nil // the relevance and query sections search with the same words
	}
	start := time.Now()
	words, err := e.index.RefreshCommonTerms(ctx, e.store.SampleSearchText)
	if err != nil {
		return err
	}
	e.commonCounted = true
	e.printf("common search terms (in >= %.0f%% of a sample of episodes, counted in %v): %s\n",
		100*search.CommonTermShare, time.Since(start).Round(time.Millisecond), strings.Join(words, " "))
	return nil
}

// realFeedPodcasts returns the IDs of the real-feed podcasts an earlier relevance section crawled
// into a reused schema.
func (e *env) realFeedPodcasts(ctx context.Context) ([]string, error) {
	rows, err := e.pool.Query(ctx, `SELECT id FROM podcasts WHERE feed_url NOT LIKE '%/feeds/%' ORDER BY feed_url`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// commonQueries makes n one- and two-word queries from words frequent in stored episode titles.
func (e *env) commonQueries(ctx context.Context, n int) ([]string, error) {
	// About 50,000 titles are plenty; a small catalogue is read whole, as a 5% sample of its few
	// pages could be empty.
	var total int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM episodes`).Scan(&total); err != nil {
		return nil, err
	}
	percent := min(100, 100*50_000/max(total, 1))
	rows, err := e.pool.Query(ctx, `SELECT w FROM (
		SELECT lower(regexp_split_to_table(title, '[^[:alpha:]]+')) AS w FROM episodes TABLESAMPLE SYSTEM ($1)) t
		WHERE length(w) >= 4 GROUP BY w ORDER BY count(*) DESC LIMIT 200`, percent)
	if err != nil {
		return nil, err
	}
	var words []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, err
		}
		words = append(words, w)
	}
	rows.Close()
	if len(words) < 2 {
		return nil, fmt.Errorf("too few words in stored titles for common-word queries")
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	qs := make([]string, n)
	for i := range qs {
		qs[i] = words[rnd.IntN(len(words))]
		if i%2 == 1 {
			qs[i] += " " + words[rnd.IntN(len(words))]
		}
	}
	return qs, nil
}

// reportFailures prints, for each side that had any, how many requests failed and the first error.
func (e *env) reportFailures(label string, sides []string, stats []*loadStats) {
	for i, st := range stats {
		if st.errors > 0 {
			e.result("%s: %s: %d failed requests, first: %v", label, sides[i], st.errors, st.first)
		}
	}
}

type loadStats struct {
	lat     []time.Duration
	elapsed time.Duration // summed over the turns
	errors  int
	first   error
	cpu     cpuUse // used during the run
}

// qps is the queries answered per second of the runs.
func (s *loadStats) qps() float64 { return float64(len(s.lat)) / s.elapsed.Seconds() }

// cpuPerQuery is the CPU time per answered query, in ms, of this process and of Typesense.
func (s *loadStats) cpuPerQuery() (self, typesense float64) {
	n := float64(len(s.lat))
	return ms(s.cpu.self) / n, ms(s.cpu.typesense) / n
}

func (s *loadStats) p(pct float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	return s.lat[min(len(s.lat)-1, int(float64(len(s.lat))*pct/100))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// querySlices is how many turns each side of a comparison gets: loadTurns alternates the sides
// so that a shared machine's slow spells fall on all of them alike.
const querySlices = 6

// loadTurns runs load for each of sides in querySlices alternating turns, about dur each, and
// returns the merged figures of each. In every turn each side answers the same whole passes
// over the queries, so that all sides answer the same queries as often: a side that answered
// for a fixed time would answer a different mix, the slower side fewer of each pass, and one
// slow query in a hundred moves the figures. The number of passes is the one that makes the
// first side's turn last dur/querySlices, measured with one pass first (not counted).
func loadTurns(ctx context.Context, c *http.Client, conc int, dur time.Duration, queries []string, sides ...side) ([]*loadStats, error) {
	cal, err := load(ctx, c, conc, len(queries), queries, sides[0])
	if err != nil {
		return nil, err
	}
	passes := max(1, int(math.Round((dur/querySlices).Seconds()/cal.elapsed.Seconds())))
	return takeTurns(ctx, c, conc, func(i int) ([]string, int) {
		// Each turn starts at a different place in the queries, the same for every side.
		qs := append(slices.Clone(queries[i*len(queries)/querySlices:]), queries[:i*len(queries)/querySlices]...)
		return qs, passes * len(qs)
	}, sides)
}

// takeTurns runs every side, one after another, on the n queries (going round qs) that turn
// gives for each of querySlices turns, and returns each side's figures merged and sorted.
func takeTurns(ctx context.Context, c *http.Client, conc int, turn func(i int) (qs []string, n int), sides []side) ([]*loadStats, error) {
	out := make([]*loadStats, len(sides))
	for i := range out {
		out[i] = &loadStats{}
	}
	for i := range querySlices {
		qs, n := turn(i)
		for k, answer := range sides {
			st, err := load(ctx, c, conc, n, qs, answer)
			if err != nil {
				return nil, err
			}
			out[k].add(st)
		}
	}
	for _, s := range out {
		sort.Slice(s.lat, func(i, j int) bool { return s.lat[i] < s.lat[j] })
	}
	return out, nil
}

// passThrough is the least any HTTP API in front of Typesense does: it forwards the request's
// query string and API key to node and copies the answer back, with the client Hark's searches
// use (fasthttp, see search/transport) behind net/http's server, as Hark's API has. The bench
// measures it to show what the extra hop alone costs.
func passThrough(node string) http.Handler {
	u, _ := url.Parse(node) // TYPESENSE_URL, checked by search.New
	client := &fasthttp.HostClient{Addr: u.Host, NoDefaultUserAgentHeader: true, MaxConns: 512,
		ReadBufferSize: 64 << 10, WriteBufferSize: 16 << 10}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
		defer fasthttp.ReleaseRequest(req)
		defer fasthttp.ReleaseResponse(resp)
		req.SetRequestURI(r.URL.RequestURI())
		req.SetHost(u.Host)
		req.Header.Set("X-TYPESENSE-API-KEY", r.Header.Get("X-TYPESENSE-API-KEY"))
		if err := client.DoTimeout(req, resp, 10*time.Second); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", string(resp.Header.ContentType()))
		w.Header().Set("Content-Length", strconv.Itoa(len(resp.Body())))
		w.WriteHeader(resp.StatusCode())
		_, _ = w.Write(resp.Body())
	})
}

func (s *loadStats) add(t *loadStats) {
	s.lat = append(s.lat, t.lat...)
	s.elapsed += t.elapsed
	s.errors += t.errors
	if s.first == nil {
		s.first = t.first
	}
	s.cpu.self += t.cpu.self
	s.cpu.typesense += t.cpu.typesense
}

// side answers one query of a load, through the API or straight from Typesense.
type side func(c *http.Client, q string) error

// get is the side that sends the request mk makes for a query and reads the whole answer.
func get(mk func(string) *http.Request) side {
	return func(c *http.Client, q string) error { return fetch(c, mk(q)) }
}

// fetch sends req and reads the whole answer, which must be a 200.
func fetch(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d for %s", resp.StatusCode, req.URL)
	}
	return nil
}

// load sends n queries, going round queries in order, from conc goroutines, and collects
// their latencies.
func load(ctx context.Context, c *http.Client, conc, n int, queries []string, answer side) (*loadStats, error) {
	var mu sync.Mutex
	var all []time.Duration
	var firstErr error
	var errs int
	var next atomic.Int64
	cpu0 := readCPU()
	start := time.Now()
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			var lat []time.Duration
			for i := int(next.Add(1) - 1); i < n && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				start := time.Now()
				if err := answer(c, queries[i%len(queries)]); err != nil {
					mu.Lock()
					errs++
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				lat = append(lat, time.Since(start))
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("no query succeeded: %w", firstErr)
	}
	return &loadStats{lat: all, elapsed: time.Since(start), errors: errs, first: firstErr, cpu: readCPU().sub(cpu0)}, nil
}
