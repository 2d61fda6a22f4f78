package http

import (
	"strings"
	"testing"
)

func TestSlug(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 30)
	tests := []struct{ name, title, want string }{
		{"plain", "The Jazz Hour", "the-jazz-hour"},
		{"accents", "Café Ölçü: Ça va?", "cafe-olcu-ca-va"},
		{"letters Unicode does not decompose", "Straße Ærø Łódź", "strasse-aero-lodz"},
		{"punctuation runs", "  #381 -- Show & Tell!! ", "381-show-tell"},
		{"no ASCII left", "日本語のポッドキャスト", ""},
		{"long, cut between words", long, strings.TrimSuffix(strings.Repeat("word-", 12), "-")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := slug(tt.title)
			if got != tt.want {
				t.Errorf("slug(%q) = %q, want %q", tt.title, got, tt.want)
			}
			if len(got) > maxSlugLength {
				t.Errorf("slug is %d bytes, over %d", len(got), maxSlugLength)
			}
		})
	}
}

func TestRefID(t *testing.T) {
	t.Parallel()
	id := "0123456789abcdef0123456789abcdef"
	tests := []struct{ ref, want string }{
		{id, id},
		{"the-jazz-hour-" + id, id},
		{"wrong-" + id, id},
		{"x" + id, ""},
		{"the-jazz-hour", ""},
		{"0123456789ABCDEF0123456789ABCDEF", ""},
	}
	for _, tt := range tests {
		if got := refID(tt.ref); got != tt.want {
			t.Errorf("refID(%q) = %q, want %q", tt.ref, got, tt.want)
		}
	}
	if got := podcastPath(id, "日本語"); got != "/podcasts/"+id {
		t.Errorf("path of a title without ASCII = %q, want the bare ID", got)
	}
}

// TestSitemapRanges: the files' ID ranges follow each other with no gap, cover every ID, and
// their number keeps about sitemapTarget rows a file.
func TestSitemapRanges(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ rows, files int }{
		{0, 1}, {25000, 1}, {25001, 2}, {75000, 4}, {1_000_000, 64}, {1 << 40, sitemapMaxFiles},
	} {
		if got := sitemapFiles(tt.rows); got != tt.files {
			t.Errorf("sitemapFiles(%d) = %d, want %d", tt.rows, got, tt.files)
		}
	}
	files := sitemapFiles(1_000_000)
	prevTo := ""
	for n := 1; n <= files; n++ {
		from, to := sitemapRange(n, files)
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
