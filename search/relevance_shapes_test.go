package search

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"hark"
	"hark/search/terms"
)

// TestRelevanceShapes: the five shapes of query that people type and that Hark once missed
// (issue 19), each asked with queries made from the real feeds' titles, among all their episodes,
// and from testdata/relevance.json where the real feeds lack the case.
func TestRelevanceShapes(t *testing.T) {
	r := newRelevanceIndex(t)
	t.Run("punctuation inside words", func(t *testing.T) {
		r.checkOwn(t, regexp.MustCompile(`Post-Punk|Trump`))
		ids := r.realTitles(innerPunct)
		r.checkReal(t, ids, 20, func(title string) (string, bool) { return innerPunct.ReplaceAllString(title, "$1 $2"), true })
		r.checkReal(t, ids, 20, longestParts)
	})
	t.Run("case and accents", func(t *testing.T) {
		r.checkOwn(t, regexp.MustCompile(`[\p{Greek}\p{Cyrillic}İßé]`))
		r.checkReal(t, r.realTitles(regexp.MustCompile(`[À-ɏ]`)), 20, func(title string) (string, bool) {
			return capsNoAccents(title), true
		})
	})
	t.Run("numbers", func(t *testing.T) { r.checkNumbers(t) })
	t.Run("pasted title", func(t *testing.T) {
		r.checkOwn(t, regexp.MustCompile(` -\p{L}|^We Are`))
		r.checkReal(t, r.realTitles(regexp.MustCompile(` -\p{L}`)), 3, func(title string) (string, bool) { return title, true })
		r.checkReal(t, r.realTitles(regexp.MustCompile(`^\S+ \S+ \S+ \S+`)), 20, func(title string) (string, bool) {
			words := strings.Fields(title)
			return strings.Join(words[:3], " "), terms.IsStopWord(words[0]) && terms.IsStopWord(words[1])
		})
	})
	t.Run("word order", func(t *testing.T) {
		r.checkOwn(t, regexp.MustCompile(`Being`))
		r.checkPhrases(t)
	})
	t.Run("words out of order", func(t *testing.T) {
		// A title's longest words typed out of order, a stop word first: the glued word the
		// query starts with is in no title, and must not be read as a typo of another title's
		// ("withplay" for "withally" in "… with Ally and Genaro!", "forready" for "forrealz").
		r.checkQueries(t, map[string]string{
			"with play please":  "#144 Play With My Deck PLEASE",
			"for ready toddler": "Is My Toddler Ready For A Big Bed?",
		})
	})
	t.Run("titles holding every word first", func(t *testing.T) {
		// Series whose show notes repeat the words of their titles: Typesense 0.24.1 alone
		// ranked "Giant Bombcast 04-26-2011" (notes: "… Giant Bombcast … edition …") above
		// "Giant Bombcast Capcom Edition", and "Weekoverzicht #08 2024" above 75 titles
		// holding all of "jeroen weekoverzicht willem".
		for _, q := range []string{"bombcast edition giant", "jeroen weekoverzicht willem"} {
			r.checkTitlesFirst(t, q)
		}
	})
	t.Run("names deep in show notes", func(t *testing.T) {
		// Names from the end of long show notes (Chaosradio Express lists its topics there).
		r.checkQueries(t, map[string]string{
			"Deep Packet":         "CRE191 Internet im Festnetz",
			"Amazon Web Services": "CRE191 Internet im Festnetz",
		})
	})
}

// checkQueries checks that each query finds the real episode of its title (a unique one) in
// the top 3.
func (r *relevanceIndex) checkQueries(t *testing.T, want map[string]string) {
	t.Helper()
	for q, title := range want {
		ids := r.realTitles(regexp.MustCompile(`^` + regexp.QuoteMeta(title) + `$`))
		if len(ids) != 1 {
			t.Fatalf("%d real episodes titled %q; want 1", len(ids), title)
		}
		if rank, above := r.rank(t, q, ids[0]); rank < 1 || rank > 3 {
			t.Errorf("%q: %q at rank %d (0: not in the top 10), after %q", q, title, rank, above)
		}
	}
}

