package search

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"hark"
)

func TestSearchText(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tt := range []struct {
		name string
		q    string
		want []string
	}{
		{"title", "Armageddon", []string{"bp1", "bp2"}},
		{"one-letter typo", "Armageddan", []string{"bp1", "bp2"}},
		{"prefix of the last word", "Blueprint Armag", []string{"bp1", "bp2"}},
		{"description", "exoplanets", []string{"alien"}},
		{"podcast title", "Hardcore", []string{"bp1", "bp2"}},
		{"publisher", "Carlin", []string{"bp1", "bp2"}},
		{"words in any order", "black holes", []string{"holes", "ozone"}},
		{"quoted phrase keeps the order", `"black holes"`, []string{"holes"}},
		{"accents", "cafe", []string{"cafe"}},
		{"stop words need not match", "the search of the alien life", []string{"alien"}},
		{"descriptions match words as typed", "exoplanits", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := f.search(t, hark.SearchQuery{Q: tt.q})
			if got := f.names(res); !sameSet(got, tt.want) || res.Total != len(tt.want) {
				t.Errorf("Search(%q) = %v (total %d), want %v", tt.q, got, res.Total, tt.want)
			}
		})
	}
}

func TestSearchRanksTitleFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// "holes" is in the title of one episode and the description of another.
	res := f.search(t, hark.SearchQuery{Q: "holes"})
	if got := f.names(res); len(got) == 0 || got[0] != "holes" {
		t.Errorf("Search(holes) = %v, want the title match first", got)
	}
}

// TestSearchKnownTitleWithStopWords checks that dropping stop words from a query keeps a
// known-item search precise: the episode whose title the query is comes first, above episodes
// of better podcasts that share its other words.
func TestSearchKnownTitleWithStopWords(t *testing.T) {
	t.Parallel()
	ix := newTestIndex(t)
	ctx := context.Background()
	small := hark.Podcast{ID: hark.NewID(), Title: "Town Hall Talk", Publisher: "Local", Language: "en", QualityScore: 0.1}
	big := hark.Podcast{ID: hark.NewID(), Title: "Politics Weekly", Publisher: "Big Media", Language: "en", QualityScore: 0.99}
	titles := map[string]string{}
	var eps []hark.Episode
	add := func(p *hark.Podcast, title string) {
		e := hark.Episode{ID: hark.NewID(), PodcastID: p.ID, Title: title, Description: "An episode.", PublishedAt: day("2024-01-01")}
		titles[e.ID] = title
		eps = append(eps, e)
	}
	add(&small, "The Debate")
	add(&small, "Courage in Me")
	for _, t := range []string{"Debate Night Recap", "Debate Prep", "Presidential Debate Analysis", "After the Debate",
		"Courage Under Fire", "Finding Courage"} {
		add(&big, t)
	}
	if n, err := ix.UpsertEpisodes(ctx, eps, map[string]*hark.Podcast{small.ID: &small, big.ID: &big}); err != nil || n != len(eps) {
		t.Fatalf("UpsertEpisodes = %d, %v", n, err)
	}
	for _, tt := range []struct {
		q, want string
		first   bool // else anywhere on the page
	}{
		{"The Debate", "The Debate", true},
		{"the debate", "The Debate", true},
		{"Courage in me", "Courage in Me", true},
		{"After the Debate", "After the Debate", true},
		// With a typo no title matches whole, and a typo match is not an exact one: equal matches
		// rank by quality, where the other podcast is far ahead.
		{"The Dbbate", "The Debate", false},
	} {
		res, err := ix.Search(ctx, hark.SearchQuery{Q: tt.q})
		if err != nil {
			t.Fatalf("Search(%q): %v", tt.q, err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, titles[h.Episode.ID])
		}
		if tt.first && (len(got) == 0 || got[0] != tt.want) {
			t.Errorf("Search(%q) = %q; want %q first", tt.q, got, tt.want)
		}
		if !tt.first && !slices.Contains(got, tt.want) {
			t.Errorf("Search(%q) = %q; want %q among them", tt.q, got, tt.want)
		}
	}
}

