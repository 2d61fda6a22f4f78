package hark

import "strings"

// Genre is a podcast category. IDs are Apple Podcasts' genre IDs, so the numbers match a public,
// stable list; ParentID is 0 for top-level genres.
type Genre struct {
	ID       int    `json:"id"`
	Name     string `json:"name"`
	ParentID int    `json:"parent_id"`
}

// Genres lists Apple Podcasts' categories with their Apple genre IDs: the top-level ones first,
// then their subcategories. Health & Fitness and Government keep the IDs Apple gave them before
// its 2019 list (1307, 1325), which Hark's stored genres use; the 2019 IDs (1512, 1511) are
// accepted for them.
var Genres = append(topGenres,
	Genre{1482, "Books", 1301}, Genre{1402, "Design", 1301}, Genre{1459, "Fashion & Beauty", 1301},
	Genre{1306, "Food", 1301}, Genre{1405, "Performing Arts", 1301}, Genre{1406, "Visual Arts", 1301},
	Genre{1410, "Careers", 1321}, Genre{1493, "Entrepreneurship", 1321}, Genre{1412, "Investing", 1321},
	Genre{1491, "Management", 1321}, Genre{1492, "Marketing", 1321}, Genre{1494, "Non-Profit", 1321},
	Genre{1496, "Comedy Interviews", 1303}, Genre{1495, "Improv", 1303}, Genre{1497, "Stand-Up", 1303},
	Genre{1501, "Courses", 1304}, Genre{1499, "How To", 1304}, Genre{1498, "Language Learning", 1304},
	Genre{1500, "Self-Improvement", 1304},
	Genre{1486, "Comedy Fiction", 1483}, Genre{1484, "Drama", 1483}, Genre{1485, "Science Fiction", 1483},
	Genre{1513, "Alternative Health", 1307}, Genre{1514, "Fitness", 1307}, Genre{1518, "Medicine", 1307},
	Genre{1517, "Mental Health", 1307}, Genre{1515, "Nutrition", 1307}, Genre{1516, "Sexuality", 1307},
	Genre{1519, "Education for Kids", 1305}, Genre{1521, "Parenting", 1305},
	Genre{1522, "Pets & Animals", 1305}, Genre{1520, "Stories for Kids", 1305},
	Genre{1510, "Animation & Manga", 1502}, Genre{1503, "Automotive", 1502}, Genre{1504, "Aviation", 1502},
	Genre{1506, "Crafts", 1502}, Genre{1507, "Games", 1502}, Genre{1505, "Hobbies", 1502},
	Genre{1508, "Home & Garden", 1502}, Genre{1509, "Video Games", 1502},
	Genre{1523, "Music Commentary", 1310}, Genre{1524, "Music History", 1310}, Genre{1525, "Music Interviews", 1310},
	Genre{1490, "Business News", 1489}, Genre{1526, "Daily News", 1489}, Genre{1531, "Entertainment News", 1489},
	Genre{1530, "News Commentary", 1489}, Genre{1527, "Politics", 1489}, Genre{1529, "Sports News", 1489},
	Genre{1528, "Tech News", 1489},
	Genre{1438, "Buddhism", 1314}, Genre{1439, "Christianity", 1314}, Genre{1463, "Hinduism", 1314},
	Genre{1440, "Islam", 1314}, Genre{1441, "Judaism", 1314}, Genre{1532, "Religion", 1314},
	Genre{1444, "Spirituality", 1314},
	Genre{1538, "Astronomy", 1533}, Genre{1539, "Chemistry", 1533}, Genre{1540, "Earth Sciences", 1533},
	Genre{1541, "Life Sciences", 1533}, Genre{1536, "Mathematics", 1533}, Genre{1534, "Natural Sciences", 1533},
	Genre{1537, "Nature", 1533}, Genre{1542, "Physics", 1533}, Genre{1535, "Social Sciences", 1533},
	Genre{1543, "Documentary", 1324}, Genre{1302, "Personal Journals", 1324}, Genre{1443, "Philosophy", 1324},
	Genre{1320, "Places & Travel", 1324}, Genre{1544, "Relationships", 1324},
	Genre{1549, "Baseball", 1545}, Genre{1548, "Basketball", 1545}, Genre{1554, "Cricket", 1545},
	Genre{1560, "Fantasy Sports", 1545}, Genre{1547, "Football", 1545}, Genre{1553, "Golf", 1545},
	Genre{1550, "Hockey", 1545}, Genre{1552, "Rugby", 1545}, Genre{1551, "Running", 1545},
	Genre{1546, "Soccer", 1545}, Genre{1558, "Swimming", 1545}, Genre{1556, "Tennis", 1545},
	Genre{1557, "Volleyball", 1545}, Genre{1559, "Wilderness", 1545}, Genre{1555, "Wrestling", 1545},
	Genre{1562, "After Shows", 1309}, Genre{1564, "Film History", 1309}, Genre{1565, "Film Interviews", 1309},
	Genre{1563, "Film Reviews", 1309}, Genre{1561, "TV Reviews", 1309},
)

// topGenres are the top-level genres, the start of Genres.
var topGenres = []Genre{
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

// TopGenres returns the top-level genres.
func TopGenres() []Genre { return Genres[:len(topGenres):len(topGenres)] }

// appleAliases maps the genre IDs Apple gave in 2019 to Health & Fitness and Government onto
// the ones Hark keeps.
var appleAliases = map[int]int{1512: 1307, 1511: 1325}

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
// without duplicates, in first-seen order: a subcategory gives its own ID after its parent's.
// A subcategory named alone, as some feeds have it, counts as "Parent > Child". Unknown names
// are skipped.
func GenreIDsForCategories(categories []string) []int {
	var ids []int
	seen := map[int]bool{}
	add := func(id int) {
		if id != 0 && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, c := range categories {
		parent, child, _ := strings.Cut(c, ">")
		top := topGenreNamed(parent)
		if top == 0 {
			if sub, ok := genreNamed(parent, -1); ok {
				add(sub.ParentID)
				add(sub.ID)
			}
			continue
		}
		add(top)
		if sub, ok := genreNamed(child, top); ok {
			add(sub.ID)
		}
	}
	return ids
}

// topGenreNamed returns the ID of the top-level genre with that name, today's or a legacy
// one, or 0.
func topGenreNamed(name string) int {
	name = strings.ToLower(strings.TrimSpace(name))
	if g, ok := genreNamed(name, 0); ok {
		return g.ID
	}
	return legacyGenres[name]
}

// genreNamed returns the genre with that name (any case) under parent: 0 for the top level,
// -1 for any subcategory.
func genreNamed(name string, parent int) (Genre, bool) {
	name = strings.TrimSpace(name)
	for _, g := range Genres {
		if strings.EqualFold(g.Name, name) && (g.ParentID == parent || parent == -1 && g.ParentID != 0) {
			return g, true
		}
	}
	return Genre{}, false
}

// GenreByID returns the genre with that ID and whether it exists.
func GenreByID(id int) (Genre, bool) {
	if a, ok := appleAliases[id]; ok {
		id = a
	}
	for _, g := range Genres {
		if g.ID == id {
			return g, true
		}
	}
	return Genre{}, false
}
