package demo

import (
	"fmt"
	"strings"
	"time"
)

// show is a Show plus what its feed needs and callers don't. It never changes after New;
// the episode count lives in Catalogue.counts.
type show struct {
	Show // Episodes is the count at New; ImageURL is a path until Shows adds the base URL

	seed      uint64 // of this show's random streams
	lang      *language
	genre     *genre
	topic     string // prose
	hosts     string // "Maria Okafor and James Chen"
	hostList  []string
	lead      string // lead host's first name
	interview bool   // most episodes have a guest

	initial    int       // episodes at New; episode dates count from it
	anchor     time.Time // pubDate of episode initial, before jitter
	cadence    time.Duration
	maxJitter  int // minutes
	cadenceIdx int

	website   string // "https://<slug>.example.com/"
	email     string
	guid      string // podcast:guid
	copyright string
	numbering string // episode title prefix template
	feat      feature

	durStyle      int // itunes:duration format; see appendDuration
	meanDur       int // seconds
	bytesPerSec   int
	bonusEvery    int // every bonusEvery-th episode is a bonus; 0: none
	seasonLen     int // episodes per season; 0: no seasons
	explicitStyle int // index into explicitWords
	guidStyle     int
	guidPrefix    string
}

// feature is a set of optional tags, so feeds differ the way real ones do.
type feature uint16

const (
	featPodcastNS       feature = 1 << iota // podcast:guid, podcast:person, ...
	featContentEncoded                      // content:encoded with the HTML; description plain
	featItunesTitle                         // itunes:title without the number prefix
	featAtomSelf                            // atom:link rel="self"
	featTTL                                 // <ttl>
	featEpisodeImage                        // itunes:image per item
	featEpisodeExplicit                     // itunes:explicit per item
	featHTMLDescription                     // channel description in <p> with a link
	featManagingEditor                      // <managingEditor>
)

// featureChances are the percentages of shows with each feature, in bit order.
var featureChances = []int{40, 35, 45, 50, 20, 15, 30, 35, 30}

// newShow generates show i of a catalogue. It draws from its own stream, so show i is the same
// whatever the size of the catalogue. Slug is left for New, which makes it unique.
func newShow(cfg Config, i int) show {
	r := rng{mix(uint64(cfg.Seed), uint64(i))}
	s := show{seed: r.next(), lang: languageFor(cfg.Seed, i)}
	l := s.lang
	s.Language = pick(&r, l.codes)
	s.genre = l.pickGenre(&r)
	s.Category = s.genre.category
	if len(s.genre.subs) > 0 && r.chance(65) {
		s.Subcategory = pick(&r, s.genre.subs)
	}
	s.pickHosts(&r)
	s.pickSchedule(&r, cfg)
	s.Title = s.pickTitle(&r)
	s.Explicit = r.chance(ifElse(s.Category == "Comedy", 45, 12))
	s.Serial = l == &english && r.chance(ifElse(s.Category == "Fiction" || s.Category == "True Crime", 60, 5))
	for b, pct := range featureChances {
		if r.chance(pct) {
			s.feat |= 1 << b
		}
	}
	s.pickEpisodeStyle(&r)
	return s
}

// finish sets what depends on the slug.
func (s *show) finish(seed int64) {
	r := &rng{mix(s.seed, 1<<40)}
	s.website = "https://" + s.Slug + ".example.com/"
	s.email = "hello@" + s.Slug + ".example.com"
	s.ImageURL = "/images/" + s.Slug + ".png"
	s.guid = uuidV5(podcastNamespace, fmt.Sprintf("demo.hark/%d/%s", seed, s.Slug))
	s.guidPrefix = fmt.Sprintf("%08x", uint32(s.seed))
	s.copyright = fmt.Sprintf("© %d %s", s.pubDate(1).Year(), s.Author)
	v := s.vars()
	b := expand(nil, pick(r, s.lang.showIntro), &v)
	b = append(b, ' ')
	b = expand(b, pick(r, s.lang.showMore), &v)
	if s.feat&featHTMLDescription != 0 {
		b = append([]byte("<p>"), b...)
		b = append(b, "</p><p>"...)
		b = expand(b, s.lang.showLink, &v)
		b = append(b, "</p>"...)
	}
	s.Description = string(b)
}

