package main

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"hark"
)

// apiLatencyTarget is the p99 each measured endpoint must stay under at one client.
const apiLatencyTarget = 20 * time.Millisecond

// benchAPI measures the latency of the Listen API endpoints that read Postgres alone, with a
// sample of the catalogue's podcasts and episodes: recommendations of a podcast and of an
// episode, and best_podcasts over every genre and per genre, at one client and at four. With
// API_REQUIRE_KEY=false the requests carry no key and the section only reads (a kept dataset
// stays as it was); otherwise it makes a key, metered in memory like the query section's.
func (e *env) benchAPI(ctx context.Context) error {
	api, err := e.startAPI(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	pods, err := e.sampleIDs(ctx, `SELECT id FROM podcasts WHERE episode_count > 0 AND NOT dead ORDER BY md5(id) LIMIT @n`)
	if err != nil {
		return err
	}
	eps, err := e.sampleIDs(ctx, `SELECT id FROM episodes WHERE NOT gone ORDER BY id LIMIT @n`)
	if err != nil {
		return err
	}
	var genres []string
	for _, g := range hark.TopGenres() {
		genres = append(genres, strconv.Itoa(g.ID))
	}
	if len(pods) == 0 || len(eps) == 0 {
		return fmt.Errorf("the catalogue has no podcasts or episodes to ask about")
	}
	var key string
	if e.app.Config.RequireAPIKey {
		if key, _, err = e.store.CreateAPIKey(ctx, "bench-api", 0); err != nil {
			return err
		}
	}
	c := &http.Client{Timeout: 30 * time.Second}
	for _, t := range []struct {
		name string
		path func(string) string
		ids  []string
	}{
		{"podcast recommendations", func(id string) string { return "/api/v2/podcasts/" + id + "/recommendations" }, pods},
		{"episode recommendations", func(id string) string { return "/api/v2/episodes/" + id + "/recommendations" }, eps},
		{"best_podcasts", func(page string) string { return "/api/v2/best_podcasts?page=" + page }, []string{"1", "2", "3"}},
		{"best_podcasts by genre", func(g string) string { return "/api/v2/best_podcasts?genre_id=" + g }, genres},
	} {
		mk := func(id string) *http.Request {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, api.URL+t.path(id), nil)
			if key != "" {
				req.Header.Set("X-ListenAPI-Key", key)
			}
			return req
		}
		for _, conc := range []int{1, 4} {
			st, err := load(ctx, c, conc, e.opts.apiRequests, t.ids, get(mk))
			if err != nil {
				return err
			}
			if st.errors > 0 {
				return fmt.Errorf("%s: %d of %d requests failed, the first: %v", t.name, st.errors, e.opts.apiRequests, st.first)
			}
			sort.Slice(st.lat, func(i, j int) bool { return st.lat[i] < st.lat[j] })
			verdict := ""
			if conc == 1 {
				verdict = fmt.Sprintf(" (target p99 < %s: %s)", apiLatencyTarget, map[bool]string{true: "met", false: "MISSED"}[st.p(99) < apiLatencyTarget])
			}
			e.result("api %-23s %d client(s): p50 %6.2f ms, p99 %6.2f ms over %d requests%s",
				t.name, conc, ms(st.p(50)), ms(st.p(99)), len(st.lat), verdict)
		}
	}
	return nil
}

// sampleIDs runs a query of ids with @n, the sample size.
func (e *env) sampleIDs(ctx context.Context, sql string) ([]string, error) {
	rows, err := e.pool.Query(ctx, sql, pgx.NamedArgs{"n": 200})
	if err != nil {
		return nil, fmt.Errorf("sample ids: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("sample ids: %w", err)
	}
	return ids, nil
}
