package feed

import (
	"context"
	"sync"
)

// hostLimiter caps concurrent fetches per host. Entries exist only while a host has fetches in
// flight or waiting, so the map does not grow with every host ever crawled.
type hostLimiter struct {
	limit int
	mu    sync.Mutex
	hosts map[string]*hostSlot
}

// hostSlot is the semaphore of one host and the number of fetches holding or awaiting it.
type hostSlot struct {
	sem  chan struct{}
	refs int
}

func newHostLimiter(limit int) *hostLimiter {
	return &hostLimiter{limit: limit, hosts: map[string]*hostSlot{}}
}

// acquire waits for a slot for host; the returned func releases it. It returns ctx's error when
// ctx ends first.
func (l *hostLimiter) acquire(ctx context.Context, host string) (func(), error) {
	l.mu.Lock()
	s := l.hosts[host]
	if s == nil {
		s = &hostSlot{sem: make(chan struct{}, l.limit)}
		l.hosts[host] = s
	}
	s.refs++
	l.mu.Unlock()

	select {
	case s.sem <- struct{}{}:
		return func() { <-s.sem; l.unref(host, s) }, nil
	case <-ctx.Done():
		l.unref(host, s)
		return nil, ctx.Err()
	}
}

// unref drops one reference to host's slot and forgets the slot when none remain.
func (l *hostLimiter) unref(host string, s *hostSlot) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s.refs--
	if s.refs == 0 {
		delete(l.hosts, host)
	}
}
