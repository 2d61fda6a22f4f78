package main

import (
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"hark"
)

// The styles of the evaluation set: the ways a person types what they look for. Each episode
// title the set samples is asked in every style that applies to it; podcasts by name, exactly
// and with a typo; people by name.
const (
	styleTitle       = "title"        // the title as it is
	styleFirstHalf   = "first-half"   // its first half, as typed into a box before the rest
	styleLower       = "lower"        // lower case without punctuation
	styleTypo        = "title-typo"   // one wrong letter in its longest word
	styleBag         = "bag"          // its longest words, out of order
	styleSplit       = "split"        // the parts of hyphenated and dotted words apart
	styleCaps        = "caps"         // capitals without accents
	stylePodcast     = "podcast"      // a show's name
	stylePodcastTypo = "podcast-typo" // a show's name with a typo
	stylePerson      = "person"       // a person named in one episode's description
)

// evalStyles is the order the report lists the styles in.
var evalStyles = []string{styleTitle, styleFirstHalf, styleLower, styleTypo, styleBag, styleSplit,
	styleCaps, stylePodcast, stylePodcastTypo, stylePerson}

// titleQueries returns the queries of every style that applies to an episode title. rnd makes
// the typos, as in the set before it had styles (so that the title and title-typo queries stay
// the same); more draws from the styles' own.
func titleQueries(title, id string, rnd, more *rand.Rand) []evalQuery {
	out := []evalQuery{{kind: styleTitle, q: title}}
	add := func(kind string) func(string, bool) {
		return func(q string, ok bool) {
			if ok && q != "" && q != title {
				out = append(out, evalQuery{kind: kind, q: q})
			}
		}
	}
	add(styleFirstHalf)(firstHalf(title))
	add(styleLower)(lowerNoPunct(title), true)
	add(styleTypo)(oneTypo(title, rnd))
	add(styleBag)(bagOfWords(title, more))
	add(styleSplit)(splitParts(title))
	add(styleCaps)(capsNoAccents(title), true)
	for i := range out {
		out[i].typ, out[i].wantID = hark.SearchTypeEpisode, id
	}
	return out
}

// podcastQueries returns a show's name, exact and with a typo.
func podcastQueries(name, id string, rnd *rand.Rand) []evalQuery {
	out := []evalQuery{{kind: stylePodcast, q: name, typ: hark.SearchTypePodcast, wantID: id}}
	if typo, ok := oneTypo(name, rnd); ok {
		out = append(out, evalQuery{kind: stylePodcastTypo, q: typo, typ: hark.SearchTypePodcast, wantID: id})
	}
	return out
}

// firstHalf returns the first half of a title of four words or more, rounded up.
func firstHalf(title string) (string, bool) {
	words := strings.Fields(title)
	if len(words) < 4 {
		return "", false
	}
	return strings.Join(words[:(len(words)+1)/2], " "), true
}

// lowerNoPunct is title in lower case with apostrophes dropped ("trump's" is typed "trumps") and
// other punctuation made spaces.
func lowerNoPunct(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case r == '\'' || r == '’':
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// bagOfWords returns the three longest words of a title of five words or more, shuffled so that
// they are not in the title's order.
func bagOfWords(title string, rnd *rand.Rand) (string, bool) {
	words := strings.Fields(lowerNoPunct(title))
	if len(words) < 5 {
		return "", false
	}
	slices.SortStableFunc(words, func(a, b string) int { return len([]rune(b)) - len([]rune(a)) })
	bag := words[:3]
	for tries := 0; tries < 10; tries++ {
		rnd.Shuffle(len(bag), func(i, j int) { bag[i], bag[j] = bag[j], bag[i] })
		if !inOrder(title, bag) {
			return strings.Join(bag, " "), true
		}
	}
	return "", false
}

// inOrder reports whether words appear in title in that order.
func inOrder(title string, words []string) bool {
	rest := lowerNoPunct(title)
	for _, w := range words {
		i := strings.Index(rest, w)
		if i < 0 {
			return false
		}
		rest = rest[i+len(w):]
	}
	return true
}

// splitParts returns title with the parts of its hyphenated, dotted and slashed words apart
// ("Post-Punk" as "Post Punk"), when it has such a word. Not at apostrophes: "Tessa's" is typed
// "Tessas" or "Tessa", not "Tessa s".
func splitParts(title string) (string, bool) {
	words := strings.Fields(title)
	split := false
	for i, w := range words {
		if parts := strings.FieldsFunc(w, func(r rune) bool { return strings.ContainsRune("-./", r) }); len(parts) > 1 {
			words[i], split = strings.Join(parts, " "), true
		}
	}
	return strings.Join(words, " "), split
}

// capsNoAccents is title in capitals with accents taken off, as typed on a phone with caps lock
// or copied from a poster.
func capsNoAccents(title string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(title) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return norm.NFC.String(b.String())
}
