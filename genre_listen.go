package hark

// ListenNotesRootGenre is the Listen API's genre "Podcasts", the parent of all its others: as a
// filter it selects every podcast.
const ListenNotesRootGenre = 67

// listenNotesGenre is a genre of the Listen API's own GET /genres list.
type listenNotesGenre struct {
	id     int
	name   string
	parent int
}

// listenNotesGenres is the Listen API's genre list, as code written against it quotes it, by
// parent: its top level (under 67, "Podcasts") and each one's children.
var listenNotesGenres = []listenNotesGenre{
	{100, "Arts", 67}, {93, "Business", 67}, {133, "Comedy", 67}, {111, "Education", 67},
	{168, "Fiction", 67}, {117, "Government", 67}, {88, "Health & Fitness", 67}, {125, "History", 67},
	{132, "Kids & Family", 67}, {82, "Leisure", 67}, {151, "Locally Focused", 67}, {134, "Music", 67},
	{99, "News", 67}, {144, "Personal Finance", 67}, {69, "Religion & Spirituality", 67},
	{107, "Science", 67}, {122, "Society & Culture", 67}, {77, "Sports", 67}, {68, "TV & Film", 67},
	{127, "Technology", 67}, {135, "True Crime", 67},

	{104, "Books", 100}, {105, "Design", 100}, {106, "Fashion & Beauty", 100}, {102, "Food", 100},
	{101, "Performing Arts", 100}, {103, "Visual Arts", 100},
	{94, "Careers", 93}, {171, "Entrepreneurship", 93}, {98, "Investing", 93}, {97, "Management", 93},
	{173, "Marketing", 93}, {119, "Non-Profit", 93}, {169, "Sales", 93}, {96, "Shopping", 93},
	{157, "Startup", 93}, {149, "Venture Capital", 93}, {147, "SEO", 173},
	{175, "Comedy Interviews", 133}, {176, "Improv", 133}, {177, "Stand-Up", 133},
	{178, "Courses", 111}, {112, "Educational Technology", 111}, {113, "Higher Education", 111},
	{128, "How To", 111}, {114, "K-12", 111}, {116, "Language Learning", 111},
	{181, "Self-Improvement", 111}, {115, "Training", 111}, {142, "English Learning", 116},
	{183, "Comedy Fiction", 168}, {184, "Drama", 168}, {185, "Science Fiction", 168},
	{118, "Local", 117}, {121, "National", 117}, {120, "Regional", 117},
	{91, "Alternative Health", 88}, {89, "Fitness", 88}, {191, "Mental Health", 88},
	{192, "Nutrition", 88}, {90, "Self-Help", 88}, {92, "Sexuality", 88},
	{148, "American History", 125}, {150, "Chinese History", 125},
	{195, "Education for Kids", 132}, {145, "Parenting", 132}, {197, "Pets & Animals", 132},
	{198, "Stories for Kids", 132},
	{200, "Animation & Manga", 82}, {84, "Automotive", 82}, {87, "Aviation", 82}, {203, "Crafts", 82},
	{204, "Games", 82}, {86, "Hobbies", 82}, {206, "Home & Garden", 82}, {83, "Other Games", 82},
	{85, "Video Games", 82},
	{152, "United States", 151}, {156, "China", 151}, {153, "New York", 152},
	{154, "San Francisco Bay Area", 152}, {155, "Denver", 152},
	{208, "Music Commentary", 134}, {209, "Music History", 134}, {210, "Music Interviews", 134},
	{95, "Business News", 99}, {213, "Daily News", 99}, {214, "Entertainment News", 99},
	{215, "News Commentary", 99}, {216, "Politics", 99}, {217, "Sports News", 99}, {131, "Tech News", 99},
	{72, "Buddhism", 69}, {75, "Christianity", 69}, {76, "Hinduism", 69}, {71, "Islam", 69},
	{73, "Judaism", 69}, {74, "Other", 69}, {219, "Religion", 69}, {70, "Spirituality", 69},
	{221, "Astronomy", 107}, {222, "Chemistry", 107}, {237, "Earth Sciences", 107},
	{238, "Life Sciences", 107}, {239, "Mathematics", 107}, {109, "Medicine", 107},
	{110, "Natural Sciences", 107}, {241, "Nature", 107}, {242, "Physics", 107},
	{108, "Social Sciences", 107},
	{167, "Audio Drama", 122}, {244, "Documentary", 122}, {146, "LGBTQ", 122},
	{124, "Personal Journals", 122}, {126, "Philosophy", 122}, {123, "Places & Travel", 122},
	{245, "Relationships", 122}, {165, "Storytelling", 122},
	{81, "Amateur", 77}, {247, "Baseball", 77}, {248, "Basketball", 77}, {80, "College & High School", 77},
	{249, "Cricket", 77}, {250, "Fantasy Sports", 77}, {251, "Football", 77}, {141, "Golf", 77},
	{253, "Hockey", 77}, {79, "Outdoor", 77}, {78, "Professional", 77}, {254, "Rugby", 77},
	{255, "Running", 77}, {256, "Soccer", 77}, {257, "Swimming", 77}, {258, "Tennis", 77},
	{259, "Volleyball", 77}, {260, "Wilderness", 77}, {261, "Wrestling", 77},
	{137, "NBA", 78}, {158, "NFL", 78},
	{262, "After Shows", 68}, {263, "Film History", 68}, {264, "Film Interviews", 68},
	{265, "Film Reviews", 68}, {266, "TV Reviews", 68}, {159, "Harry Potter", 68}, {138, "Movie", 68},
	{160, "Star Wars", 68}, {161, "Star Trek", 68}, {162, "Game of Thrones", 68}, {166, "YouTube", 68},
	{163, "AI & Data Science", 127}, {164, "Apple", 127}, {136, "Crypto & Blockchain", 127},
	{130, "Gadgets", 127}, {129, "Podcasting", 127}, {143, "Programming", 127}, {139, "VR & AR", 127},
	{140, "Web Design", 127},
}

