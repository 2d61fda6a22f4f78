package feed

import (
	"bytes"
	"testing"

	"github.com/mmcdole/gofeed"
)

// realFeedBodies loads the real fixtures once per benchmark.
func realFeedBodies(b *testing.B) ([][]byte, int64) {
	b.Helper()
	var bodies [][]byte
	var total int64
	for _, path := range fixtureFiles(b, "real") {
		body := readFixture(b, path)
		bodies = append(bodies, body)
		total += int64(len(body))
	}
	return bodies, total
}

// BenchmarkParse measures Parse over all real fixtures; MB/s is over their total size.
func BenchmarkParse(b *testing.B) {
	bodies, total := realFeedBodies(b)
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for _, body := range bodies {
			if _, err := Parse(body, fixtureFeedURL); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkGofeedRaw is the baseline: gofeed alone on the same bytes, no repairs, no mapping.
func BenchmarkGofeedRaw(b *testing.B) {
	bodies, total := realFeedBodies(b)
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for _, body := range bodies {
			if _, err := gofeed.NewParser().Parse(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
		}
	}
}
