package demo

import "time"

// genre is an Apple Podcasts category with the words shows in it are made of.
type genre struct {
	category string
	subs     []string // Apple subcategories; may be empty
	weight   int      // how often shows fall in it
	topics   []string // prose, as in "a podcast about open source"
	names    []string // topics as title words; English title-cases topics instead
	roles    []string // English only: the "Engineer" of "The Quiet Engineer"
	subjects []string // prose episode subjects with their article: "the kitchen garden"
}

// language holds the words and sentence templates of one language. Templates use the
// {placeholders} of vars; each list must be non-empty unless noted.
type language struct {
	codes []string // RSS <language> values
	zones []int    // UTC offsets, in hours, where its shows publish
	first []string
	last  []string
	join  string // between two host names

	genres     []genre
	showTitles []string // {T} {A} {R} {lead}
	showIntro  []string // first sentence of a show's description
	showMore   []string
	showLink   string
	cadences   [len(cadences)]string // "every week", one per cadence
	networks   []string

	numbering       []string // episode title prefixes: "Episode {n}: "; "" for none
	serialNumbering []string // English only; other languages never make serial shows
	with            string   // joins an episode title and its guest
	episodeTitles   []string // {S} {s} {G}
	bonus           string
	gerunds         []string // English only
	adjectives      []string // English only
	guestRoles      []string // English only; HTML
	guestOpen       []string // first sentence of an episode with a guest; HTML
	soloOpen        []string
	more            []string
	notes           string // show-notes link; HTML with {link} {site}
}

// cadences are the publishing rhythms a show can have, most common in cadenceWeights.
var (
	cadences       = [...]time.Duration{24 * time.Hour, 84 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 30 * 24 * time.Hour}
	cadenceWeights = []int{8, 10, 55, 15, 12}
)

// languages holds English first; languageFor relies on the order.
var languages = []*language{&english, &german, &french, &spanish, &portuguese}

// languageFor returns the language of show i. Every run of 25 shows holds one show in each
// of German, French, Spanish and Portuguese, so even a small catalogue has some of each.
func languageFor(seed int64, i int) *language {
	k := (uint64(i) + uint64(seed)) % 25
	switch k {
	case 5, 11, 17, 23:
		return languages[1+k/6]
	}
	return languages[0]
}

// pickGenre chooses a genre in proportion to the weights.
func (l *language) pickGenre(r *rng) *genre {
	w := make([]int, len(l.genres))
	for i := range l.genres {
		w[i] = l.genres[i].weight
	}
	return &l.genres[weighted(r, w)]
}
