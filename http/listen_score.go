package http

import (
	"context"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"hark"
)

// scoreQuantiles is how finely the quality score's distribution is kept: 1000 steps place a
// podcast to a tenth of a percent.
const scoreQuantiles = 1000

// scoreRefresh is how old the distribution may grow before it is read again.
const scoreRefresh = 10 * time.Minute

// listenScores holds the distribution of the quality scores of Hark's live podcasts, read
// from Postgres at most every scoreRefresh, to turn a podcast's quality score into the Listen
// API's listen_score (its percentile, 0 to 100) and listen_score_global_rank (the share of
// podcasts that score as high, "0.5%").
type listenScores struct {
	cur        atomic.Pointer[scoreTable]
	refreshing atomic.Bool
	first      sync.Mutex
}

type scoreTable struct {
	quantiles []float64 // ascending; empty: no podcasts to rank against
	at        time.Time
}

// table returns the distribution: read now the first time, then refreshed in the background
// when stale, the stale one answering meanwhile.
func (s *Server) scoreTable() *scoreTable {
	ls := &s.scores
	t := ls.cur.Load()
	if t == nil {
		ls.first.Lock()
		defer ls.first.Unlock()
		if t = ls.cur.Load(); t == nil {
			t = s.readScores()
		}
		return t
	}
	if time.Since(t.at) > scoreRefresh && ls.refreshing.CompareAndSwap(false, true) {
		go func() {
			defer ls.refreshing.Store(false)
			s.readScores()
		}()
	}
	return t
}

// readScores reads the distribution; on an error it keeps what it had, for another minute.
func (s *Server) readScores() *scoreTable {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	qs, err := s.store.QualityQuantiles(ctx, scoreQuantiles)
	t := &scoreTable{quantiles: qs, at: time.Now()}
	if err != nil {
		s.logger.WarnContext(ctx, "Listen scores not refreshed", "error", err)
		if old := s.scores.cur.Load(); old != nil {
			t = &scoreTable{quantiles: old.quantiles, at: time.Now().Add(time.Minute - scoreRefresh)}
		}
	}
	s.scores.cur.Store(t)
	return t
}

// listenScore returns a podcast's listen_score and listen_score_global_rank, or nils when it
// has no episodes (it is not ranked).
func (s *Server) listenScore(p *hark.Podcast) (*int, *string) {
	if p.EpisodeCount == 0 {
		return nil, nil
	}
	return s.rankQuality(p.QualityScore)
}

// rankQuality places a quality score in the distribution: its percentile, and the share of
// podcasts scoring as high, at least one step; nils when there is nothing to rank against.
func (s *Server) rankQuality(quality float64) (*int, *string) {
	qs := s.scoreTable().quantiles
	if len(qs) < 2 {
		return nil, nil
	}
	steps := len(qs) - 1
	below := min(sort.SearchFloat64s(qs, quality), steps) // steps of the distribution under it
	score := below * 100 / steps
	top := max(float64(steps-below), 1) / float64(steps) * 100
	rank := strconv.Itoa(int(top+0.5)) + "%"
	if top < 10 {
		rank = strconv.FormatFloat(top, 'f', 1, 64) + "%"
	}
	return &score, &rank
}
