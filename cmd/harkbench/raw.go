package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mmcdole/gofeed"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"golang.org/x/sync/errgroup"

	"hark/jobs"
)

func numCPU() int { return runtime.NumCPU() }

// rate is n per second over d.
func rate(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }

// ---- raw Postgres ----

// rawPostgresCopy copies the bench's stored episodes into a copy of the episodes table (same
// columns and indexes, no Hark code) with COPY in batches of batch rows on `workers`
// connections, and returns rows/s. It is the floor cost of writing those rows.
func (e *env) rawPostgresCopy(ctx context.Context, batch, workers int) (int, time.Duration, error) {
	if _, err := e.pool.Exec(ctx, `DROP TABLE IF EXISTS raw_episodes;
		CREATE TABLE raw_episodes (LIKE episodes INCLUDING DEFAULTS INCLUDING INDEXES)`); err != nil {
		return 0, 0, fmt.Errorf("create raw_episodes: %w", err)
	}
	rows, err := e.pool.Query(ctx, `SELECT * FROM episodes`)
	if err != nil {
		return 0, 0, err
	}
	cols := make([]string, 0, 32)
	for _, f := range rows.FieldDescriptions() {
		cols = append(cols, f.Name)
	}
	var all [][]any
	for rows.Next() {
		v, err := rows.Values()
		if err != nil {
			rows.Close()
			return 0, 0, err
		}
		all = append(all, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	start := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i := 0; i < len(all); i += batch {
		chunk := all[i:min(i+batch, len(all))]
		g.Go(func() error {
			_, err := e.pool.CopyFrom(gctx, pgx.Identifier{"raw_episodes"}, cols, pgx.CopyFromRows(chunk))
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return 0, 0, fmt.Errorf("copy raw episodes: %w", err)
	}
	took := time.Since(start)
	_, _ = e.pool.Exec(ctx, `DROP TABLE raw_episodes`)
	return len(all), took, nil
}

// ---- raw River ----

type noopArgs struct {
	N int `json:"n"`
}

func (noopArgs) Kind() string { return "bench_noop" }

type noopWorker struct {
	river.WorkerDefaults[noopArgs]
	wg *sync.WaitGroup
}

func (w *noopWorker) Work(context.Context, *river.Job[noopArgs]) error { w.wg.Done(); return nil }

// rawRiver inserts n no-op jobs with InsertMany and works them with `workers` workers: the
// queue's own cost per job, to set next to Hark's crawl jobs/s.
func (e *env) rawRiver(ctx context.Context, n, workers int) (time.Duration, error) {
	var wg sync.WaitGroup
	wg.Add(n)
	ws := river.NewWorkers()
	river.AddWorker(ws, &noopWorker{wg: &wg})
	client, err := river.NewClient(riverpgxv5.New(e.pool), &river.Config{
		Logger: e.logger, Workers: ws, Queues: map[string]river.QueueConfig{"bench": {MaxWorkers: workers}},
		FetchCooldown: jobs.FetchCooldownDefault, // as Hark's client, so the two compare
	})
	if err != nil {
		return 0, err
	}
	start := time.Now()
	for i := 0; i < n; i += 1000 {
		params := make([]river.InsertManyParams, 0, 1000)
		for j := i; j < min(i+1000, n); j++ {
			params = append(params, river.InsertManyParams{Args: noopArgs{N: j}, InsertOpts: &river.InsertOpts{Queue: "bench"}})
		}
		if _, err := client.InsertMany(ctx, params); err != nil {
			return 0, err
		}
	}
	if err := client.Start(ctx); err != nil {
		return 0, err
	}
	wg.Wait()
	took := time.Since(start)
	stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_ = client.Stop(stopCtx)
	_, err = e.pool.Exec(ctx, `DELETE FROM river_job WHERE kind = 'bench_noop'`)
	return took, err
}

// ---- raw gofeed ----

// rawGofeed parses each body with a plain gofeed parser and returns bytes parsed and the time.
func rawGofeed(bodies [][]byte) (int, time.Duration, error) {
	p := gofeed.NewParser()
	total := 0
	start := time.Now()
	for _, b := range bodies {
		if _, err := p.Parse(bytes.NewReader(b)); err != nil {
			return 0, 0, err
		}
		total += len(b)
	}
	return total, time.Since(start), nil
}

// ---- raw Typesense ----

// tsRequest calls the Typesense HTTP API directly, with no client library in between.
func (e *env) tsRequest(ctx context.Context, method, path string, body io.Reader) ([]byte, error) {
	node := strings.Split(e.tsURL, ",")[0]
	req, err := http.NewRequestWithContext(ctx, method, node+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-TYPESENSE-API-KEY", e.tsKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		return nil, fmt.Errorf("typesense %s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(b[:min(len(b), 300)]))
	}
	return b, nil
}

// aliasTarget returns the collection an alias points at.
func (e *env) aliasTarget(ctx context.Context, alias string) (string, error) {
	b, err := e.tsRequest(ctx, "GET", "/aliases/"+alias, nil)
	if err != nil {
		return "", err
	}
	var a struct {
		CollectionName string `json:"collection_name"`
	}
	return a.CollectionName, json.Unmarshal(b, &a)
}

// exportDocs returns every document of a collection as JSONL lines.
func (e *env) exportDocs(ctx context.Context, collection string) ([][]byte, error) {
	b, err := e.tsRequest(ctx, "GET", "/collections/"+collection+"/documents/export", nil)
	if err != nil {
		return nil, err
	}
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	if len(lines) == 1 && len(lines[0]) == 0 {
		return nil, nil
	}
	return lines, nil
}

// cloneCollection creates an empty collection with the fields of `from`.
func (e *env) cloneCollection(ctx context.Context, from, to string) error {
	b, err := e.tsRequest(ctx, "GET", "/collections/"+from, nil)
	if err != nil {
		return err
	}
	var schema map[string]any
	if err := json.Unmarshal(b, &schema); err != nil {
		return err
	}
	keep := map[string]any{"name": to, "fields": schema["fields"]}
	if v, ok := schema["default_sorting_field"]; ok && v != "" {
		keep["default_sorting_field"] = v
	}
	if v, ok := schema["token_separators"]; ok {
		keep["token_separators"] = v
	}
	if v, ok := schema["symbols_to_index"]; ok {
		keep["symbols_to_index"] = v
	}
	body, _ := json.Marshal(keep)
	_, err = e.tsRequest(ctx, "POST", "/collections", bytes.NewReader(body))
	return err
}

// rawTypesenseImport exports the docs of the live episodes collection and imports them into a
// fresh clone of it with plain HTTP bulk imports of `batch` docs on `workers` connections. It
// returns how many docs it imported and the time the import took.
func (e *env) rawTypesenseImport(ctx context.Context, batch, workers int) (int, time.Duration, error) {
	like, err := e.aliasTarget(ctx, e.prefix+"episodes")
	if err != nil {
		return 0, 0, err
	}
	docs, err := e.exportDocs(ctx, like)
	if err != nil {
		return 0, 0, err
	}
	name := fmt.Sprintf("%sraw_%d", e.prefix, time.Now().UnixNano())
	if err := e.cloneCollection(ctx, like, name); err != nil {
		return 0, 0, err
	}
	defer func() { _, _ = e.tsRequest(context.Background(), "DELETE", "/collections/"+name, nil) }()
	start := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i := 0; i < len(docs); i += batch {
		body := bytes.Join(docs[i:min(i+batch, len(docs))], []byte("\n"))
		g.Go(func() error {
			out, err := e.tsRequest(gctx, "POST", "/collections/"+name+"/documents/import?action=upsert", bytes.NewReader(body))
			if err != nil {
				return err
			}
			if bytes.Contains(out, []byte(`"success":false`)) {
				return fmt.Errorf("raw import rejected documents: %.300s", out)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return 0, 0, err
	}
	return len(docs), time.Since(start), nil
}

func dropRawCollections(ctx context.Context, e *env) error {
	b, err := e.tsRequest(ctx, "GET", "/collections", nil)
	if err != nil {
		return err
	}
	var cols []struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(b, &cols); err != nil {
		return err
	}
	for _, c := range cols {
		if strings.HasPrefix(c.Name, e.prefix) {
			_, _ = e.tsRequest(ctx, "DELETE", "/collections/"+c.Name, nil)
		}
	}
	return nil
}

// typesenseMemory returns the server's active memory in bytes (from /metrics.json).
func (e *env) typesenseMemory(ctx context.Context) (float64, error) {
	b, err := e.tsRequest(ctx, "GET", "/metrics.json", nil)
	if err != nil {
		return 0, err
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return 0, err
	}
	var v float64
	_, err = fmt.Sscan(m["typesense_memory_active_bytes"], &v)
	return v, err
}
