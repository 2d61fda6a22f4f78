package search

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"hark"
)

func TestPlanSearchInvalid(t *testing.T) {
	t.Parallel()
	for _, q := range []hark.SearchQuery{
		{Type: "show"},
		{Q: strings.Repeat("a", maxQueryBytes+1)},
		{OnlyIn: []string{"everything"}},
		{PageSize: -1},
		{PageSize: maxPageSize + 1},
		{Offset: -1},
		{LenMinMinutes: -5},
		{LenMinMinutes: 30, LenMaxMinutes: 10},
		{PublishedAfter: day("2024-01-01"), PublishedBefore: day("2023-01-01")},
		{Type: hark.SearchTypePodcast, EpisodeCountMin: 10, EpisodeCountMax: 5},
		{Type: hark.SearchTypePodcast, UpdateFreqMin: -1},
	} {
		if _, err := planSearch(&q, nil); !errors.Is(err, hark.ErrInvalid) || hark.ErrorMessage(err) == "" {
			t.Errorf("planSearch(%+v) = %v, want ErrInvalid with a message", q, err)
		}
	}
}

func TestBuildFilterQuotesValues(t *testing.T) {
	t.Parallel()
	id1, id2 := hark.NewID(), hark.NewID()
	q := hark.SearchQuery{
		Language: "pt-BR", Region: "BR", OnlyPodcastIDs: []string{id1}, NeverPodcastIDs: []string{id2},
		GenreIDs: []int{1301, 1303}, SafeMode: true, LenMinMinutes: 1, LenMaxMinutes: 2,
		PublishedAfter: time.Unix(100, 0), PublishedBefore: time.Unix(200, 0),
	}
	got, err := buildFilter(&q, kindEpisodes)
	if err != nil {
		t.Fatal(err)
	}
	want := "audio_length_sec:>=60 && audio_length_sec:<=120 && genre_ids:[1301,1303] && published_at:>100 && " +
		"published_at:<200 && languages:=`pt-br` && country:=`br` && podcast_id:=[`" + id1 + "`] && " +
		"podcast_id:!=[`" + id2 + "`] && explicit:=false"
	if got != want {
		t.Errorf("buildFilter =\n%s\nwant\n%s", got, want)
	}
}

func TestPageWindow(t *testing.T) {
	t.Parallel()
	for offset := range 2000 {
		for _, size := range []int{1, 2, 3, 7, 10, 25, 100, 250} {
			w, err := pageWindow(offset, size)
			if err != nil {
				t.Fatalf("pageWindow(%d, %d): %v", offset, size, err)
			}
			if first := (w.page-1)*w.perPage + w.skip; first != offset || w.size != size ||
				w.skip+w.size > w.pages*w.perPage || w.perPage > maxPageSize {
				t.Fatalf("pageWindow(%d, %d) = %+v", offset, size, w)
			}
			if size <= 10 && offset < 1000 && w.pages != 1 {
				t.Errorf("pageWindow(%d, %d) = %+v, want one page for Listen API sizes", offset, size, w)
			}
		}
	}
}

// TestSearchPagingTwoPages: a page size and offset that no single Typesense page can serve.
func TestSearchPagingTwoPages(t *testing.T) {
	t.Parallel()
	ix := newTestIndex(t)
	p := &hark.Podcast{ID: hark.NewID(), Title: "Many"}
	var eps []hark.Episode
	for i := range 300 {
		eps = append(eps, hark.Episode{ID: hark.NewID(), PodcastID: p.ID, Title: "episode", PublishedAt: time.Unix(int64(1e9-i*1000), 0)})
	}
	if _, err := ix.UpsertEpisodes(context.Background(), eps, map[string]*hark.Podcast{p.ID: p}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ offset, size, want int }{{7, 250, 250}, {60, 250, 240}, {299, 250, 1}} {
		if w, _ := pageWindow(tt.offset, tt.size); w.pages != 2 {
			t.Fatalf("window %+v: want two pages", w)
		}
		res, err := ix.Search(context.Background(), hark.SearchQuery{SortByDate: true, Offset: tt.offset, PageSize: tt.size})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != tt.want || res.Total != 300 {
			t.Fatalf("offset %d: %d hits (total %d), want %d", tt.offset, len(res.Hits), res.Total, tt.want)
		}
		for i, h := range res.Hits {
			if h.Episode.ID != eps[tt.offset+i].ID {
				t.Fatalf("offset %d: hit %d is not episode %d", tt.offset, i, tt.offset+i)
			}
		}
	}
}
