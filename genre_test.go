package hark

import (
	"slices"
	"testing"
)

// TestGenreForListenNotesIDs maps the Listen API genre ids that code written against it
// hard-codes (its GET /genres list, quoted in many public repositories) onto Hark's genres.
func TestGenreForListenNotesIDs(t *testing.T) {
	for _, c := range []struct {
		id, want int // want 0: every genre
	}{
		{67, 0}, {144, 1321}, {151, 0}, {153, 0}, {77, 1545}, {125, 1487}, {93, 1321}, {122, 1324},
		{127, 1318}, {132, 1305}, {168, 1483}, {88, 1307}, {134, 1310}, {99, 1489}, {133, 1303},
		{100, 1301}, {69, 1314}, {117, 1325}, {68, 1309}, {82, 1502}, {111, 1304}, {107, 1533},
		{135, 1488},
		{98, 1412}, {216, 1527}, {213, 1526}, {95, 1490}, {104, 1482}, {244, 1543}, {209, 1524},
		{140, 1318}, {147, 1492}, {142, 1498}, {109, 1518}, {157, 1493}, {158, 1547}, {90, 1500},
		{1412, 1412}, {1512, 1307}, {1511, 1325}, {1301, 1301},
	} {
		g, ok := GenreForID(c.id)
		if !ok || g.ID != c.want {
			t.Errorf("GenreForID(%d) = %v, %v; want %d", c.id, g, ok, c.want)
		}
	}
	for _, id := range []int{0, 66, 999, 1300, 999999} {
		if g, ok := GenreForID(id); ok {
			t.Errorf("GenreForID(%d) = %v, want no genre", id, g)
		}
	}
	for _, g := range listenNotesGenres {
		if _, ok := GenreForID(g.id); !ok {
			t.Errorf("Listen Notes genre %d %q maps onto nothing", g.id, g.name)
		}
	}
}

// TestGenreTree checks that every sub-genre's parent is a top-level genre and IDs are unique.
func TestGenreTree(t *testing.T) {
	seen := map[int]bool{}
	for i, g := range Genres {
		if seen[g.ID] {
			t.Errorf("genre %d twice", g.ID)
		}
		seen[g.ID] = true
		parent, ok := GenreByID(g.ParentID)
		switch {
		case i < len(TopGenres()) && g.ParentID != 0:
			t.Errorf("top-level genre %v has a parent", g)
		case i >= len(TopGenres()) && (!ok || parent.ParentID != 0):
			t.Errorf("sub-genre %v: parent %v is not top-level", g, parent)
		}
	}
}

func TestGenreIDsForCategories(t *testing.T) {
	for _, c := range []struct {
		categories []string
		want       []int
	}{
		{[]string{"Business", "Business > Investing"}, []int{1321, 1412}},
		{[]string{"Business > Investing", "Technology"}, []int{1321, 1412, 1318}},
		{[]string{"Investing"}, []int{1321, 1412}},                     // a subcategory named alone
		{[]string{"Games & Hobbies > Video Games"}, []int{1502, 1509}}, // a legacy parent
		{[]string{"Health & Fitness > Medicine"}, []int{1307, 1518}},
		{[]string{"Arts > Investing"}, []int{1301}}, // not Arts' subcategory
		{[]string{"Podcasting", "Comedy"}, []int{1303}},
	} {
		if got := GenreIDsForCategories(c.categories); !slices.Equal(got, c.want) {
			t.Errorf("GenreIDsForCategories(%q) = %v, want %v", c.categories, got, c.want)
		}
	}
}