func (s *show) vars() vars {
	return vars{
		host: s.hosts, lead: s.lead, topic: s.topic, show: s.Title,
		link: s.website, site: strings.TrimSuffix(strings.TrimPrefix(s.website, "https://"), "/"),
		cadence: s.lang.cadences[s.cadenceIdx],
	}
}

func (s *show) pickHosts(r *rng) {
	l := s.lang
	n := 1 + r.intn(2)
	for range n {
		s.hostList = append(s.hostList, pick(r, l.first)+" "+pick(r, l.last))
	}
	if n == 2 && s.hostList[0] == s.hostList[1] {
		s.hostList = s.hostList[:1]
	}
	s.hosts = strings.Join(s.hostList, l.join)
	s.lead, _, _ = strings.Cut(s.hostList[0], " ")
	s.Author = strings.Join(s.hostList, " & ")
	if r.chance(35) {
		s.Author = pick(r, l.networks)
	}
	s.interview = r.chance(70)
}

func (s *show) pickTitle(r *rng) string {
	g := s.genre
	k := r.intn(len(g.topics))
	s.topic = g.topics[k]
	v := s.vars()
	if len(g.names) > 0 {
		v.name = g.names[k]
	} else {
		v.name = titleCaseString(s.topic)
	}
	if len(g.roles) > 0 {
		v.role = pick(r, g.roles)
		v.adj = pick(r, s.lang.adjectives)
	}
	return string(expand(nil, pick(r, s.lang.showTitles), &v))
}

// pickSchedule sets the episode count and the dates: the initial episodes end near
// cfg.Reference, at the show's usual hour in its time zone.
func (s *show) pickSchedule(r *rng, cfg Config) {
	s.initial = r.skewed(cfg.MinEpisodes, cfg.MaxEpisodes)
	s.Episodes = s.initial
	s.cadenceIdx = weighted(r, cadenceWeights)
	const maxSpan = 12 * 365 * 24 * time.Hour // big shows publish often, not for forty years
	for s.cadenceIdx > 0 && time.Duration(s.initial)*cadences[s.cadenceIdx] > maxSpan {
		s.cadenceIdx--
	}
	s.cadence = cadences[s.cadenceIdx]
	s.maxJitter = min(int(s.cadence/time.Minute)/4, 180)

	zone := time.FixedZone("", pick(r, s.lang.zones)*3600)
	ref := cfg.Reference.In(zone).AddDate(0, 0, -r.intn(6))
	y, m, d := ref.Date()
	s.anchor = time.Date(y, m, d, r.between(4, 18), 0, 0, 0, zone)
}

func (s *show) pickEpisodeStyle(r *rng) {
	l := s.lang
	if s.Serial {
		s.numbering = pick(r, l.serialNumbering)
		s.seasonLen = r.between(6, 12)
	} else {
		s.numbering = pick(r, l.numbering)
		if r.chance(15) {
			s.seasonLen = r.between(20, 52)
		}
		if r.chance(30) {
			s.bonusEvery = r.between(12, 40)
		}
	}
	s.durStyle = weighted(r, []int{35, 20, 35, 10})
	s.meanDur = r.between(12, 95) * 60
	s.bytesPerSec = pick(r, []int{8000, 12000, 16000, 16000, 24000})
	s.explicitStyle = weighted(r, []int{60, 30, 10})
	s.guidStyle = r.intn(4)
}

func ifElse[T any](cond bool, yes, no T) T {
	if cond {
		return yes
	}
	return no
}