// checkTitlesFirst checks that q's first 100 hits put every title that holds all of q's words
// before any that does not, with at least 10 of them, and that pages of 7 read the same list;
// then the same with a filter (published before the hits' median date), whose hits must obey it.
func (r *relevanceIndex) checkTitlesFirst(t *testing.T, q string) {
	t.Helper()
	hits := r.checkTitlesFirstOf(t, hark.SearchQuery{Q: q, PageSize: 100}, 10)
	if len(hits) < 20 {
		t.Fatalf("%q: %d hits; want at least 20", q, len(hits))
	}
	dates := make([]time.Time, 0, len(hits))
	for _, h := range hits {
		dates = append(dates, h.Episode.PublishedAt)
	}
	slices.SortFunc(dates, time.Time.Compare)
	before := dates[len(dates)/2]
	filtered := r.checkTitlesFirstOf(t, hark.SearchQuery{Q: q, PageSize: 100, PublishedBefore: before}, 1)
	for _, h := range filtered {
		if !h.Episode.PublishedAt.Before(before) {
			t.Errorf("%q published before %v: %q of %v", q, before, h.Episode.Title, h.Episode.PublishedAt)
		}
	}
}

func (r *relevanceIndex) checkTitlesFirstOf(t *testing.T, sq hark.SearchQuery, minHolders int) []hark.SearchHit {
	t.Helper()
	ctx := context.Background()
	q := sq.Q
	res, err := r.ix.Search(ctx, sq)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	holders, other := 0, ""
	for _, h := range res.Hits {
		ids = append(ids, h.Episode.ID)
		switch holds := terms.HoldsWords(h.Episode.Title, q); {
		case holds && other != "":
			t.Errorf("%q: %q (every word) ranks below %q", q, h.Episode.Title, other)
		case holds:
			holders++
		case other == "":
			other = h.Episode.Title
		}
	}
	if holders < minHolders {
		t.Errorf("%q: %d titles holding every word first; want at least %d", q, holders, minHolders)
	}
	var paged []string
	for off := 0; off < len(ids); off += 7 {
		page := sq
		page.Offset, page.PageSize = off, 7
		res7, err := r.ix.Search(ctx, page)
		if err != nil {
			t.Fatal(err)
		}
		if res7.Total != res.Total {
			t.Errorf("%q offset %d: total %d; the whole list's is %d", q, off, res7.Total, res.Total)
		}
		for _, h := range res7.Hits {
			paged = append(paged, h.Episode.ID)
		}
	}
	if !slices.Equal(paged, ids) {
		t.Errorf("%q: pages of 7 read\n%v\nthe list of 100 is\n%v", q, paged, ids)
	}
	return res.Hits
}

// innerPunct finds the punctuation inside a word: "Post-Punk", "03.11.2021", "r/askscience".
// Apostrophes join the parts ("It's" is "its", as people type it), see terms.Fold.
var innerPunct = regexp.MustCompile(`([\p{L}\p{N}])[-./]([\p{L}\p{N}])`)

// longestParts is title with each word that punctuation joins replaced by its longest part
// ("Self-Driving Cars" as "Driving Cars"), when it has such a word made of letters.
func longestParts(title string) (string, bool) {
	words := strings.Fields(title)
	ok := false
	for i, w := range words {
		parts := strings.FieldsFunc(strings.TrimFunc(w, unicode.IsPunct), func(r rune) bool { return strings.ContainsRune("-./", r) })
		if len(parts) > 1 && !strings.ContainsAny(w, "'’") && !strings.ContainsFunc(w, unicode.IsDigit) &&
			!afterLeadingStopWords(words, i) {
			words[i], ok = slicesLongest(parts), true
		}
	}
	return strings.Join(words, " "), ok
}

// afterLeadingStopWords reports whether words[i] follows a run of stop words that starts the
// title: a query that drops part of it ("The Factor 1" for "The Fun-Factor 1") is glued into a
// word the title lacks ("thefactor"), which Typesense may take for a typo of another title's
// ("thedoctor"); see the README's "Relevance styles".
func afterLeadingStopWords(words []string, i int) bool {
	for j := 0; j < i; j++ {
		if !terms.IsStopWord(words[j]) {
			return false
		}
	}
	return i > 0
}

func slicesLongest(ss []string) string {
	best := ss[0]
	for _, s := range ss[1:] {
		if len(s) > len(best) {
			best = s
		}
	}
	return best
}