// TestSearchPhraseWithTrailingStopWord checks that words typed in a title's order, ending in a
// stop word, rank the title that holds them as a phrase above one that holds the same words in
// another order. Typesense 0.24.1 alone ranks the other first: the glued "shouldwe" sent for "what
// should we" also matches its raw title.
func TestSearchPhraseWithTrailingStopWord(t *testing.T) {
	t.Parallel()
	ix := newTestIndex(t)
	ctx := context.Background()
	p := hark.Podcast{ID: hark.NewID(), Title: "The 80,000 Hours Podcast", Publisher: "The 80,000 Hours team", Language: "en", QualityScore: 0.8}
	titles := map[string]string{}
	var eps []hark.Episode
	for i, title := range []string{
		"#76 - Tara Kirk Sell on misinformation, who's done well and badly, & what we should reopen first",
		"#920: What Should We Be Worried About?",
		"#12 - What to do about climate change",
	} {
		e := hark.Episode{ID: hark.NewID(), PodcastID: p.ID, Title: title, Description: "An interview.",
			PublishedAt: day("2024-01-01").AddDate(0, 0, -i)}
		titles[e.ID] = title
		eps = append(eps, e)
	}
	if n, err := ix.UpsertEpisodes(ctx, eps, map[string]*hark.Podcast{p.ID: &p}); err != nil || n != len(eps) {
		t.Fatalf("UpsertEpisodes = %d, %v", n, err)
	}
	for _, q := range []string{"what should we", "What Should We"} {
		res, err := ix.Search(ctx, hark.SearchQuery{Q: q})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, titles[h.Episode.ID])
		}
		if len(got) < 2 || got[0] != eps[1].Title || got[1] != eps[0].Title {
			t.Errorf("Search(%q) = %q; want %q, then %q", q, got, eps[1].Title, eps[0].Title)
		}
	}
}

func TestSearchHitFields(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	res := f.search(t, hark.SearchQuery{Q: "wormholes"})
	if len(res.Hits) != 1 {
		t.Fatalf("got %d hits, want 1", len(res.Hits))
	}
	h := res.Hits[0]
	want, pod := f.eps["holes"], f.pods["startalk"]
	e := h.Episode
	if e.ID != want.ID || e.PodcastID != pod.ID || e.Title != want.Title || e.AudioURL != want.AudioURL ||
		e.AudioLengthSec != want.AudioLengthSec || !e.PublishedAt.Equal(want.PublishedAt) ||
		!slices.Equal(e.Persons, want.Persons) || !e.UpdatedAt.Equal(want.UpdatedAt) {
		t.Errorf("episode = %+v\nwant %+v", e, want)
	}
	if e.Description != "Neil and Chuck answer your questions about black holes & wormholes." {
		t.Errorf("description = %q, want the plain text", e.Description)
	}
	p := h.Podcast
	if p.ID != pod.ID || p.Title != pod.Title || p.Publisher != pod.Publisher || p.ImageURL != pod.ImageURL ||
		p.Language != "en" || p.Country != "us" || !slices.Equal(p.GenreIDs, pod.GenreIDs) ||
		p.QualityScore != pod.QualityScore || p.FeedURL != pod.FeedURL {
		t.Errorf("podcast = %+v\nwant fields of %+v", p, pod)
	}
	res = f.search(t, hark.SearchQuery{Type: hark.SearchTypePodcast, Q: "startalk"})
	if len(res.Hits) != 1 {
		t.Fatalf("podcast search: got %d hits, want 1", len(res.Hits))
	}
	if p := res.Hits[0].Podcast; p.ID != pod.ID || p.OwnerEmail != pod.OwnerEmail || p.EpisodeCount != pod.EpisodeCount ||
		p.UpdateFreqHours != pod.UpdateFreqHours || p.FeedURL != pod.FeedURL || !p.LatestPubDate.Equal(pod.LatestPubDate) {
		t.Errorf("podcast hit = %+v\nwant fields of %+v", p, pod)
	}
	wantDesc := `Neil and Chuck answer your questions about black holes &amp; <span class="ln-search-highlight">wormholes</span>.`
	if h.DescriptionHighlighted != wantDesc {
		t.Errorf("DescriptionHighlighted = %q\nwant %q", h.DescriptionHighlighted, wantDesc)
	}
	if h.TitleHighlighted != "Cosmic Queries: Black Holes" {
		t.Errorf("TitleHighlighted = %q, want the escaped title", h.TitleHighlighted)
	}
}

