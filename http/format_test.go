package http

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestFormatDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sec  int
		want string
	}{
		{0, ""}, {-3, ""}, {42, "42 s"}, {89, "1 min"}, {2400, "40 min"}, {3599, "1 h 00 min"}, {3725, "1 h 02 min"}, {36000, "10 h 00 min"},
	}
	for _, tt := range tests {
		if got := formatDuration(tt.sec); got != tt.want {
			t.Errorf("formatDuration(%d) = %q, want %q", tt.sec, got, tt.want)
		}
	}
}

func TestRelativeTime(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{"zero", time.Time{}, "never"},
		{"seconds", now.Add(-20 * time.Second), "just now"},
		{"one minute", now.Add(-time.Minute), "1 minute ago"},
		{"hours", now.Add(-5 * time.Hour), "5 hours ago"},
		{"days", now.Add(-72 * time.Hour), "3 days ago"},
		{"future", now.Add(2 * time.Hour), "in 2 hours"},
	}
	for _, tt := range tests {
		if got := relativeTime(tt.t, now); got != tt.want {
			t.Errorf("%s: relativeTime = %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := dueTime(now.Add(-time.Hour), now); got != "due now" {
		t.Errorf("dueTime of a past time = %q, want due now", got)
	}
}

func TestHighlightTerms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text, q, want string
	}{
		{"The Jazz Hour", "jazz", `The <span class="ln-search-highlight">Jazz</span> Hour`},
		{"Tom & Jerry <3", "jer", `Tom &amp; <span class="ln-search-highlight">Jer</span>ry &lt;3`},
		{"no match", "xyz", "no match"},
		{"aaa", "a", `<span class="ln-search-highlight">aaa</span>`},
	}
	for _, tt := range tests {
		if got := highlightTerms(tt.text, tt.q); got != tt.want {
			t.Errorf("highlightTerms(%q, %q) = %q, want %q", tt.text, tt.q, got, tt.want)
		}
	}
}

func TestHighlightedKeepsOnlyMarks(t *testing.T) {
	t.Parallel()
	in := `<span class="ln-search-highlight">jazz</span> <span class="x" onclick="a()">b</span><script>alert(1)</script><b>c</b>`
	want := `<span class="ln-search-highlight">jazz</span> <span>b</span>c` // a bare span is harmless
	if got := string(highlighted(in)); got != want {
		t.Errorf("highlighted = %q, want %q", got, want)
	}
}

func TestLanguageCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"English", "en", true}, {"english", "en", true}, {"en", "en", true}, {"pt-BR", "pt-br", true},
		{"Any language", "", true}, {"Klingon", "", false}, {"xx-yy", "", false},
	}
	for _, tt := range tests {
		got, ok := languageCode(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("languageCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	if got := languageName("en-us"); got != "English" {
		t.Errorf("languageName(en-us) = %q", got)
	}
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	if got := truncate("short", 10); got != "short" {
		t.Errorf("truncate kept %q", got)
	}
	if got := truncate("one two three four five", 12); got != "one two…" {
		t.Errorf("truncate = %q, want a cut at a space", got)
	}
}

func TestSafeHighlight(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`a <span class="ln-search-highlight">b</span> &amp; c`, `a <span class="ln-search-highlight">b</span> &amp; c`},
		{`<span class="ln-search-highlight">x</span><script>alert(1)</script>`, `<span class="ln-search-highlight">x</span>`},
		{`<span class="ln-search-highlight" onclick="x()">x</span>`, `<span class="ln-search-highlight">x</span>`},
		{`<img src=x onerror=alert(1)>`, ``},
	}
	for _, tt := range tests {
		if got := safeHighlight(tt.in); got != tt.want {
			t.Errorf("safeHighlight(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestIsOneLine checks the byte-level scan against its definition on text mixing ASCII, other
// scripts and every kind of space.
func TestIsOneLine(t *testing.T) {
	t.Parallel()
	parts := []string{"a", "é", "語", " ", "  ", "\t", "\n", "\r", "\u00a0", "\u0085", "\u2003", "\u3000", "x y", "\xff"}
	rnd := rand.New(rand.NewPCG(7, 7))
	for range 5000 {
		var b strings.Builder
		for range rnd.IntN(6) {
			b.WriteString(parts[rnd.IntN(len(parts))])
		}
		s := b.String()
		if got, want := isOneLine(s), strings.Join(strings.Fields(s), " ") == s; got != want {
			t.Fatalf("isOneLine(%q) = %v; want %v", s, got, want)
		}
	}
}

func TestPlainText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"<p>Hi <b>there</b></p><p>friend</p>", "Hi there friend"},
		{"Q&amp;A with&nbsp;guests", "Q&A with guests"},
		{"Q&A  and\nmore", "Q&A and more"},
		{"a < b & c", "a < b & c"},
		{"<script>alert(1)</script>Safe", "Safe"},
		{"Already one line, café", "Already one line, café"},
		{" lead", "lead"},
		{"trail ", "trail"},
		{"two  spaces", "two spaces"},
		{"tab\there", "tab here"},
		{"no\u00a0break", "no break"},
		{"ideographic\u3000space", "ideographic space"},
		{"next\u0085line", "next line"},
		{"cr\r\nlf", "cr lf"},
		{"", ""},
		{" ", ""},
	} {
		if got := plainText(tt.in); got != tt.want {
			t.Errorf("plainText(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