// capsNoAccents is title in capitals without accents.
func capsNoAccents(title string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(title) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// checkNumbers: in a series whose titles differ only by their numbers ("Chapter 2", "Chapter
// 4"), a title typed with a typo in its longest word ranks above its siblings.
func (r *relevanceIndex) checkNumbers(t *testing.T) {
	digits := regexp.MustCompile(`\d+`)
	n := 0
	for _, ids := range r.byPod {
		series := map[string][]string{}
		for _, id := range ids {
			if title := r.titles[id]; digits.MatchString(title) {
				key := digits.ReplaceAllString(strings.ToLower(title), "#")
				series[key] = append(series[key], id)
			}
		}
		for _, sib := range series {
			if len(sib) < 2 || len(sib) > 20 {
				continue
			}
			for _, id := range sib {
				q, ok := typoInLongest(r.titles[id])
				if !ok || titlesRepeat(r, sib) {
					continue
				}
				n++
				rank, above := r.rank(t, q, id)
				for _, a := range above {
					if digits.ReplaceAllString(strings.ToLower(a), "#") == digits.ReplaceAllString(strings.ToLower(r.titles[id]), "#") {
						t.Errorf("%q: sibling %q ranks above %q (rank %d)", q, a, r.titles[id], rank)
						break
					}
				}
				if rank == 0 {
					t.Errorf("%q: %q not in the top 10, after %q", q, r.titles[id], above)
				}
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d numbered series titles in the real feeds; want at least 20", n)
	}
	t.Logf("%d queries from numbered series", n)
}

// titlesRepeat reports whether two of ids have the same title: which of them a query means is
// not decidable.
func titlesRepeat(r *relevanceIndex, ids []string) bool {
	seen := map[string]bool{}
	for _, id := range ids {
		k := strings.ToLower(r.titles[id])
		if seen[k] {
			return true
		}
		seen[k] = true
	}
	return false
}

// typoInLongest changes the middle letter of the longest all-letter word of title (5 letters or
// more).
func typoInLongest(title string) (string, bool) {
	words := strings.Fields(title)
	best := -1
	for i, w := range words {
		if len([]rune(w)) >= 5 && strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) < 0 &&
			(best < 0 || len(w) > len(words[best])) {
			best = i
		}
	}
	if best < 0 {
		return "", false
	}
	rs := []rune(words[best])
	mid := len(rs) / 2
	if rs[mid] = 'x'; unicode.ToLower([]rune(words[best])[mid]) == 'x' {
		rs[mid] = 'q'
	}
	words[best] = string(rs)
	return strings.Join(words, " "), true
}

// checkPhrases: three words typed in the order a title has them, one of them a stop word at an
// edge ("being a good"), rank the titles that hold them as a phrase above those that merely
// hold the words. Every such phrase of the real titles is checked: a sample would differ from
// run to run, as the IDs do.
func (r *relevanceIndex) checkPhrases(t *testing.T) {
	n := 0
	for _, id := range r.realTitles(regexp.MustCompile(`^\S+ \S+ \S+ \S+ \S+`)) {
		words := strings.Fields(terms.Fold(r.titles[id]))
		if len(words) < 5 {
			continue
		}
		// Order counts where a stop word is at an edge of the phrase, glued to its neighbour
		// (see terms.ArrangeQuery). Among other words Typesense ranks closeness, not order, and a
		// stop word in the middle is dropped (see the README); it reads a repeated word once.
		edge := terms.IsStopWord(words[1]) != terms.IsStopWord(words[3])
		if !edge || terms.IsStopWord(words[2]) || words[1] == words[2] || words[2] == words[3] {
			continue
		}
		phrase := strings.Join(words[1:4], " ")
		n++
		res, err := r.ix.Search(context.Background(), hark.SearchQuery{Q: phrase, PageSize: 10})
		if err != nil {
			t.Fatal(err)
		}
		loose := "" // a title above with the words but not the phrase
		for _, h := range res.Hits {
			folded := " " + terms.Fold(h.Episode.Title) + " "
			switch {
			case strings.Contains(folded, " "+phrase+" "):
				if loose != "" {
					t.Errorf("%q: %q (the words) ranks above %q (the phrase)", phrase, loose, h.Episode.Title)
				}
			case terms.HoldsWords(h.Episode.Title, phrase) && loose == "":
				loose = h.Episode.Title
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d phrases from real titles; want at least 10", n)
	}
	t.Logf("%d phrases from real titles", n)
}