func TestSearchHighlights(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	res := f.search(t, hark.SearchQuery{Q: "results election"})
	if len(res.Hits) == 0 || f.name(res.Hits[0]) != "election" {
		t.Fatalf("got %v, want election first", f.names(res))
	}
	h := res.Hits[0]
	if want := `<span class="ln-search-highlight">Election</span> night special`; h.TitleHighlighted != want {
		t.Errorf("TitleHighlighted = %q, want %q", h.TitleHighlighted, want)
	}
	d := h.DescriptionHighlighted
	if strings.Contains(d, "<script") || !strings.Contains(d, "&lt;script&gt;") {
		t.Errorf("DescriptionHighlighted = %q: markup in the text must come back escaped", d)
	}
	if !strings.Contains(d, `<span class="ln-search-highlight">results</span>`) {
		t.Errorf("DescriptionHighlighted = %q, want results highlighted", d)
	}
	if h.PublisherHighlighted != "The New York Times" {
		t.Errorf("PublisherHighlighted = %q", h.PublisherHighlighted)
	}
}

func TestSearchFilters(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	all := []string{"holes", "alien", "election", "ozone", "cafe", "bp1", "bp2"}
	id := func(name string) string { return f.pods[name].ID }
	for _, tt := range []struct {
		name string
		q    hark.SearchQuery
		want []string
	}{
		{"none", hark.SearchQuery{}, all},
		{"len_min", hark.SearchQuery{LenMinMinutes: 30}, []string{"holes", "alien", "bp1", "bp2"}},
		{"len_max", hark.SearchQuery{LenMaxMinutes: 30}, []string{"election", "ozone", "cafe"}},
		{"len_min and len_max", hark.SearchQuery{LenMinMinutes: 26, LenMaxMinutes: 45}, []string{"ozone", "alien"}},
		{"len bounds are inclusive", hark.SearchQuery{LenMinMinutes: 25, LenMaxMinutes: 25}, []string{"election"}},
		{"genre", hark.SearchQuery{GenreIDs: []int{1487}}, []string{"bp1", "bp2"}},
		{"genres", hark.SearchQuery{GenreIDs: []int{1487, 1324}}, []string{"bp1", "bp2", "cafe"}},
		{"published_after", hark.SearchQuery{PublishedAfter: day("2024-01-01")}, []string{"holes", "election"}},
		{"published_before", hark.SearchQuery{PublishedBefore: day("2015-01-01")}, []string{"bp1", "bp2"}},
		{"language", hark.SearchQuery{Language: "fr"}, []string{"cafe"}},
		{"language in upper case", hark.SearchQuery{Language: "FR"}, []string{"cafe"}},
		{"language takes in its regional codes", hark.SearchQuery{Language: "en"}, []string{"holes", "alien", "election", "ozone", "bp1", "bp2"}},
		{"regional language", hark.SearchQuery{Language: "en-GB"}, []string{"bp1", "bp2"}},
		{"regional language matches only that region", hark.SearchQuery{Language: "en-au"}, nil},
		{"region", hark.SearchQuery{Region: "gb"}, []string{"bp1", "bp2"}},
		{"ocid", hark.SearchQuery{OnlyPodcastIDs: []string{id("history"), id("cafe")}}, []string{"bp1", "bp2", "cafe"}},
		{"ncid", hark.SearchQuery{NeverPodcastIDs: []string{id("startalk"), id("daily"), id("history")}}, []string{"cafe"}},
		{"safe_mode", hark.SearchQuery{SafeMode: true}, []string{"holes", "alien", "election", "ozone", "bp1", "bp2"}},
		{"only_in title", hark.SearchQuery{Q: "war", OnlyIn: []string{"title"}}, nil},
		{"only_in description", hark.SearchQuery{Q: "war", OnlyIn: []string{"description"}}, []string{"bp1", "bp2"}},
		{"only_in author", hark.SearchQuery{Q: "daily", OnlyIn: []string{"author"}}, []string{"election", "ozone"}},
		{"combined", hark.SearchQuery{Q: "the", Language: "en", LenMaxMinutes: 30, SafeMode: true}, []string{"election", "ozone"}},
		{"podcast: text", hark.SearchQuery{Type: hark.SearchTypePodcast, Q: "radio"}, []string{"startalk", "cafe"}},
		{"podcast: episode_count_min", hark.SearchQuery{Type: hark.SearchTypePodcast, EpisodeCountMin: 100}, []string{"startalk", "daily"}},
		{"podcast: episode_count_max", hark.SearchQuery{Type: hark.SearchTypePodcast, EpisodeCountMax: 60}, []string{"cafe"}},
		{"podcast: update_freq_max", hark.SearchQuery{Type: hark.SearchTypePodcast, UpdateFreqMax: 100}, []string{"daily"}},
		{"podcast: update_freq_min", hark.SearchQuery{Type: hark.SearchTypePodcast, UpdateFreqMin: 1000}, []string{"history"}},
		{"podcast: safe_mode and genre", hark.SearchQuery{Type: hark.SearchTypePodcast, SafeMode: true, GenreIDs: []int{1324, 1489}}, []string{"daily"}},
		{"podcast: language", hark.SearchQuery{Type: hark.SearchTypePodcast, Language: "en"}, []string{"startalk", "daily", "history"}},
		{"podcast: regional language", hark.SearchQuery{Type: hark.SearchTypePodcast, Language: "en-us"}, []string{"daily"}},
		{"podcast: ncid", hark.SearchQuery{Type: hark.SearchTypePodcast, NeverPodcastIDs: []string{id("daily")}}, []string{"startalk", "cafe", "history"}},
		{"podcast: len_min is for episodes", hark.SearchQuery{Type: hark.SearchTypePodcast, Region: "us", LenMinMinutes: 1000}, []string{"startalk", "daily"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := f.search(t, tt.q)
			if got := f.names(res); !sameSet(got, tt.want) || res.Total != len(tt.want) {
				t.Errorf("got %v (total %d), want %v", got, res.Total, tt.want)
			}
		})
	}
}

