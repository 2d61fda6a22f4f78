package db

import "sync"

// pendingCounts are counts kept in memory until a flush writes them (SearchLog, Tally), so a
// search or a crawl costs no write of its own. Safe for concurrent use.
type pendingCounts[K comparable] struct {
	mu sync.Mutex
	m  map[K]int64
}

// add counts n more of k.
func (p *pendingCounts[K]) add(k K, n int64) {
	p.mu.Lock()
	if p.m == nil {
		p.m = map[K]int64{}
	}
	p.m[k] += n
	p.mu.Unlock()
}

// flush hands the counts to write; when write fails they are kept for the next flush, added to
// what was counted meanwhile.
func (p *pendingCounts[K]) flush(write func(map[K]int64) error) error {
	p.mu.Lock()
	counts := p.m
	p.m = map[K]int64{}
	p.mu.Unlock()
	err := write(counts)
	if err != nil {
		p.mu.Lock()
		for k, n := range counts {
			p.m[k] += n
		}
		p.mu.Unlock()
	}
	return err
}
