package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"hark"
	"hark/search/searchtest"
)

// zipfS is the exponent of the replayed query log: the query of rank k is asked in proportion
// to 1/k^s, about what search logs show.
const zipfS = 1.0

// benchReplay replays a query log with Zipf-distributed repetition over the eval-set and
// common-word queries, at 4 and 16 clients, through /api/v2/search (with the search cache of
// each web process), straight to Typesense, and to Typesense with its own cache (use_cache),
// taking turns as the query section does. Each turn replays the next stretch of the log, the
// same on every side, so queries never asked before keep arriving. The API and Typesense's
// cache start warm: the log's first -replay-warmup queries are sent to them untimed, as to a
// process that has served for a while. Then the same log at 16 clients with metering on and off
// (benchMetering).
func (e *env) benchReplay(ctx context.Context) error {
	defer e.withoutRequiredKey()() // for benchMetering's keyless side
	api, err := e.startAPI(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	cache := e.app.SearchCache
	if cache == nil {
		return fmt.Errorf("the API has no search cache (SEARCH_CACHE_ENTRIES or SEARCH_CACHE_TTL is 0)")
	}
	if err := e.countCommonTerms(ctx); err != nil {
		return err
	}
	vocab, err := e.replayVocabulary(ctx)
	if err != nil {
		return err
	}
	key, _, err := e.store.CreateAPIKey(ctx, "bench-replay", 0)
	if err != nil {
		return err
	}
	sides, err := e.replaySides(api.URL, key, vocab)
	if err != nil {
		return err
	}
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	log := newZipfLog(vocab, zipfS, 5)
	warm := log.next(e.opts.replayWarmup)
	e.printf("replay: a log over %d distinct eval-set and common-word queries, Zipf s=%.1f; warming the API's and Typesense's caches with its first %d queries (%d distinct)\n",
		len(vocab), zipfS, len(warm), distinct(warm))
	for _, s := range []side{sides.api, sides.tsCache} {
		if _, err := load(ctx, c, 16, len(warm), warm, s); err != nil {
			return err
		}
	}
	dur := time.Duration(e.opts.querySeconds) * time.Second
	for _, conc := range []int{4, 16} {
		hits0, misses0 := cache.Lookups()
		// Raw Typesense first: the slowest side's pace sets the stretches.
		stats, err := replayTurns(ctx, c, conc, dur, log, sides.raw, sides.api, sides.tsCache)
		if err != nil {
			return err
		}
		stats[0], stats[1] = stats[1], stats[0] // API, raw, Typesense's cache
		hits, misses := cache.Lookups()
		e.reportReplay(conc, stats, float64(hits-hits0)/float64(max(1, hits-hits0+misses-misses0)))
	}
	return e.benchMetering(ctx, c, api.URL, log, dur)
}

// withoutSearchCache turns the search cache off for the API servers started until the returned
// function is called. The query section measures the search path itself: its passes repeat
// every query, which the cache would answer (the replay section measures the cache).
func (e *env) withoutSearchCache() (restore func()) {
	entries := e.app.Config.SearchCacheEntries
	e.app.Config.SearchCacheEntries = 0
	return func() { e.app.Config.SearchCacheEntries = entries }
}

// replaySides are the ways the replay asks a query.
type replaySides struct{ api, raw, tsCache side }

// replaySides builds every side's URLs before the clock starts, as the query section does.
// Typesense's cache keeps answers as long as Hark's (SEARCH_CACHE_TTL).
func (e *env) replaySides(apiBase, key string, vocab []string) (replaySides, error) {
	node := strings.Split(e.tsURL, ",")[0]
	ttl := fmt.Sprintf("&use_cache=true&cache_ttl=%d", int(e.app.Config.SearchCacheTTL.Seconds()))
	apiURL, rawURL, cachedURL := map[string]string{}, map[string]string{}, map[string]string{}
	for _, q := range vocab {
		path, err := e.rawSearchPath(q)
		if err != nil {
			return replaySides{}, err
		}
		apiURL[q] = apiBase + "/api/v2/search?type=episode&q=" + url.QueryEscape(q)
		rawURL[q], cachedURL[q] = node+path, node+path+ttl
	}
	request := func(urls map[string]string, header, value string) side {
		return get(func(q string) *http.Request {
			req, _ := http.NewRequest(http.MethodGet, urls[q], nil)
			req.Header.Set(header, value)
			return req
		})
	}
	return replaySides{
		api:     request(apiURL, "X-ListenAPI-Key", key),
		raw:     request(rawURL, "X-TYPESENSE-API-KEY", e.tsKey),
		tsCache: request(cachedURL, "X-TYPESENSE-API-KEY", e.tsKey),
	}, nil
}

// replayVocabulary is the queries the log draws from: the eval set's episode queries and the
// common-word queries, in an order of their own (a query's rank in the log is random).
func (e *env) replayVocabulary(ctx context.Context) ([]string, error) {
	eval, err := e.evalQueries(ctx)
	if err != nil {
		return nil, err
	}
	common, err := e.commonQueries(ctx, e.opts.queries)
	if err != nil {
		return nil, err
	}
	vocab := slices.Compact(slices.Sorted(slices.Values(append(eval, common...))))
	rand.New(rand.NewPCG(7, 8)).Shuffle(len(vocab), func(i, j int) { vocab[i], vocab[j] = vocab[j], vocab[i] })
	return vocab, nil
}

// evalQueries returns the episode queries of the eval set that Hark takes (a query too long is
// rejected, and has no Typesense request to compare with), building the set from a reused
// schema's real feeds when the relevance section did not run.
func (e *env) evalQueries(ctx context.Context) ([]string, error) {
	if len(e.evalSet) == 0 && e.opts.reuse != "" {
		ids, err := e.realFeedPodcasts(ctx)
		if err != nil {
			return nil, err
		}
		if e.evalSet, err = e.buildEvalSet(ctx, ids); err != nil {
			return nil, err
		}
	}
	var qs []string
	for _, q := range e.evalSet {
		if _, _, err := searchtest.SearchValues(e.index, hark.SearchQuery{Q: q.q}); q.typ == hark.SearchTypeEpisode && err == nil {
			qs = append(qs, q.q)
		}
	}
	return qs, nil
}

// rawSearchPath is the Typesense request Hark sends for an episode search of q.
func (e *env) rawSearchPath(q string) (string, error) {
	v, kind, err := searchtest.SearchValues(e.index, hark.SearchQuery{Q: q, Type: hark.SearchTypeEpisode})
	if err != nil {
		return "", fmt.Errorf("query %q: %w", q, err)
	}
	return "/collections/" + e.prefix + kind + "/documents/search?" + v.Encode(), nil
}

// replayTurns runs each side on the next stretch of the log in querySlices alternating turns,
// all sides the same stretch in a turn. A stretch is as long as the first side answers in
// dur/querySlices, measured on a stretch of 50 first (not counted).
func replayTurns(ctx context.Context, c *http.Client, conc int, dur time.Duration, log *zipfLog, sides ...side) ([]*loadStats, error) {
	cal, err := load(ctx, c, conc, 50, log.next(50), sides[0])
	if err != nil {
		return nil, err
	}
	stretch := max(50, int(math.Round(cal.qps()*(dur/querySlices).Seconds())))
	return takeTurns(ctx, c, conc, func(int) ([]string, int) { return log.next(stretch), stretch }, sides)
}

// reportReplay prints one replay run and whether it met the targets.
func (e *env) reportReplay(conc int, stats []*loadStats, hitRate float64) {
	apiStats, rawStats, tsStats := stats[0], stats[1], stats[2]
	p50, p99, qps := apiStats.p(50) <= rawStats.p(50), apiStats.p(99) < rawStats.p(99)/2, apiStats.qps() >= 2*rawStats.qps()
	e.result("replay %2d clients: API p50 %5.1f ms p99 %5.1f, %6.0f QPS (%.1f%% from its cache) | raw Typesense p50 %5.1f ms p99 %5.1f, %6.0f QPS | Typesense's cache p50 %5.1f ms p99 %5.1f, %6.0f QPS",
		conc, ms(apiStats.p(50)), ms(apiStats.p(99)), apiStats.qps(), 100*hitRate,
		ms(rawStats.p(50)), ms(rawStats.p(99)), rawStats.qps(),
		ms(tsStats.p(50)), ms(tsStats.p(99)), tsStats.qps())
	e.result("replay %2d clients: API/raw: p50 %.2fx (target <= 1: %s), p99 %.2fx (target < 0.5: %s), QPS %.1fx (target >= 2: %s); API/Typesense's cache: p50 %.2fx, p99 %.2fx, QPS %.1fx",
		conc, ratio(apiStats.p(50), rawStats.p(50)), met(p50), ratio(apiStats.p(99), rawStats.p(99)), met(p99),
		apiStats.qps()/rawStats.qps(), met(qps),
		ratio(apiStats.p(50), tsStats.p(50)), ratio(apiStats.p(99), tsStats.p(99)), apiStats.qps()/tsStats.qps())
	e.reportFailures(fmt.Sprintf("replay %2d clients", conc), []string{"API", "raw", "Typesense's cache"}, stats)
}

// benchMetering replays the log through the API at 16 clients with exact metering, in-memory
// metering and no key (meteringSides), taking turns in both orders.
func (e *env) benchMetering(ctx context.Context, c *http.Client, apiBase string, log *zipfLog, dur time.Duration) error {
	m, err := e.newMeteringSides(ctx, "replay", func(q string) string {
		return apiBase + "/api/v2/search?type=episode&q=" + url.QueryEscape(q)
	})
	if err != nil {
		return err
	}
	stats, err := bothOrders(dur, m.sides, func(dur time.Duration, sides []side) ([]*loadStats, error) {
		return replayTurns(ctx, c, 16, dur, log, sides...)
	})
	if err != nil {
		return err
	}
	return m.report(ctx, e, "metering 16 clients, the replay with the search cache", stats)
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(max(b, 1)) }

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "missed"
}

// zipfLog draws queries from a vocabulary, the one of rank k (from 1) with probability
// proportional to 1/k^s. math/rand's Zipf takes only s > 1.
type zipfLog struct {
	vocab []string
	cdf   []float64
	rnd   *rand.Rand
}

func newZipfLog(vocab []string, s float64, seed uint64) *zipfLog {
	cdf := make([]float64, len(vocab))
	sum := 0.0
	for k := range vocab {
		sum += 1 / math.Pow(float64(k+1), s)
		cdf[k] = sum
	}
	for k := range cdf {
		cdf[k] /= sum
	}
	return &zipfLog{vocab: vocab, cdf: cdf, rnd: rand.New(rand.NewPCG(seed, seed))}
}

// next returns the log's next n queries.
func (l *zipfLog) next(n int) []string {
	qs := make([]string, n)
	for i := range qs {
		k, _ := slices.BinarySearch(l.cdf, l.rnd.Float64())
		qs[i] = l.vocab[min(k, len(l.vocab)-1)]
	}
	return qs
}

// distinct counts the different queries of qs.
func distinct(qs []string) int {
	seen := map[string]bool{}
	for _, q := range qs {
		seen[q] = true
	}
	return len(seen)
}
