package search

import (
	"html"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hark"
)

func TestPlainText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in, want string
	}{
		{"plain", "plain"},
		{"<p>Hello <b>bold</b> world</p><p>Next</p>", "Hello bold world Next"},
		{"line<br/>break", "line break"},
		{"Tom &amp; Jerry &lt;3 &#8217;s", "Tom & Jerry <3 ’s"},
		{"a < b and c > d", "a < b and c > d"},
		{"x<script>alert(1)</script>y", "xy"},
		{"x<STYLE type=text/css>p{}</STYLE>y", "xy"},
		{"x<!-- comment -->y", "xy"},
		{"  lots\n\n of \t space  ", "lots of space"},
		{"<a href=\"http://x\">link</a>", "link"},
		{"mark\ue000forged\ue001", "markforged"},
		{"&lt;script&gt;", "<script>"},
		{"unclosed <b", "unclosed <b"},
	} {
		if got := plainText(tt.in, maxDescription); got != tt.want {
			t.Errorf("plainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanLine(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"", ""}, {"a b", "a b"}, {" a", "a"}, {"a ", "a"}, {"a  b", "a b"}, {"a\tb", "a b"},
		{"é  ü", "é ü"}, {"x\u0000y", "x y"}, {"\ue000x\ue001", "x"}, {" ", ""},
	} {
		if got := cleanLine(tt.in); got != tt.want {
			t.Errorf("cleanLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPlainTextTruncates(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("héllo wörld ", maxDescription/8)
	got := plainText(long, maxDescription)
	if len(got) > maxDescription || len(got) < maxDescription*4/5 {
		t.Errorf("len = %d, want just under %d", len(got), maxDescription)
	}
	if !strings.HasSuffix(got, "héllo") && !strings.HasSuffix(got, "wörld") {
		t.Errorf("cut inside a word: ...%q", got[len(got)-20:])
	}
}

func TestSnippetHTML(t *testing.T) {
	t.Parallel()
	plain := "one two <three> & four five"
	for _, tt := range []struct {
		marked, want string
	}{
		{"", "one two &lt;three&gt; &amp; four five"},
		{"one \ue000two\ue001 <three> & four five", `one <span class="ln-search-highlight">two</span> &lt;three&gt; &amp; four five`},
		{"two <three> & \ue000four\ue001", `…two &lt;three&gt; &amp; <span class="ln-search-highlight">four</span>…`},
	} {
		if got := snippetHTML(tt.marked, plain); got != tt.want {
			t.Errorf("snippetHTML(%q) = %q, want %q", tt.marked, got, tt.want)
		}
	}
	words := strings.Repeat("w ", 100)
	if got := snippetHTML("", words); strings.Count(got, "w") != 2*snippetTokens+1 || !strings.HasSuffix(got, "…") {
		t.Errorf("unmatched long description: %q", got)
	}
}

// TestHighlightHTML holds the one-pass highlightHTML and unmark to what escaping and then
// replacing the marks gives, on text with every character they treat specially.
func TestHighlightHTML(t *testing.T) {
	t.Parallel()
	marks := strings.NewReplacer(markStart, highlightStart, markEnd, highlightEnd)
	unmarks := strings.NewReplacer(markStart, "", markEnd, "")
	for _, s := range []string{
		"", "plain words", "\ue000match\ue001", "\ue000a\ue001 & \ue000b\ue001",
		`<b>"Q&A"</b> it's`, "caf\u00e9 \ue002 not a mark \ue000\u65e5\u672c\ue001", "\ue000", "x\ue001",
		"\xee", "a\xee\x80", "\ue000<script>\ue001&amp;",
	} {
		if got, want := highlightHTML(s), marks.Replace(html.EscapeString(s)); got != want {
			t.Errorf("highlightHTML(%q) = %q, want %q", s, got, want)
		}
		if got, want := unmark(s), unmarks.Replace(s); got != want {
			t.Errorf("unmark(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestTermOf(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		marked, want string
	}{
		{"\ue000StarTalk\ue001 Radio: Cosmic Queries", "startalk radio"},
		{"Blueprint for \ue000Armageddon\ue001 I", "armageddon i"},
		{"The \ue000Star\ue001 Wars Explained Podcast", "star wars explained"},
		{"\ue000Rock\ue001 & Roll", "rock & roll"},
		{"\ue000Don't\ue001 Panic", "don't panic"},
		{"\ue000Crime\ue001 - Weekly", "crime"},
		{"no match", ""},
	} {
		if got := termOf(tt.marked); got != tt.want {
			t.Errorf("termOf(%q) = %q, want %q", tt.marked, got, tt.want)
		}
	}
}

func TestFirstWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		s    string
		n    int
		want string
	}{
		{"", 3, ""},
		{"one two three", 3, "one two three"},
		{"one two three four", 3, "one two three…"},
		{"one  two\tthree  four five", 3, "one two three…"},
		{"  one two  ", 3, "  one two  "},
		{"日本 語 の テキスト", 2, "日本 語…"},
	} {
		if got := firstWords(tt.s, tt.n); got != tt.want {
			t.Errorf("firstWords(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

// TestCommonTerms: the common words of episodes are counted in their text without markup, as
// the index searches it ("b" is a tag); terms.CommonWords's own tests cover the counting.
func TestCommonTerms(t *testing.T) {
	t.Parallel()
	texts := []string{"<b>Show</b> 1: Rust", "Show <b>2</b>: Go", "<p>Interview</p>: Zig"}
	if diff := cmp.Diff([]string{"show"}, commonTerms(texts, 0.5)); diff != "" {
		t.Errorf("commonTerms(0.5) (-want +got):\n%s", diff)
	}
	if got := commonTerms(nil, 0.25); got != nil {
		t.Errorf("commonTerms of no texts = %q; want nil", got)
	}
}

// TestSearchValuesDropCommonTerms: once SetCommonTerms has run, episode searches send
// Typesense the query without those words, and podcast searches are untouched.
func TestSearchValuesDropcommonTerms(t *testing.T) {
	t.Parallel()
	ix, err := New(Config{Nodes: []string{"http://127.0.0.1:1"}, APIKey: "k"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	q := hark.SearchQuery{Q: "#381 Show Me That Pegsasusly", Type: hark.SearchTypeEpisode}
	if v, _, err := ix.searchValues(q); err != nil || v.Get("q") != "381 show pegsasusly" {
		t.Fatalf("before SetCommonTerms: q = %q, %v", v.Get("q"), err)
	}
	ix.SetCommonTerms([]string{"show"})
	if v, _, err := ix.searchValues(q); err != nil || v.Get("q") != "381 pegsasusly" {
		t.Fatalf("with show common: q = %q, %v; want 381 pegsasusly", v.Get("q"), err)
	}
	q.Type = hark.SearchTypePodcast
	if v, _, err := ix.searchValues(q); err != nil || v.Get("q") != "381 show me that pegsasusly" {
		t.Fatalf("podcast search: q = %q, %v; want it as typed, folded", v.Get("q"), err)
	}
}

// TestSearchValuesCutoff: Typesense is told to stop looking well before the query timeout, so a
// slow search answers with the best hits so far instead of running on after a 503.
func TestSearchValuesCutoff(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		timeout time.Duration
		want    string
	}{{0, "600"}, {2 * time.Second, "1200"}} { // 0: the default, 1s
		ix, err := New(Config{Nodes: []string{"http://127.0.0.1:1"}, APIKey: "k", QueryTimeout: tt.timeout}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, typ := range []string{hark.SearchTypeEpisode, hark.SearchTypePodcast} {
			v, _, err := ix.searchValues(hark.SearchQuery{Q: "history", Type: typ})
			if err != nil || v.Get("search_cutoff_ms") != tt.want {
				t.Errorf("timeout %s, %s search: search_cutoff_ms = %q, %v; want %s", tt.timeout, typ, v.Get("search_cutoff_ms"), err, tt.want)
			}
		}
	}
}

// TestWriteQueryEscaped checks writeQueryEscaped against url.QueryEscape on every byte and on
// random mixes of the kinds of text a search sends: words, commas, backticks, quotes, '%', '+',
// the highlight marks and other UTF-8, and invalid bytes.
func TestWriteQueryEscaped(t *testing.T) {
	t.Parallel()
	check := func(s string) {
		t.Helper()
		var b strings.Builder
		writeQueryEscaped(&b, s)
		if got, want := b.String(), url.QueryEscape(s); got != want {
			t.Fatalf("writeQueryEscaped(%q) = %q; want %q", s, got, want)
		}
	}
	for c := range 256 {
		check(string([]byte{byte(c)}))
	}
	parts := []string{"a", "Z", "9", " ", ",", "`", `"`, "%", "+", "&", "=", "-_.~", ":=", "[", "é", "語", markStart, markEnd, "\xff", "\x00"}
	rnd := rand.New(rand.NewPCG(3, 5))
	for range 5000 {
		var b strings.Builder
		for range rnd.IntN(8) {
			b.WriteString(parts[rnd.IntN(len(parts))])
		}
		check(b.String())
	}
}

// TestSuggestValues: the searches the bench sends straight to Typesense are those Suggest sends:
// episode titles without stop words, none when only stop words are left, both with the cutoff.
func TestSuggestValues(t *testing.T) {
	t.Parallel()
	ix, err := New(Config{Nodes: []string{"http://127.0.0.1:1"}, APIKey: "k"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	pods, eps := ix.suggestValues(" the jaz ")
	pv, err1 := url.ParseQuery(pods)
	ev, err2 := url.ParseQuery(eps)
	if err1 != nil || err2 != nil || pv.Get("q") != "the jaz" || ev.Get("q") != "jaz" ||
		pv.Get("search_cutoff_ms") != "600" || ev.Get("search_cutoff_ms") != "600" || ev.Get("include_fields") != "title" {
		t.Errorf("SuggestValues(the jaz) = %q, %q", pods, eps)
	}
	if pods, eps := ix.suggestValues("the"); eps != "" || !strings.Contains(pods, "q=the&") {
		t.Errorf("SuggestValues(the) = %q, %q; want a podcasts search only", pods, eps)
	}
}
