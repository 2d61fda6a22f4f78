package search

import (
	"strings"
	"unicode"
)

// Typesense 0.24.1 has no stop words (0.26 added them). A query word as common as "the" or "de"
// makes it intersect and score posting lists that cover half the index: in `make bench` such
// words made a known-item title query cost 25-110 ms on a million episodes instead of 2. So a
// query of three words or more loses its commonest function words when at least two other words
// remain to match on; shorter queries ("The Daily", "Why We Suffer") are sent as typed. Quoted
// phrases and -exclusions are always kept as they are. Only episode searches drop them: show
// names are short and often made of such words, and the podcasts collection is small.

// minKeptWords is how many words must remain for stop words to be dropped.
const minKeptWords = 2

// stopWords are the commonest function words of the languages most podcasts are in.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, list := range []string{
		// English
		"a about after again all am an and any are as at be because been before being both but by can could did do does doing down during each few for from further had has have having he her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out over own same she should so some such than that the their theirs them then there these they this those through to too under until up very was we were what when where which while who whom why with would you your yours",
		// Spanish
		"el la los las un una unos unas y o de del al en con por para que se su sus es lo le les como más pero sin sobre entre",
		// Portuguese
		"o a os as um uma uns umas e ou de do da dos das no na nos nas em com por para que se seu sua seus suas é ao aos à às mais mas sem sobre entre",
		// French
		"le la les un une des et ou de du au aux en dans avec pour par que qui se sur est ce cette ces son sa ses plus pas",
		// German
		"der die das den dem des ein eine einer eines einem einen und oder in im mit von zu zum zur für auf ist nicht sich auch es",
		// Italian
		"il lo gli i una uno e di del della dei delle al alla con per che si è non",
	} {
		for _, w := range strings.Fields(list) {
			m[w] = true
		}
	}
	return m
}()

// dropStopWords returns q without its stop words when it has at least three words and at least
// minKeptWords others remain; otherwise q unchanged.
func dropStopWords(q string) string {
	var parts []string // words and quoted phrases, in order
	var kept, total int
	stop := make([]bool, 0, 8)
	for rest := q; rest != ""; {
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		if rest == "" {
			break
		}
		var part string
		if rest[0] == '"' {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				part, rest = rest, "" // an unclosed quote: Typesense reads the rest as words
			} else {
				part, rest = rest[:end+2], rest[end+2:]
			}
		} else {
			end := strings.IndexFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || r == '"' })
			if end < 0 {
				end = len(rest)
			}
			part, rest = rest[:end], rest[end:]
		}
		isStop := part[0] != '"' && part[0] != '-' && stopWords[wordKey(part)]
		parts, stop = append(parts, part), append(stop, isStop)
		total++
		if !isStop && part[0] != '-' {
			kept++
		}
	}
	if total < 3 || kept < minKeptWords {
		return q
	}
	out := parts[:0]
	for i, p := range parts {
		if !stop[i] {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

// wordKey is a word as the stop list spells it: lower case, without surrounding punctuation.
func wordKey(w string) string {
	return strings.ToLower(strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
}
