package searchcache

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"hark"
)

// TestSearchKeyReadsEveryField: a query that differs from another in any one field has another
// key, so that no answer is served for a query it was not computed for; a field added to
// hark.SearchQuery and left out of searchKey fails here.
func TestSearchKeyReadsEveryField(t *testing.T) {
	t.Parallel()
	base := hark.SearchQuery{Q: "tides"}
	seen := map[string]string{searchKey(base): "none"}
	typ := reflect.TypeFor[hark.SearchQuery]()
	for i := range typ.NumField() {
		q := base
		f := reflect.ValueOf(&q).Elem().Field(i)
		switch v := f.Addr().Interface().(type) {
		case *string:
			*v += "x"
		case *int:
			*v = 3
		case *bool:
			*v = true
		case *[]int:
			*v = []int{1303}
		case *[]string:
			*v = []string{"title"}
		case *time.Time:
			*v = time.UnixMilli(1700000000000)
		default:
			t.Fatalf("field %s of type %s: teach this test its kind", typ.Field(i).Name, f.Type())
		}
		key := searchKey(q)
		if other, ok := seen[key]; ok {
			t.Errorf("setting %s gives the key of %s: %q", typ.Field(i).Name, other, key)
		}
		seen[key] = typ.Field(i).Name
	}
	// Lists that are equal but for the split of their items.
	a, b := base, base
	a.OnlyPodcastIDs, a.NeverPodcastIDs = []string{"p1"}, []string{"p2"}
	b.OnlyPodcastIDs = []string{"p1", "p2"}
	if searchKey(a) == searchKey(b) {
		t.Error("ocid=p1&ncid=p2 and ocid=p1,p2 share a key")
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"  spring   tides ": "spring tides",
		"Spring Tides":      "Spring Tides", // case may matter to the query linguistics
		"post-punk  -live":  "post-punk -live",
		"\tspring tides\n":  "spring tides",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q; want %q", in, got, want)
		}
	}
	if suggestKey("tid", true, false) == suggestKey("tid", false, true) {
		t.Error("typeahead with podcasts and with genres share a key")
	}
}

func TestSizeOfCountsWhatAnAnswerHolds(t *testing.T) {
	t.Parallel()
	desc := strings.Repeat("d", 5000)
	res := &hark.SearchResult{Hits: []hark.SearchHit{{
		Episode: &hark.Episode{Title: "Spring tides", Description: desc, Persons: []string{"Ann Lee"}},
		Podcast: &hark.Podcast{Title: "Tide Tables"}, TitleHighlighted: "<span>Spring</span> tides",
	}}}
	got := sizeOf(res)
	min := int64(len(desc) + len("Spring tides") + len("Ann Lee") + len("Tide Tables"))
	if got < min || got > min+4096 {
		t.Errorf("sizeOf = %d; want between %d and %d", got, min, min+4096)
	}
}
