package search

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	json "github.com/goccy/go-json"
	"github.com/typesense/typesense-go/v3/typesense"
	"github.com/typesense/typesense-go/v3/typesense/api"
	"golang.org/x/sync/errgroup"

	"hark"
	"hark/search/terms"
)

// Searches skip typesense-go's response decoding: it unmarshals every document into
// map[string]any, a large share of the API's CPU time per search. searchLean sends the request
// with the transport's Get (fasthttp) and decodes the documents straight into episodeDoc or
// podcastDoc with goccy/go-json, several times faster than encoding/json on a page of hits.

// leanResult is the part of a Typesense search response Hark reads.
type leanResult[D any] struct {
	Found       int          `json:"found"`
	Hits        []leanHit[D] `json:"hits"`
	GroupedHits []struct {
		Hits []leanHit[D] `json:"hits"`
	} `json:"grouped_hits"`
}

// leanHit is one hit: the document and, per field, the text with matches marked. Hark reads the
// "highlight" object and asks Typesense not to send the older "highlights" list as well
// (enable_highlight_v1=false), which only makes a page of hits bigger. The fields are those
// planSearch asks to highlight; a struct decodes faster than a map of them.
type leanHit[D any] struct {
	Document  D `json:"document"`
	Highlight struct {
		Title       fieldMark `json:"title"`
		Description fieldMark `json:"description"`
		Publisher   fieldMark `json:"publisher"`
	} `json:"highlight"`
}

// fieldMark is one field's highlight: the whole value when highlight_full_fields names the field,
// and a snippet around the matches.
type fieldMark struct {
	Snippet string `json:"snippet"`
	Value   string `json:"value"`
}

// marked returns the full marked value where there is one, else the snippet ("" when the field
// did not match).
func (m *fieldMark) marked() string {
	if m.Value != "" {
		return m.Value
	}
	return m.Snippet
}

// hits returns the hits of a page; of a grouped page, the first hit of each group.
func (r *leanResult[D]) hits() []leanHit[D] {
	if r.GroupedHits != nil {
		out := make([]leanHit[D], 0, len(r.GroupedHits))
		for _, g := range r.GroupedHits {
			if len(g.Hits) > 0 {
				out = append(out, g.Hits[0])
			}
		}
		return out
	}
	return r.Hits
}

