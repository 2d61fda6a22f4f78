package search

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	json "github.com/goccy/go-json"
	"github.com/typesense/typesense-go/v3/typesense/api"

	"hark"
)

// Sizes stay modest: the benchmarks run against a real server on small machines.
const (
	benchImportDocs = 1000
	benchSearchDocs = 3000
)

var benchWords = strings.Fields(`space history music crime news science comedy health business
	technology politics football climate ocean startup design coffee travel mystery galaxy planet
	election economy interview story culture film book garden cooking family money war peace`)

// benchEpisodes makes n episodes over n/20 podcasts, with titles and HTML descriptions drawn
// from benchWords.
func benchEpisodes(n int) ([]hark.Episode, map[string]*hark.Podcast) {
	rnd := rand.New(rand.NewPCG(1, 2))
	words := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = benchWords[rnd.IntN(len(benchWords))]
		}
		return strings.Join(w, " ")
	}
	pods := map[string]*hark.Podcast{}
	var ids []string
	for range max(n/20, 1) {
		p := &hark.Podcast{ID: hark.NewID(), Title: words(3), Publisher: words(2), Language: "en", Country: "us",
			GenreIDs: []int{hark.Genres[rnd.IntN(len(hark.Genres))].ID}, QualityScore: rnd.Float64()}
		pods[p.ID] = p
		ids = append(ids, p.ID)
	}
	eps := make([]hark.Episode, n)
	for i := range eps {
		eps[i] = hark.Episode{
			ID: hark.NewID(), PodcastID: ids[i%len(ids)], Title: words(6),
			Description:    "<p>" + words(60) + "</p><p>" + words(60) + "</p>",
			AudioURL:       "https://example.com/a.mp3",
			AudioLengthSec: rnd.IntN(7200), PublishedAt: time.Unix(1.6e9+rnd.Int64N(1e8), 0),
		}
	}
	return eps, pods
}

func reportDocsPerSecond(b *testing.B, docs int) {
	b.ReportMetric(float64(docs)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkImportRaw is typesense-go's bulk import of prebuilt documents, the floor for
// BenchmarkUpsertEpisodes.
func BenchmarkImportRaw(b *testing.B) {
	ix := newTestIndex(b)
	eps, pods := benchEpisodes(benchImportDocs)
	docs := make([]any, len(eps))
	for i := range eps {
		docs[i] = newEpisodeDoc(&eps[i], pods[eps[i].PodcastID])
	}
	coll := ix.client.Collection(ix.alias(kindEpisodes)).Documents()
	ctx := context.Background()
	n := 0
	for b.Loop() {
		res, err := coll.Import(ctx, docs, &api.ImportDocumentsParams{Action: new(api.Upsert), BatchSize: new(importBatch)})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res {
			if !r.Success {
				b.Fatalf("import refused a document: %s", r.Error)
			}
		}
		n += len(docs)
	}
	reportDocsPerSecond(b, n)
}

// BenchmarkUpsertEpisodes is the same import through the package: building documents (HTML to
// text) and checking each answer line.
func BenchmarkUpsertEpisodes(b *testing.B) {
	ix := newTestIndex(b)
	eps, pods := benchEpisodes(benchImportDocs)
	ctx := context.Background()
	n := 0
	for b.Loop() {
		written, err := ix.UpsertEpisodes(ctx, eps, pods)
		if err != nil || written != len(eps) {
			b.Fatalf("UpsertEpisodes = %d, %v", written, err)
		}
		n += written
	}
	reportDocsPerSecond(b, n)
}

func seededIndex(b *testing.B) *Index {
	ix := newTestIndex(b)
	eps, pods := benchEpisodes(benchSearchDocs)
	if _, err := ix.UpsertEpisodes(context.Background(), eps, pods); err != nil {
		b.Fatal(err)
	}
	return ix
}

// benchQueries are two-word queries, the last word unfinished as a user types it.
func benchQueries() []string {
	var qs []string
	for i, w := range benchWords {
		next := benchWords[(i*7+3)%len(benchWords)]
		qs = append(qs, fmt.Sprintf("%s %s", w, next[:max(3, len(next)-2)]))
	}
	return qs
}

// BenchmarkSearch is an episode search through the package, hits mapped and highlighted.
func BenchmarkSearch(b *testing.B) {
	ix := seededIndex(b)
	qs := benchQueries()
	ctx := context.Background()
	i := 0
	for b.Loop() {
		res, err := ix.Search(ctx, hark.SearchQuery{Q: qs[i%len(qs)], SafeMode: true, LenMinMinutes: 5})
		if err != nil {
			b.Fatal(err)
		}
		if res.Total == 0 {
			b.Fatalf("no hits for %q", qs[i%len(qs)])
		}
		i++
	}
}

// BenchmarkSearchRaw is the same search with typesense-go alone.
func BenchmarkSearchRaw(b *testing.B) {
	ix := seededIndex(b)
	qs := benchQueries()
	coll := ix.client.Collection(ix.alias(kindEpisodes)).Documents()
	ctx := context.Background()
	i := 0
	for b.Loop() {
		res, err := coll.Search(ctx, &api.SearchCollectionParams{
			Q:                       new(qs[i%len(qs)]),
			QueryBy:                 new("title,podcast_title,description,publisher,persons,transcript"),
			QueryByWeights:          new("8,4,2,2,2,1"),
			FilterBy:                new("audio_length_sec:>=300 && explicit:=false"),
			SortBy:                  new("_text_match:desc,quality:desc,published_at:desc"),
			PerPage:                 new(10),
			ExcludeFields:           new("transcript,title_key"),
			HighlightFields:         new("title,description,publisher"),
			HighlightFullFields:     new("title,publisher"),
			HighlightAffixNumTokens: new(snippetTokens),
		})
		if err != nil {
			b.Fatal(err)
		}
		if deref(res.Found) == 0 {
			b.Fatalf("no hits for %q", qs[i%len(qs)])
		}
		i++
	}
}

// BenchmarkSearchReply is Hark's own work on one page of hits: decoding Typesense's reply and
// turning the hits into SearchHits with their highlights. The reply is fetched once.
func BenchmarkSearchReply(b *testing.B) {
	ix := seededIndex(b)
	plan, err := planSearch(&hark.SearchQuery{Q: "history mus"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodGet, ix.cfg.Nodes[0]+"/collections/"+ix.alias(kindEpisodes)+
		"/documents/search?"+searchQuery(plan.params), nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("X-TYPESENSE-API-KEY", ix.cfg.APIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	reply, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("status %d, %v: %s", resp.StatusCode, err, reply)
	}
	b.SetBytes(int64(len(reply)))
	b.ReportAllocs()
	for b.Loop() {
		var res leanResult[episodeDoc]
		if err := json.Unmarshal(reply, &res); err != nil {
			b.Fatal(err)
		}
		hits := res.hits()
		if len(hits) == 0 {
			b.Fatal("no hits")
		}
		for i := range hits {
			if h := episodeHit(&hits[i]); h.TitleHighlighted == "" {
				b.Fatalf("hit %d has no highlighted title", i)
			}
		}
	}
}
