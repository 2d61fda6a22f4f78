package searchcache

import (
	"strconv"
	"strings"

	"hark"
)

// searchKey is the cache key of q: every field of the query, each as the search package reads
// it. The text is trimmed and its runs of spaces made one (the search package trims it and
// Typesense splits words at spaces, so neither changes the answer); case and accents are kept,
// as the query linguistics may read them. Lists keep their order: only_in's order is the fields'
// order in query_by, which can change the ranking. The text comes last, so no text can make one
// key look like another.
func searchKey(q hark.SearchQuery) string {
	var b strings.Builder
	b.Grow(96 + len(q.Q))
	b.WriteString("q\x00")
	b.WriteString(q.Type)
	for _, n := range []int{q.Offset, q.PageSize, q.LenMinMinutes, q.LenMaxMinutes,
		q.EpisodeCountMin, q.EpisodeCountMax, q.UpdateFreqMin, q.UpdateFreqMax} {
		b.WriteByte(',')
		b.WriteString(strconv.Itoa(n))
	}
	for _, f := range []bool{q.SortByDate, q.SafeMode, q.UniquePodcasts} {
		b.WriteByte(',')
		b.WriteByte('0' + byte(boolInt(f)))
	}
	for _, t := range [...]int64{q.PublishedBefore.UnixNano(), q.PublishedAfter.UnixNano()} {
		b.WriteByte(',')
		if t != 0 {
			b.WriteString(strconv.FormatInt(t, 10))
		}
	}
	b.WriteByte(',')
	for _, id := range q.GenreIDs {
		b.WriteString(strconv.Itoa(id))
		b.WriteByte(' ')
	}
	for _, list := range [][]string{q.OnlyIn, q.OnlyPodcastIDs, q.NeverPodcastIDs, {q.Language, q.Region}} {
		b.WriteByte(',')
		b.WriteString(strings.Join(list, " "))
	}
	b.WriteByte('\x00')
	b.WriteString(normalize(q.Q))
	return b.String()
}

// suggestKey is the cache key of a typeahead prefix with what it asks for.
func suggestKey(prefix string, podcasts, genres bool) string {
	return "s\x00" + strconv.Itoa(boolInt(podcasts)) + strconv.Itoa(boolInt(genres)) + "\x00" + normalize(prefix)
}

// normalize trims text and makes each run of spaces one space.
func normalize(text string) string {
	text = strings.TrimSpace(text)
	if !strings.Contains(text, "  ") {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); i++ {
		if text[i] == ' ' && i > 0 && text[i-1] == ' ' {
			continue
		}
		b.WriteByte(text[i])
	}
	return b.String()
}

func boolInt(f bool) int {
	if f {
		return 1
	}
	return 0
}
