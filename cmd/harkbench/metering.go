package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"sync/atomic"
	"time"
)

// meteringSides are the ways the metering runs send a search: with a key that has a monthly
// quota (metered exactly, a Postgres statement per request), with a key without one (counted in
// memory, written every second), and with no key at all (not metered; the API must run with
// API_REQUIRE_KEY=false, see withoutRequiredKey). answered and failed count the exact key's
// 200s and other answers: Postgres's count of it is at least the first, at most their sum (a
// request is billed before a search that then fails, say on a Typesense timeout).
type meteringSides struct {
	sides            []side
	exactKey         string
	answered, failed *atomic.Int64
}

var meteringLabels = []string{"exact", "in memory", "no key"}

// newMeteringSides creates the two keys and builds the sides over searchURL, which gives a
// query's /api/v2/search URL.
func (e *env) newMeteringSides(ctx context.Context, name string, searchURL func(q string) string) (meteringSides, error) {
	m := meteringSides{answered: &atomic.Int64{}, failed: &atomic.Int64{}}
	for _, quota := range []int{1 << 30, 0} {
		key, _, err := e.store.CreateAPIKey(ctx, fmt.Sprintf("bench-%s-%d", name, quota), quota)
		if err != nil {
			return meteringSides{}, err
		}
		s := meteringRequest(searchURL, key)
		if quota > 0 {
			m.exactKey = key
			request := s
			s = func(c *http.Client, q string) error {
				err := request(c, q)
				if err == nil {
					m.answered.Add(1)
				} else {
					m.failed.Add(1)
				}
				return err
			}
		}
		m.sides = append(m.sides, s)
	}
	m.sides = append(m.sides, meteringRequest(searchURL, ""))
	return m, nil
}

func meteringRequest(searchURL func(q string) string, key string) side {
	return get(func(q string) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, searchURL(q), nil)
		if key != "" {
			req.Header.Set("X-ListenAPI-Key", key)
		}
		return req
	})
}

// report prints one metering run: each side's QPS and p50, the share of the in-memory side's
// and the keyless side's QPS that exact metering keeps, and whether Postgres counted exactly
// the exact key's answered requests.
func (m meteringSides) report(ctx context.Context, e *env, label string, stats []*loadStats) error {
	_, counted, err := e.store.FindAPIKey(ctx, m.exactKey)
	if err != nil {
		return err
	}
	exact, mem, none := stats[0], stats[1], stats[2]
	keep := exact.qps() / mem.qps()
	e.result("%s: exact (a key with a monthly quota) %6.0f QPS, p50 %5.1f ms | in memory (a key without) %6.0f QPS, p50 %5.1f ms | no key %6.0f QPS, p50 %5.1f ms",
		label, exact.qps(), ms(exact.p(50)), mem.qps(), ms(mem.p(50)), none.qps(), ms(none.p(50)))
	e.result("%s: exact keeps %.0f%% of the in-memory QPS (target >= 95%%: %s) and %.0f%% of the keyless; Postgres counted %d requests of the exact key, which got %d answers and %d failures",
		label, 100*keep, met(keep >= 0.95), 100*exact.qps()/none.qps(), counted, m.answered.Load(), m.failed.Load())
	e.reportFailures(label, meteringLabels, stats)
	return nil
}

// withoutRequiredKey lets requests without a key through the API servers started until the
// returned function is called, so that the metering runs can compare with requests not metered
// at all. The bench's address limit is off (benchConfig).
func (e *env) withoutRequiredKey() (restore func()) {
	required := e.app.Config.RequireAPIKey
	e.app.Config.RequireAPIKey = false
	return func() { e.app.Config.RequireAPIKey = required }
}

// benchMeteringSearch is the "search QPS with metering on and off": the query section's
// uncached searches (the eval set's and the common-word queries, the search cache off) through
// the API at 16 clients, with exact metering, in-memory metering and no key, taking turns in
// both orders. The replay section measures the same three with the search cache
// (benchMetering).
func (e *env) benchMeteringSearch(ctx context.Context) error {
	defer e.withoutSearchCache()()
	defer e.withoutRequiredKey()()
	api, err := e.startAPI(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	common, eval, err := e.searchQueries(ctx)
	if err != nil {
		return err
	}
	m, err := e.newMeteringSides(ctx, "search", func(q string) string {
		return api.URL + "/api/v2/search?type=episode&q=" + url.QueryEscape(q)
	})
	if err != nil {
		return err
	}
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	dur := time.Duration(e.opts.querySeconds) * time.Second
	queries := append(eval, common...)
	stats, err := bothOrders(dur, m.sides, func(dur time.Duration, sides []side) ([]*loadStats, error) {
		return loadTurns(ctx, c, 16, dur, queries, sides...)
	})
	if err != nil {
		return err
	}
	return m.report(ctx, e, "metering 16 clients, uncached searches", stats)
}

// bothOrders runs turns over sides for half of dur, then again with the sides in reverse order,
// and merges each side's figures: on a machine busy with other work, the side that goes first
// in every turn was measured apart from the others (one run had it lose a third of its QPS to
// Typesense timeouts the others did not meet).
func bothOrders(dur time.Duration, sides []side, turns func(time.Duration, []side) ([]*loadStats, error)) ([]*loadStats, error) {
	first, err := turns(dur/2, sides)
	if err != nil {
		return nil, err
	}
	reversed := slices.Clone(sides)
	slices.Reverse(reversed)
	second, err := turns(dur/2, reversed)
	if err != nil {
		return nil, err
	}
	for k, s := range first {
		s.add(second[len(second)-1-k])
		sort.Slice(s.lat, func(i, j int) bool { return s.lat[i] < s.lat[j] })
	}
	return first, nil
}

// searchQueries returns the common-word queries (after counting the common terms) and the
// eval set's episode queries that the query and metering sections send.
func (e *env) searchQueries(ctx context.Context) (common, eval []string, err error) {
	if err := e.countCommonTerms(ctx); err != nil {
		return nil, nil, err
	}
	if common, err = e.commonQueries(ctx, e.opts.queries); err != nil {
		return nil, nil, err
	}
	eval, err = e.evalQueries(ctx)
	return common, eval, err
}
