package feed

import (
	"bytes"
	"testing"

	"github.com/mmcdole/gofeed"
)

// benchRealFeeds runs parse over all real fixtures each iteration; MB/s is over their total
// size. The fixtures are loaded once per benchmark.
func benchRealFeeds(b *testing.B, parse func(body []byte) error) {
	b.Helper()
	var bodies [][]byte
	var total int64
	for _, path := range fixtureFiles(b, "real") {
		body := readFixture(b, path)
		bodies = append(bodies, body)
		total += int64(len(body))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for _, body := range bodies {
			if err := parse(body); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParse measures Parse over all real fixtures.
func BenchmarkParse(b *testing.B) {
	benchRealFeeds(b, func(body []byte) error {
		_, err := Parse(body, fixtureFeedURL)
		return err
	})
}

// BenchmarkGofeedRaw is the baseline: gofeed alone on the same bytes, no repairs, no mapping.
func BenchmarkGofeedRaw(b *testing.B) {
	benchRealFeeds(b, func(body []byte) error {
		_, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		return err
	})
}
