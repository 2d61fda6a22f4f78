package search

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/typesense/typesense-go/v3/typesense/api"

	"hark"
	"hark/search/terms"
)

// PageSizeDefault is the page size of a SearchQuery that gives none.
const PageSizeDefault = 10

const (
	maxPageSize   = 250 // Typesense's largest per_page
	maxQueryBytes = 512
	snippetTokens = 20 // words shown each side of a match in a description snippet
)

// episodeCandidates is max_candidates for episode searches: how many spellings (typo
// corrections and completions of the last word) Typesense tries for each query word, default 4.
// Each is a pass over the posting lists of the other words, and a word like "the" is in half a
// million episode titles, so with 4 a two-word title with a typo ("The Etbryo") was slow. 2
// halves the slowest queries' time and keeps recall over the bench's eval set all but
// unchanged (see the README's "How it works").
const episodeCandidates = 2

// searchField is a field that free text is matched against, with its weight, the typos a word
// may have to match in it, and the only_in value that selects it.
type searchField struct {
	name   string
	weight int
	typos  int
	onlyIn string
}

// Title matches rank first: Typesense ranks by the best-matching field's weight, then by how many
// fields matched. Typos are forgiven in names and titles, where people misspell what they look
// for; long texts (descriptions, transcripts) match words as typed: looking for typo variants of
// every word in a million descriptions made a long known-item query several times slower, and
// found nothing the title did not. An episode's title_key holds the glued forms of its stop
// words (see terms.GlueTitle) and forgives one typo, not two: a glued word of a query that no
// title holds ("withplay", typed out of order) read with two typos as another title's
// ("withally") and ranked that title alone first, while one typo still lets "theotxer" find
// "theother"; the title field forgives two in the words themselves.
var (
	episodeFields = []searchField{
		{"title", 8, 2, "title"},
		{"title_key", 8, 1, "title"}, // see terms.DropStopWords
		{"podcast_title", 4, 2, "author"},
		{"description", 2, 0, "description"},
		{"publisher", 2, 2, "author"},
		{"persons", 2, 1, ""},
		{"transcript", 1, 0, "audio"},
	}
	podcastFields = []searchField{
		{"title", 8, 2, "title"},
		{"title_key", 8, 2, "title"}, // folded, see terms.Fold
		{"publisher", 3, 2, "author"},
		{"description", 2, 0, "description"},
	}
	onlyInValues = []string{"title", "description", "author", "audio"}

	// allFields is what queryFields returns without only_in, per kind: most searches, worked
	// out once.
	allFields = map[string]queryFieldSpec{
		kindEpisodes: queryFieldsOf(episodeFields),
		kindPodcasts: queryFieldsOf(podcastFields),
	}
	// titleFields are an episode's title fields: the titles-only search of titleFirst.
	titleFields = func() queryFieldSpec {
		by, w, t, _ := queryFields(episodeFields, []string{"title"})
		return queryFieldSpec{by, w, t}
	}()
)

type queryFieldSpec struct{ queryBy, weights, typos string }

func queryFieldsOf(fields []searchField) queryFieldSpec {
	by, w, t, _ := queryFields(fields, nil) // fails only on a bad only_in
	return queryFieldSpec{by, w, t}
}

// searchPlan is a SearchQuery made into Typesense parameters, and how to cut the requested window
// out of the page that comes back.
type searchPlan struct {
	kind   string
	params *api.SearchCollectionParams
	// titles is the same search in titles alone with every word required, run beside params
	// when the plan ranks titles that hold every word first (see titleFirst); nil otherwise.
	titles *api.SearchCollectionParams
	// phrase is the query's words as typed, folded, stop words kept: of the titles that hold
	// every word, those that hold them as this phrase rank first (see runTitleFirst).
	phrase string
	window
}

