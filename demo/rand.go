package demo

import "math/bits"

// rng is splitmix64. It is tiny, fast and fully specified here, so a seed yields the same
// catalogue on every platform and Go release; math/rand makes no such promise for its sources.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a number in [0, n), or 0 when n <= 0.
func (r *rng) intn(n int) int {
	if n <= 0 {
		return 0
	}
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// chance reports true pct times out of 100.
func (r *rng) chance(pct int) bool { return r.intn(100) < pct }

// skewed returns a number in [lo, hi] with most results near lo: it maps u³ for a uniform u,
// so the median is lo+(hi-lo)/8, the mean lo+(hi-lo)/4, and a few results reach hi. Integer
// maths keeps it exact on every platform (the compiler may fuse floating-point operations
// differently per GOARCH).
func (r *rng) skewed(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	u := r.next() >> 44 // 20 bits
	u3 := u * u * u     // < 2^60
	prod1, prod0 := bits.Mul64(u3, uint64(hi-lo+1))
	return lo + int(prod1<<4|prod0>>60)
}

func pick[T any](r *rng, list []T) T { return list[r.intn(len(list))] }

// weighted returns an index into weights, chosen in proportion to the weights.
func weighted(r *rng, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.intn(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// mix derives an independent seed for item b of stream a.
func mix(a, b uint64) uint64 {
	r := rng{a ^ (b+1)*0xd1b54a32d192ed03}
	r.next()
	return r.next()
}
