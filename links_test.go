package hark

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
			got := Slug(tt.title)
			if got != tt.want {
				t.Errorf("Slug(%q) = %q, want %q", tt.title, got, tt.want)
			}
			if len(got) > maxSlugLength {
				t.Errorf("slug is %d bytes, over %d", len(got), maxSlugLength)
			}
		})
	}
}