// listenNotesNearest maps the Listen API genres whose name no Apple genre under the same parent
// has onto the nearest Apple genre, where one is clearly nearer than their parent.
var listenNotesNearest = map[int]int{
	144: 1321, // Personal Finance: Business, where Apple files money shows
	157: 1493, // Startup: Entrepreneurship
	149: 1412, // Venture Capital: Investing
	169: 1492, // Sales: Marketing
	90:  1500, // Self-Help: Self-Improvement
	109: 1518, // Medicine, under Science there, under Health & Fitness at Apple
	167: 1484, // Audio Drama: Drama
	137: 1548, // NBA: Basketball
	158: 1547, // NFL: Football
}

// listenNotesToHark maps every Listen API genre ID onto a Hark genre ID, 0 for "every genre".
var listenNotesToHark = func() map[int]int {
	byID := map[int]listenNotesGenre{}
	for _, g := range listenNotesGenres {
		byID[g.id] = g
	}
	out := map[int]int{ListenNotesRootGenre: 0}
	var resolve func(id int) int
	resolve = func(id int) int {
		if h, ok := out[id]; ok {
			return h
		}
		g := byID[id]
		h, ok := listenNotesNearest[id]
		if !ok {
			h = resolve(g.parent)
			if h == 0 {
				h = topGenreNamed(g.name) // a top-level genre, or 0 where Apple has none
			} else if sub, ok := genreNamed(g.name, h); ok {
				h = sub.ID
			}
		}
		out[id] = h
		return h
	}
	for _, g := range listenNotesGenres {
		resolve(g.id)
	}
	return out
}()

// GenreForID returns the genre that id names, a Hark (Apple) genre ID or a Listen API one, and
// whether it is one of them. Listen API genres that Apple has no genre for, ListenNotesRootGenre
// and Locally Focused (151) with its places, are every genre: ok is true, and the Genre is the
// zero value. Callers treat ID 0 as no genre filter.
func GenreForID(id int) (Genre, bool) {
	if h, ok := listenNotesToHark[id]; ok {
		if h == 0 {
			return Genre{}, true
		}
		id = h
	}
	return GenreByID(id)
}
