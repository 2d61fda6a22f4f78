package searchcache

import (
	"container/list"
	"sync"
	"time"
)

// lru holds answers under their keys, the least recently used dropped first when there are
// more than maxEntries or they weigh more than maxBytes, each for at most ttl, and all of them
// only for the index generation they were computed in.
type lru struct {
	maxEntries int
	maxBytes   int64
	ttl        time.Duration

	mu    sync.Mutex
	gen   int64 // the index generation the entries belong to
	bytes int64
	items map[string]*list.Element
	order list.List // of *entry, most recently used at the front
}

type entry struct {
	key    string
	value  any
	size   int64
	stored time.Time
}

func newLRU(maxEntries int, maxBytes int64, ttl time.Duration, gen int64) *lru {
	return &lru{maxEntries: maxEntries, maxBytes: maxBytes, ttl: ttl, gen: gen, items: map[string]*list.Element{}}
}

// get returns the value stored under key, unless it is older than the ttl at now.
func (l *lru) get(key string, now time.Time) (any, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	el, ok := l.items[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*entry)
	if now.Sub(e.stored) >= l.ttl {
		l.remove(el)
		return nil, false
	}
	l.order.MoveToFront(el)
	return e.value, true
}

// put stores value under key, computed in generation gen, unless the generation has moved on
// since (the answer may predate the index's last batch) or is not known (negative), or it is
// bigger than the whole cache.
func (l *lru) put(key string, gen int64, value any, size int64, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if gen < 0 || gen != l.gen || size > l.maxBytes {
		return
	}
	if el, ok := l.items[key]; ok {
		l.remove(el)
	}
	l.items[key] = l.order.PushFront(&entry{key: key, value: value, size: size, stored: now})
	l.bytes += size
	for len(l.items) > l.maxEntries || l.bytes > l.maxBytes {
		l.remove(l.order.Back())
	}
}

func (l *lru) remove(el *list.Element) {
	e := l.order.Remove(el).(*entry)
	delete(l.items, e.key)
	l.bytes -= e.size
}

// generation is the index generation the cache serves.
func (l *lru) generation() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.gen
}

// setGeneration moves the cache to generation gen, dropping every entry of another.
func (l *lru) setGeneration(gen int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if gen == l.gen {
		return
	}
	l.gen = gen
	clear(l.items)
	l.order.Init()
	l.bytes = 0
}

// len returns the number of entries and their weight.
func (l *lru) len() (int, int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.items), l.bytes
}
