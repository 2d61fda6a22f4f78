package sitemap

import "testing"

// TestSitemapRanges: the files' ID ranges follow each other with no gap, cover every ID, and
// their number keeps about Target rows a file.
func TestSitemapRanges(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ rows, files int }{
		{0, 1}, {25000, 1}, {25001, 2}, {75000, 4}, {1_000_000, 64}, {1 << 40, MaxFiles},
	} {
		if got := Files(tt.rows); got != tt.files {
			t.Errorf("Files(%d) = %d, want %d", tt.rows, got, tt.files)
		}
	}
	files := Files(1_000_000)
	prevTo := ""
	for n := 1; n <= files; n++ {
		from, to := Range(n, files)
		if from != prevTo {
			t.Fatalf("file %d starts at %q, want %q where file %d ended", n, from, prevTo, n-1)
		}
		if to != "" && to <= from {
			t.Fatalf("file %d: range [%q, %q) is empty", n, from, to)
		}
		prevTo = to
	}
	if prevTo != "" {
		t.Errorf("the last file ends at %q, want no bound", prevTo)
	}
}