// TestSearchHostileFilters: values that try to widen the filter are refused before they reach
// Typesense, and nothing leaks into the results.
func TestSearchHostileFilters(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.pods["cafe"].ID
	for _, tt := range []struct {
		name string
		q    hark.SearchQuery
	}{
		{"language with ||", hark.SearchQuery{Language: "en || explicit:true"}},
		{"language closing a backtick", hark.SearchQuery{Language: "en` || language:`fr"}},
		{"region with &&", hark.SearchQuery{Region: "us&&x"}},
		{"region closing a backtick", hark.SearchQuery{Region: "u`"}},
		{"ocid with backticks", hark.SearchQuery{OnlyPodcastIDs: []string{id + "`] || podcast_id:!=[`x"}}},
		{"ncid with a comma", hark.SearchQuery{NeverPodcastIDs: []string{id + "," + id}}},
		{"ocid not an ID", hark.SearchQuery{OnlyPodcastIDs: []string{"*"}}},
		{"only_in a field name", hark.SearchQuery{OnlyIn: []string{"audio,title"}}},
		{"negative genre", hark.SearchQuery{GenreIDs: []int{-1}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := tt.q
			q.SafeMode = true
			res, err := f.ix.Search(context.Background(), q)
			if !errors.Is(err, hark.ErrInvalid) {
				t.Errorf("Search = %v, %v; want ErrInvalid", res, err)
			}
			if hark.ErrorMessage(err) == "" {
				t.Errorf("error %v has no message for users", err)
			}
		})
	}
}

func TestSearchUniquePodcasts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	res := f.search(t, hark.SearchQuery{UniquePodcasts: true})
	seen := map[string]bool{}
	for _, h := range res.Hits {
		if seen[h.Podcast.ID] {
			t.Errorf("podcast %s twice in %v", h.Podcast.Title, f.names(res))
		}
		seen[h.Podcast.ID] = true
	}
	if len(res.Hits) != 4 || res.Total != 4 {
		t.Errorf("got %v (total %d), want one episode of each of 4 podcasts", f.names(res), res.Total)
	}
	res = f.search(t, hark.SearchQuery{Q: "armageddon", UniquePodcasts: true})
	if len(res.Hits) != 1 || res.Total != 1 {
		t.Errorf("armageddon: got %v (total %d), want one", f.names(res), res.Total)
	}
}

func TestSearchSortAndPaging(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	byDate := []string{"election", "holes", "alien", "cafe", "ozone", "bp2", "bp1"}
	for _, tt := range []struct {
		offset, size int
	}{
		{0, 0}, {0, 3}, {3, 3}, {6, 3}, {1, 2}, {3, 2}, {5, 4}, {2, 1}, {7, 3}, {100, 10},
	} {
		res := f.search(t, hark.SearchQuery{SortByDate: true, Offset: tt.offset, PageSize: tt.size})
		size := cmpOr(tt.size, PageSizeDefault)
		want := byDate[min(tt.offset, len(byDate)):min(tt.offset+size, len(byDate))]
		if got := f.names(res); !slices.Equal(got, want) || res.Total != len(byDate) {
			t.Errorf("offset %d size %d: got %v (total %d), want %v (total %d)", tt.offset, tt.size, got, res.Total, want, len(byDate))
		}
	}
	res := f.search(t, hark.SearchQuery{Type: hark.SearchTypePodcast, SortByDate: true})
	if res.Total != 4 {
		t.Errorf("podcasts by date: total %d, want 4", res.Total)
	}
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}