// searchLean runs one search request against collection and decodes the answer into D.
func searchLean[D any](ctx context.Context, ix *Index, collection string, p *api.SearchCollectionParams) (*leanResult[D], error) {
	var res leanResult[D]
	err := ix.search.Get(ctx, "/collections/"+url.PathEscape(collection)+"/documents/search?"+searchQuery(p),
		func(status int, body []byte) error {
			if status != http.StatusOK {
				return replyError(status, body[:min(len(body), 4096)], collection)
			}
			if err := json.Unmarshal(body, &res); err != nil { // copies body: nothing decoded points into it
				return fmt.Errorf("%w: typesense reply: %w", hark.ErrUnavailable, err)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// replyError is the error for a search Typesense answered with status and body: what
// interpretError makes of it, except that a missing collection is the index being unavailable,
// not a 404 the API would pass on.
func replyError(status int, body []byte, collection string) error {
	if status == http.StatusNotFound {
		return fmt.Errorf("%w: collection %s is missing; EnsureCollections creates it", hark.ErrUnavailable, collection)
	}
	return interpretError(&typesense.HTTPError{Status: status, Body: body})
}

// searchQuery encodes the parameters planSearch sets as a URL query, in a fixed order (building
// url.Values and encoding them cost a map and a sort per search).
func searchQuery(p *api.SearchCollectionParams) string {
	var b strings.Builder
	b.Grow(1024)
	add := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		writeQueryEscaped(&b, v)
	}
	set := func(k string, s *string) {
		if s != nil {
			add(k, *s)
		}
	}
	setInt := func(k string, n *int) {
		if n != nil {
			add(k, strconv.Itoa(*n))
		}
	}
	set("q", p.Q)
	set("query_by", p.QueryBy)
	set("query_by_weights", p.QueryByWeights)
	set("prefix", p.Prefix)
	set("sort_by", p.SortBy)
	set("filter_by", p.FilterBy)
	set("highlight_fields", p.HighlightFields)
	set("highlight_full_fields", p.HighlightFullFields)
	set("highlight_start_tag", p.HighlightStartTag)
	set("highlight_end_tag", p.HighlightEndTag)
	set("exclude_fields", p.ExcludeFields)
	set("include_fields", p.IncludeFields)
	set("group_by", p.GroupBy)
	setInt("group_limit", p.GroupLimit)
	setInt("highlight_affix_num_tokens", p.HighlightAffixNumTokens)
	setInt("page", p.Page)
	setInt("per_page", p.PerPage)
	set("num_typos", p.NumTypos)
	add("enable_highlight_v1", "false") // see leanHit
	setInt("max_candidates", p.MaxCandidates)
	setInt("drop_tokens_threshold", p.DropTokensThreshold)
	setInt("search_cutoff_ms", p.SearchCutoffMs)
	return b.String()
}

// writeQueryEscaped writes url.QueryEscape(s) to b without building it first: escaping each
// parameter into a string of its own was a tenth of the time Hark spent on a search before the
// request went out.
func writeQueryEscaped(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
}

// episode rebuilds the episode of a hit. Description is the indexed plain text.
func (d *episodeDoc) episode() *hark.Episode {
	return &hark.Episode{
		ID: d.ID, PodcastID: d.PodcastID, GUID: d.GUID, Title: d.Title, Description: d.Description,
		AudioURL: d.Audio, AudioType: d.AudioType, AudioSize: d.AudioSize,
		AudioLengthSec: d.AudioLengthSec, PublishedAt: fromUnix(d.PublishedAt),
		Explicit: d.EpisodeExplicit, ImageURL: d.Image, Link: d.Link, Season: d.Season,
		Number: d.Number, EpisodeType: d.EpisodeType, TranscriptURL: d.TranscriptURL,
		ChaptersURL: d.ChaptersURL, Persons: d.Persons, UpdatedAt: fromUnix(d.UpdatedAt),
	}
}

// podcast rebuilds the podcast fields an episode hit carries.
func (d *episodeDoc) podcast() *hark.Podcast {
	return &hark.Podcast{
		ID: d.PodcastID, FeedURL: d.PodcastFeedURL, Title: d.PodcastTitle, Publisher: d.Publisher,
		ImageURL: d.PodcastImage, WebsiteURL: d.PodcastWebsite, Language: d.Language,
		Country: d.Country, Explicit: d.PodcastExplicit, GenreIDs: d.GenreIDs, QualityScore: d.Quality,
	}
}

// podcast rebuilds the podcast of a podcast hit. Description is plain text.
func (d *podcastDoc) podcast() *hark.Podcast {
	return &hark.Podcast{
		ID: d.ID, FeedURL: d.FeedURL, Title: d.Title, Publisher: d.Publisher,
		Description: d.Description, ImageURL: d.Image, WebsiteURL: d.Website, Language: d.Language,
		Country: d.Country, Explicit: d.Explicit, GenreIDs: d.GenreIDs, Type: d.Type,
		PodcastGUID: d.PodcastGUID, EpisodeCount: d.EpisodeCount,
		LatestPubDate: fromUnix(d.LatestPubDate), EarliestPubDate: fromUnix(d.EarliestPubDate),
		UpdateFreqHours: d.UpdateFreqHours, QualityScore: d.Quality, UpdatedAt: fromUnix(d.UpdatedAt),
		OwnerEmail: d.OwnerEmail,
	}
}

// episodeHit and podcastHit turn lean hits into SearchHits with their highlighted fields.
func episodeHit(h *leanHit[episodeDoc]) hark.SearchHit {
	out := hark.SearchHit{Episode: h.Document.episode(), Podcast: h.Document.podcast()}
	fillHighlights(&out, h, out.Episode.Title, out.Episode.Description, out.Podcast.Publisher)
	return out
}

func podcastHit(h *leanHit[podcastDoc]) hark.SearchHit {
	out := hark.SearchHit{Podcast: h.Document.podcast()}
	fillHighlights(&out, h, out.Podcast.Title, out.Podcast.Description, out.Podcast.Publisher)
	return out
}

func fillHighlights[D any](out *hark.SearchHit, h *leanHit[D], title, description, publisher string) {
	out.TitleHighlighted = lineHTML(h.Highlight.Title.marked(), title)
	out.DescriptionHighlighted = snippetHTML(h.Highlight.Description.marked(), description)
	out.PublisherHighlighted = lineHTML(h.Highlight.Publisher.marked(), publisher)
}

// runLean runs the plan (one or two pages) and returns the window's hits and the total found.
func runLean[D any](ctx context.Context, ix *Index, plan *searchPlan, collection string, toHit func(*leanHit[D]) hark.SearchHit) ([]hark.SearchHit, int, error) {
	res, err := searchLean[D](ctx, ix, collection, plan.params)
	if err != nil {
		return nil, 0, err
	}
	hits := res.hits()
	if plan.pages == 2 && len(hits) == plan.perPage {
		next := *plan.params
		next.Page = new(plan.page + 1)
		res2, err := searchLean[D](ctx, ix, collection, &next)
		if err != nil {
			return nil, 0, err
		}
		hits = append(hits, res2.hits()...)
	}
	hits = hits[min(plan.skip, len(hits)):min(plan.skip+plan.size, len(hits))]
	out := make([]hark.SearchHit, 0, len(hits))
	for i := range hits {
		out = append(out, toHit(&hits[i]))
	}
	return out, res.Found, nil
}

// idDoc is a hit read as its ID alone (see idsOnly): the titles-only search of titleFirst, with
// its title, and the full one on a later page. A document comes from the full search of the
// first page or is read by ID when the window holds it.
type idDoc struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// phraseFirst puts first, keeping their order, the titles that hold phrase (folded words, see
// terms.Fold) as a phrase. A trailing stop word is glued to the word before it ("what should
// we" is sent as "what should shouldwe") so that only titles with "should we" in that order
// match it, but Typesense 0.24.1 also matches the glued word in a raw title that holds both
// words in another order ("… what we should reopen first") and may rank it first.
func phraseFirst(hits []leanHit[idDoc], phrase string) []leanHit[idDoc] {
	if phrase == "" {
		return hits
	}
	phrase = " " + phrase + " "
	out := make([]leanHit[idDoc], 0, len(hits))
	var rest []leanHit[idDoc]
	for _, h := range hits {
		if strings.Contains(" "+terms.Fold(h.Document.Title)+" ", phrase) {
			out = append(out, h)
		} else {
			rest = append(rest, h)
		}
	}
	return append(out, rest...)
}

// runTitleFirst runs an episode plan with titles (see titleFirst): both searches at once, then
// the titles that hold every word, then the other hits in Typesense's order, cut to the window.
// A hit of the window whose document was not read (a title the full search ranked below the
// window; on a later page, every hit) is read by ID in a third search. Total is the larger of
// the two founds.
func runTitleFirst(ctx context.Context, ix *Index, plan *searchPlan, collection string) ([]hark.SearchHit, int, error) {
	var titles *leanResult[idDoc]
	var allIDs []string
	var allFound int
	byID := map[string]*leanHit[episodeDoc]{}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		titles, err = searchLean[idDoc](gctx, ix, collection, plan.titles)
		return err
	})
	g.Go(func() error {
		if plan.skip > 0 {
			// A later page reads the hits before it as IDs: page 25 would otherwise carry the
			// documents of the 240 hits before it.
			res, err := searchLean[idDoc](gctx, ix, collection, idsOnly(plan.params))
			if err != nil {
				return err
			}
			for _, h := range res.Hits {
				allIDs = append(allIDs, h.Document.ID)
			}
			allFound = res.Found
			return nil
		}
		res, err := searchLean[episodeDoc](gctx, ix, collection, plan.params)
		if err != nil {
			return err
		}
		for i := range res.Hits {
			allIDs = append(allIDs, res.Hits[i].Document.ID)
			byID[res.Hits[i].Document.ID] = &res.Hits[i]
		}
		allFound = res.Found
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, 0, err
	}
	order := make([]string, 0, plan.perPage)
	first := make(map[string]bool, len(titles.Hits))
	for _, h := range phraseFirst(titles.Hits, plan.phrase) {
		order, first[h.Document.ID] = append(order, h.Document.ID), true
	}
	for _, id := range allIDs {
		if !first[id] {
			order = append(order, id)
		}
	}
	order = order[min(plan.skip, len(order)):min(plan.skip+plan.size, len(order))]
	var missing []string
	for _, id := range order {
		if byID[id] == nil {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		p := *plan.params // the IDs come from searches with its filters
		filter := "id:[" + strings.Join(missing, ",") + "]"
		p.FilterBy, p.Page, p.PerPage = &filter, new(1), new(len(missing))
		// Words dropped until every one is found, as the search that ranked them may have.
		p.DropTokensThreshold = new(len(missing))
		more, err := searchLean[episodeDoc](ctx, ix, collection, &p)
		if err != nil {
			return nil, 0, err
		}
		for i := range more.Hits {
			byID[more.Hits[i].Document.ID] = &more.Hits[i]
		}
	}
	out := make([]hark.SearchHit, 0, len(order))
	for _, id := range order {
		if h := byID[id]; h != nil { // gone from the index between the searches: left out
			out = append(out, episodeHit(h))
		}
	}
	return out, max(allFound, titles.Found), nil
}
