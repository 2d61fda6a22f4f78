package hark

import "strings"

// Genre is a podcast category. IDs are Apple Podcasts' genre IDs, so the numbers match a public,
// stable list; ParentID is 0 for top-level genres.
type Genre struct {
	ID       int    `json:"id"`
	Name     string `json:"name"`
	ParentID int    `json:"parent_id"`
}

// Genres lists the top-level iTunes categories with their Apple genre IDs.
var Genres = []Genre{
	{1301, "Arts", 0},
	{1303, "Comedy", 0},
	{1304, "Education", 0},
	{1305, "Kids & Family", 0},
	{1307, "Health & Fitness", 0},
	{1309, "TV & Film", 0},
	{1310, "Music", 0},
	{1314, "Religion & Spirituality", 0},
	{1318, "Technology", 0},
	{1321, "Business", 0},
	{1324, "Society & Culture", 0},
	{1325, "Government", 0},
	{1483, "Fiction", 0},
	{1487, "History", 0},
	{1488, "True Crime", 0},
	{1489, "News", 0},
	{1502, "Leisure", 0},
	{1533, "Science", 0},
	{1545, "Sports", 0},
}

// legacyGenres maps older iTunes category names that feeds still use onto today's genres.
var legacyGenres = map[string]int{
	"games & hobbies":            1502,
	"science & medicine":         1533,
	"health":                     1307,
	"sports & recreation":        1545,
	"religion":                   1314,
	"government & organizations": 1325,
	"news & politics":            1489,
	"society":                    1324,
	"tv and film":                1309,
	"kids and family":            1305,
	"religion and spirituality":  1314,
	"society and culture":        1324,
	"health and fitness":         1307,
}

// GenreIDsForCategories maps iTunes categories ("Parent" or "Parent > Child") to genre IDs,
// without duplicates, in first-seen order. Unknown names are skipped.
func GenreIDsForCategories(categories []string) []int {
	var ids []int
	seen := map[int]bool{}
	for _, c := range categories {
		parent, _, _ := strings.Cut(c, ">")
		name := strings.ToLower(strings.TrimSpace(parent))
		id := legacyGenres[name]
		for _, g := range Genres {
			if strings.ToLower(g.Name) == name {
				id = g.ID
			}
		}
		if id != 0 && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

// GenreByID returns the genre with that ID and whether it exists.
func GenreByID(id int) (Genre, bool) {
	for _, g := range Genres {
		if g.ID == id {
			return g, true
		}
	}
	return Genre{}, false
}

// ListenNotesRootGenre is the Listen API's genre "Podcasts", the parent of all its others: as a
// filter it selects every podcast.
const ListenNotesRootGenre = 67

// listenNotesGenres maps the Listen API's own top-level genre IDs (its GET /genres, quoted in
// code written against it) onto Hark's genres with the same name. "Personal Finance", which
// Apple files under Business, is Business.
var listenNotesGenres = map[int]int{
	100: 1301, 133: 1303, 111: 1304, 132: 1305, 88: 1307, 68: 1309, 134: 1310, 69: 1314,
	127: 1318, 93: 1321, 144: 1321, 122: 1324, 117: 1325, 168: 1483, 125: 1487, 135: 1488,
	99: 1489, 82: 1502, 107: 1533, 77: 1545,
}

// GenreForID returns the genre that id names, a Hark (Apple) genre ID or a Listen API one, and
// whether it is one of them. ListenNotesRootGenre is not a genre here: callers treat it as "any".
func GenreForID(id int) (Genre, bool) {
	if apple, ok := listenNotesGenres[id]; ok {
		id = apple
	}
	return GenreByID(id)
}
