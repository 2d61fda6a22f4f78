package demo

import (
	"strconv"
	"time"
)

// Salts separate a show's random streams: dates must not shift when an episode's words do.
const (
	dateSalt = 0x5851f42d4c957f2d
	guidSalt = 0x2545f4914f6cdd1d
)

// episode is one item, built by show.episode. Its byte slices are scratch space that a
// feedWriter reuses from item to item, so a feed costs no allocation per episode.
type episode struct {
	n         int // index in the feed, 1 for the oldest
	number    int // as shown in the title: bonus episodes are not counted
	season    int // 0: none
	inSeason  int
	bonus     bool
	published time.Time
	duration  int // seconds
	durStyle  int // see appendDuration
	size      int64
	guest     [2]string // first, last; empty when there is none
	explicit  bool

	title       []byte // as in <title>, with number prefix and guest
	itunesTitle []byte // a suffix of title, without the number prefix
	html        []byte
}

// pubDate returns when episode n came out: the show's cadence counted from its anchor, plus a
// jitter smaller than the cadence so that dates stay in order.
func (s *show) pubDate(n int) time.Time {
	r := rng{mix(s.seed^dateSalt, uint64(n))}
	jitter := time.Duration(r.intn(s.maxJitter*60)) * time.Second
	return s.anchor.Add(time.Duration(n-s.initial)*s.cadence + jitter)
}

// episode fills e with episode n. It depends on nothing but the show and n.
func (s *show) episode(e *episode, n int) {
	r := rng{mix(s.seed, uint64(n))}
	s.numberEpisode(e, n)
	e.published = s.pubDate(n)
	e.guest = [2]string{}
	if s.interview && !e.bonus && r.chance(75) {
		e.guest = [2]string{pick(&r, s.lang.first), pick(&r, s.lang.last)}
	}

	v := vars{lead: s.lead, guest: e.guest, number: e.number, season: e.season, episode: e.inSeason, id: n, link: s.website}
	v.site = s.website[len("https://") : len(s.website)-1]
	v.subject = pick(&r, s.genre.subjects)
	v.other = pick(&r, s.genre.subjects)
	if v.other == v.subject {
		v.other = pick(&r, s.genre.subjects)
	}
	if len(s.lang.gerunds) > 0 {
		v.gerund = pick(&r, s.lang.gerunds)
		v.guestAs = pick(&r, s.lang.guestRoles)
	}
	s.episodeTitle(e, &r, &v)
	s.episodeDescription(e, &r, &v)

	e.duration = max(60, s.meanDur*r.between(70, 130)/100)
	if e.bonus {
		e.duration /= 3
	}
	e.size = int64(e.duration*s.bytesPerSec + r.between(1000, 40000))
	e.explicit = s.Explicit && !r.chance(20)
	e.durStyle = s.durStyle
	if e.durStyle == 3 { // a show that mixes forms, as feeds edited by several tools do
		e.durStyle = r.intn(4)
	}
}

func (s *show) numberEpisode(e *episode, n int) {
	e.n = n
	e.bonus = s.bonusEvery > 0 && n%s.bonusEvery == 0
	e.number = n
	if s.bonusEvery > 0 {
		e.number = n - n/s.bonusEvery
	}
	e.season, e.inSeason = 0, e.number
	if s.seasonLen > 0 {
		e.season = (e.number-1)/s.seasonLen + 1
		e.inSeason = (e.number-1)%s.seasonLen + 1
	}
}

func (s *show) episodeTitle(e *episode, r *rng, v *vars) {
	l := s.lang
	e.title = e.title[:0]
	if e.bonus {
		e.title = append(e.title, l.bonus...)
	} else {
		e.title = expand(e.title, s.numbering, v)
	}
	start := len(e.title)
	e.title = expand(e.title, pick(r, l.episodeTitles), v)
	if l == &english {
		titleCase(e.title, start)
	} else {
		capitalize(e.title, start)
	}
	if e.guest[0] != "" && r.chance(70) {
		e.title = v.append(append(e.title, l.with...), "g")
	}
	e.itunesTitle = e.title[start:]
}

func (s *show) episodeDescription(e *episode, r *rng, v *vars) {
	l := s.lang
	e.html = append(e.html[:0], "<p>"...)
	if e.guest[0] != "" {
		e.html = expand(e.html, pick(r, l.guestOpen), v)
	} else {
		e.html = expand(e.html, pick(r, l.soloOpen), v)
	}
	for k := r.between(1, 2); k > 0; k-- {
		e.html = expand(append(e.html, ' '), pick(r, l.more), v)
	}
	e.html = append(e.html, "</p><p>"...)
	e.html = expand(e.html, l.notes, v)
	e.html = append(e.html, "</p>"...)
}

// appendDuration formats secs for itunes:duration in one of the forms feeds use:
// 0 "3723", 1 "62:03", 2 "1:02:03" (or "45:12" under an hour), 3 "01:02:03".
func appendDuration(dst []byte, secs, style int) []byte {
	h, m, sec := secs/3600, secs/60%60, secs%60
	switch style {
	case 0:
		return strconv.AppendInt(dst, int64(secs), 10)
	case 1:
		return append2(append(strconv.AppendInt(dst, int64(secs/60), 10), ':'), sec)
	case 2:
		if h == 0 {
			return append2(append(strconv.AppendInt(dst, int64(m), 10), ':'), sec)
		}
		dst = append2(append(strconv.AppendInt(dst, int64(h), 10), ':'), m)
		return append2(append(dst, ':'), sec)
	}
	dst = append2(append(append2(dst, h), ':'), m)
	return append2(append(dst, ':'), sec)
}

// append2 appends n with at least two digits.
func append2(dst []byte, n int) []byte {
	if n < 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendInt(dst, int64(n), 10)
}