// planSearch checks q and turns it into Typesense parameters. Returns ErrInvalid, in words for the
// user, for bad input.
func planSearch(q *hark.SearchQuery, common map[string]bool) (*searchPlan, error) {
	kind, fields, err := kindOf(q)
	if err != nil {
		return nil, err
	}
	if len(strings.TrimSpace(q.Q)) > maxQueryBytes {
		return nil, hark.Errorf(hark.ErrInvalid, "q is too long: at most %d characters", maxQueryBytes)
	}
	text := terms.FoldQuery(q.Q)
	if text == "" {
		text = "*" // Typesense's match-all
	}
	if kind == kindEpisodes {
		text = terms.DropStopWords(terms.ArrangeQuery(text), common)
	}
	all := allFields[kind]
	queryBy, weights, typos := all.queryBy, all.weights, all.typos
	if len(q.OnlyIn) > 0 {
		if queryBy, weights, typos, err = queryFields(fields, q.OnlyIn); err != nil {
			return nil, err
		}
	}
	filter, err := buildFilter(q, kind)
	if err != nil {
		return nil, err
	}
	win, err := pageWindow(q.Offset, q.PageSize)
	if err != nil {
		return nil, err
	}
	p := &api.SearchCollectionParams{
		Q:                       &text,
		QueryBy:                 &queryBy,
		QueryByWeights:          &weights,
		NumTypos:                &typos,
		Prefix:                  new("true"), // the last word may be unfinished
		SortBy:                  new(sortBy(kind, q.SortByDate)),
		Page:                    &win.page,
		PerPage:                 &win.perPage,
		HighlightFields:         new("title,description,publisher"),
		HighlightFullFields:     new("title,publisher"),
		HighlightStartTag:       new(markStart),
		HighlightEndTag:         new(markEnd),
		HighlightAffixNumTokens: new(snippetTokens),
	}
	if filter != "" {
		p.FilterBy = &filter
	}
	p.ExcludeFields = new("title_key") // title_key only serves matching
	if kind == kindEpisodes {
		p.ExcludeFields = new("transcript,title_key")
		p.MaxCandidates = new(episodeCandidates)
		if q.UniquePodcasts {
			p.GroupBy, p.GroupLimit = new("podcast_id"), new(1)
		}
	}
	plan := &searchPlan{kind: kind, params: p, window: win}
	if titleFirst(q, kind, text, win) {
		plan.rankTitlesFirst(q.Offset)
		plan.phrase = terms.Fold(q.Q)
	}
	return plan, nil
}

// titleFirstDepth is how deep into the results titles that hold every word are ranked first.
// Every window that ends within it reads the same merged list, so pages neither repeat nor skip a
// hit; a window that ends past it is read in Typesense's order alone (a page there would read
// the IDs of every hit before it twice).
const titleFirstDepth = maxPageSize

// Typesense 0.24.1 scores a hit by the words it holds across all the fields searched and by the
// best proximity of any one field, with the field's weight only a tie-break in the lowest bits.
// So an episode whose title holds one word of "bombcast edition giant" and whose show notes hold
// all three close together outranks one titled "Giant Bombcast Capcom Edition" (newer servers
// have text_match_type for this; 0.24.1 does not). Hark runs the same search in titles alone
// with every word required next to it, at the same time, and puts the titles that hold every
// word first, in that search's order (the title's own match, then quality, then date), then the
// other hits in the full search's order.
//
// titleFirst reports whether q's results are ranked that way: episode searches by relevance of
// two or more words where titles are searched, whose window ends within titleFirstDepth. One
// word cannot be split between title and show notes, a date sort has no relevance to fix, and
// a search with one hit per podcast groups in Typesense.
func titleFirst(q *hark.SearchQuery, kind, text string, win window) bool {
	if kind != kindEpisodes || q.SortByDate || q.UniquePodcasts || q.Offset+win.size > titleFirstDepth {
		return false
	}
	if len(q.OnlyIn) > 0 && !slices.Contains(q.OnlyIn, "title") {
		return false
	}
	words := 0
	for _, w := range strings.Fields(text) {
		if w[0] != '-' {
			words++
		}
	}
	return words >= 2
}

// rankTitlesFirst makes p and its titles-only twin read the results from the first up to the
// end of the window: the window's share of the merged list may come from either.
func (plan *searchPlan) rankTitlesFirst(offset int) {
	end := offset + plan.size
	plan.params.Page, plan.params.PerPage = new(1), new(end)
	plan.window = window{page: 1, perPage: end, pages: 1, skip: offset, size: plan.size}
	t := *plan.params
	by := titleFields
	t.QueryBy, t.QueryByWeights = &by.queryBy, &by.weights
	t.DropTokensThreshold = new(0) // every word, or not a title match
	t.Prefix = new("false")        // whole words: "burn out" is not a title with "outside" in it
	t.NumTypos = new("0")          // as typed: a word with a typo is in no show notes either
	plan.titles = idsOnly(&t)
	plan.titles.IncludeFields = new("id,title") // the title: does it hold the phrase?
}

// idsOnly returns p asking for the hits' IDs alone, without documents or highlights.
func idsOnly(p *api.SearchCollectionParams) *api.SearchCollectionParams {
	ids := *p
	ids.IncludeFields, ids.ExcludeFields, ids.HighlightFields = new("id"), nil, new("none")
	ids.HighlightFullFields = nil
	return &ids
}

func kindOf(q *hark.SearchQuery) (string, []searchField, error) {
	switch q.Type {
	case "", hark.SearchTypeEpisode:
		return kindEpisodes, episodeFields, nil
	case hark.SearchTypePodcast:
		return kindPodcasts, podcastFields, nil
	}
	return "", nil, hark.Errorf(hark.ErrInvalid, "type must be %q or %q", hark.SearchTypeEpisode, hark.SearchTypePodcast)
}

