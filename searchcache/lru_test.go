package searchcache

import (
	"fmt"
	"testing"
	"time"
)

func TestLRUKeepsItsBounds(t *testing.T) {
	t.Parallel()
	now := time.Now()
	tests := []struct {
		name    string
		entries int
		bytes   int64
		sizes   []int64 // of entries put under keys 0, 1, ...
		get     []int   // keys read after all the puts, before the last one
		want    []int   // keys left, in any order
	}{
		{"entries", 3, 1000, []int64{10, 10, 10, 10, 10}, nil, []int{2, 3, 4}},
		{"bytes", 10, 100, []int64{40, 40, 40}, nil, []int{1, 2}},
		{"least recently used out", 3, 1000, []int64{10, 10, 10, 10}, []int{0}, []int{0, 2, 3}},
		{"bigger than the cache", 10, 100, []int64{10, 101}, nil, []int{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLRU(tt.entries, tt.bytes, time.Hour, 1)
			last := len(tt.sizes) - 1
			for k, size := range tt.sizes[:last] {
				l.put(fmt.Sprint(k), 1, k, size, now)
			}
			for _, k := range tt.get {
				l.get(fmt.Sprint(k), now)
			}
			l.put(fmt.Sprint(last), 1, last, tt.sizes[last], now)
			n, bytes := l.len()
			if n != len(tt.want) || n > tt.entries || bytes > tt.bytes {
				t.Errorf("%d entries, %d bytes; want %d entries, at most %d and %d bytes", n, bytes, len(tt.want), tt.entries, tt.bytes)
			}
			for _, k := range tt.want {
				if v, ok := l.get(fmt.Sprint(k), now); !ok || v != k {
					t.Errorf("key %d: %v, %v; want it kept", k, v, ok)
				}
			}
		})
	}
}

func TestLRUForgetsOldAnswers(t *testing.T) {
	t.Parallel()
	now := time.Now()
	l := newLRU(10, 1000, time.Minute, -1)
	l.put("unknown", -1, 1, 1, now)
	if _, ok := l.get("unknown", now); ok {
		t.Error("an answer was kept while the generation was unknown")
	}
	l.setGeneration(7)
	l.put("a", 7, 1, 1, now)
	if _, ok := l.get("a", now.Add(59*time.Second)); !ok {
		t.Error("an answer was lost within its TTL")
	}
	if _, ok := l.get("a", now.Add(time.Minute)); ok {
		t.Error("an answer was served past its TTL")
	}
	l.put("b", 7, 1, 1, now)
	l.setGeneration(8)
	if _, ok := l.get("b", now); ok {
		t.Error("an answer of generation 7 was served in generation 8")
	}
	l.put("c", 7, 1, 1, now) // computed before the bump, stored after it
	if _, ok := l.get("c", now); ok {
		t.Error("an answer computed in generation 7 was kept in generation 8")
	}
	if n, bytes := l.len(); n != 0 || bytes != 0 {
		t.Errorf("%d entries of %d bytes left; want none", n, bytes)
	}
}