// queryFields returns query_by, query_by_weights and num_typos: the fields selected by onlyIn,
// or all. "audio" selects nothing in podcasts; when nothing is left, all fields are searched.
func queryFields(fields []searchField, onlyIn []string) (queryBy, weights, typos string, err error) {
	for _, o := range onlyIn {
		if !slices.Contains(onlyInValues, o) {
			return "", "", "", hark.Errorf(hark.ErrInvalid, "only_in: %q is not one of title, description, author, audio", o)
		}
	}
	var names, ws, ts []string
	for _, f := range fields {
		if len(onlyIn) == 0 || f.onlyIn != "" && slices.Contains(onlyIn, f.onlyIn) {
			names = append(names, f.name)
			ws = append(ws, strconv.Itoa(f.weight))
			ts = append(ts, strconv.Itoa(f.typos))
		}
	}
	if len(names) == 0 {
		return queryFields(fields, nil)
	}
	return strings.Join(names, ","), strings.Join(ws, ","), strings.Join(ts, ","), nil
}

func sortBy(kind string, byDate bool) string {
	date := "published_at"
	if kind == kindPodcasts {
		date = "latest_pub_date"
	}
	if byDate {
		return date + ":desc"
	}
	return "_text_match:desc,quality:desc," + date + ":desc"
}

// window is where a Listen API offset and page size fall in Typesense's pages.
type window struct {
	page, perPage int
	pages         int // 1, or 2 when the window straddles two pages
	skip, size    int // hits to drop from the front, then to keep
}

// pageWindow maps a Listen API offset and page size onto Typesense's page and per_page: 0.24.1
// ignores offset/limit (newer servers take them). It picks the smallest per_page from size up that
// puts the whole window [offset, offset+size) on one page. When there is none up to 250 (a big
// page size and an offset not a multiple of it), it reads two pages.
func pageWindow(offset, size int) (window, error) {
	if size == 0 {
		size = PageSizeDefault
	}
	if size < 0 || size > maxPageSize {
		return window{}, hark.Errorf(hark.ErrInvalid, "page_size must be between 1 and %d", maxPageSize)
	}
	if offset < 0 {
		return window{}, hark.Errorf(hark.ErrInvalid, "offset must not be negative")
	}
	for per := size; per <= maxPageSize; per++ {
		if offset/per == (offset+size-1)/per {
			return window{page: offset/per + 1, perPage: per, pages: 1, skip: offset % per, size: size}, nil
		}
	}
	return window{page: offset/size + 1, perPage: size, pages: 2, skip: offset % size, size: size}, nil
}

// searchCutoffShare is the share of the query timeout after which Typesense stops looking and
// returns the best hits found so far (search_cutoff_ms; Total is then a lower bound). Without it,
// a search past the timeout got a 503 while Typesense went on working for nobody, and under load
// those abandoned searches slowed everyone else's.
const searchCutoffShare = 0.6

// plan is planSearch with this index's common terms and search cutoff.
func (ix *Index) plan(q *hark.SearchQuery) (*searchPlan, error) {
	plan, err := planSearch(q, ix.commonWords())
	if err != nil {
		return nil, err
	}
	plan.params.SearchCutoffMs = ix.searchCutoff()
	return plan, nil
}

// searchCutoff is the search_cutoff_ms of this index's searches and suggestions, nil for none.
func (ix *Index) searchCutoff() *int {
	if cutoff := int(float64(ix.cfg.QueryTimeout.Milliseconds()) * searchCutoffShare); cutoff > 0 {
		return &cutoff
	}
	return nil
}

// Search runs q against the episodes or podcasts collection and returns one page of hits, with
// Total the number of matches (of podcasts when UniquePodcasts is set). Hits carry what a result
// page shows, read from the index alone. Returns ErrInvalid for bad input and ErrUnavailable when
// Typesense does not answer within the query timeout; when ctx is cancelled first, it returns at
// once with an error that wraps ctx.Err().
func (ix *Index) Search(ctx context.Context, q hark.SearchQuery) (*hark.SearchResult, error) {
	plan, err := ix.plan(&q)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	ctx, cancel := ix.queryContext(ctx)
	defer cancel()
	collection := ix.alias(plan.kind)
	var hits []hark.SearchHit
	var found int
	switch {
	case plan.kind == kindPodcasts:
		hits, found, err = runLean(ctx, ix, plan, collection, podcastHit)
	case plan.titles != nil:
		hits, found, err = runTitleFirst(ctx, ix, plan, collection)
	default:
		hits, found, err = runLean(ctx, ix, plan, collection, episodeHit)
	}
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", plan.kind, err)
	}
	return &hark.SearchResult{Total: found, Hits: hits, Took: time.Since(start)}, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// searchValues returns the Typesense search parameters Search sends for q (for its first page,
// when the window spans two) and the collection kind they go to, kindEpisodes or kindPodcasts
// without the index prefix. For tests and the bench (searchtest.SearchValues).
func (ix *Index) searchValues(q hark.SearchQuery) (url.Values, string, error) {
	plan, err := ix.plan(&q)
	if err != nil {
		return nil, "", err
	}
	v, err := url.ParseQuery(searchQuery(plan.params))
	return v, plan.kind, err
}
