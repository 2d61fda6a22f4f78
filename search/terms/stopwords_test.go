package terms

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDropStopWords(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"How Is It Right to Justify the Ungodly?", "How Right Justify Ungodly?"},
		{"The Daily", "Daily"},
		{"This American Life", "American Life"},
		{"Why We Suffer", "Why Suffer"},
		{"It Is What It Is", "What"},
		{"It Is", "It Is"}, // only stop words: as typed
		{"the history of the roman empire", "history roman empire"},
		{`"the end of the world" and the rest`, `"the end of the world" rest`}, // phrases stay whole
		{"the best -the worst", "best -the worst"},                             // exclusions stay
		{"the -worst", "the -worst"},                                           // an exclusion is not a word to match on
		{"Conversas com Dr. Edward Bach e Seus Florais", "Conversas Dr. Edward Bach Florais"},
		{"  the   Rest  of   It  ", "Rest"},
		{"  Rest   Easy ", "  Rest   Easy "}, // nothing to drop: unchanged
		{`unclosed "quote of the`, `unclosed "quote of the`},
		{`a "one" of the`, `"one"`},
		{`of "two words" the "and the"`, `"two words" "and the"`},
		{`the " spaced quote " of`, `" spaced quote "`},
		{`Defiance: "Israel"'s Assassinations of Haniyeh`, `Defiance: "Israel"'s Assassinations of Haniyeh`}, // a phrase never closed
		{`Israel's "war" of the words`, `Israel's "war" words`},
		{"", ""},
	}
	for _, tt := range tests {
		if got := DropStopWords(tt.in, nil); got != tt.want {
			t.Errorf("DropStopWords(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestTitleKey(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"The Debate", "Debate"},
		{"Courage in me", "Courage"},
		{"Beyond the Lens: A Candid Conversation", "Beyond Lens: Candid Conversation"},
		{"Debate  Night Recap", "Debate Night Recap"},
		{"It Is", "It Is"}, // only stop words: whole
		{"After Us", "After"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := TitleKey(tt.in); got != tt.want {
			t.Errorf("TitleKey(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestCommonWords(t *testing.T) {
	t.Parallel()
	texts := []string{
		"Show 1: Rust in the kernel. Show notes at example.com",
		"Show 2: Go generics, with the show's notes",
		"Show 3: Postgres vacuum",
		"Interview: Zig. Notes below",
	}
	// "show" is in 3 of 4, "notes" in 3 ("notes" twice in one counts once), "the" is a stop
	// word.
	if diff := cmp.Diff([]string{"notes", "show"}, CommonWords(texts, 0.5)); diff != "" {
		t.Errorf("CommonWords(0.5) (-want +got):\n%s", diff)
	}
	if got := CommonWords(texts, 0.9); len(got) != 0 {
		t.Errorf("CommonWords(0.9) = %q; want none", got)
	}
	if got := CommonWords(nil, 0.25); got != nil {
		t.Errorf("CommonWords of no texts = %q; want nil", got)
	}
}

func TestDropCommonWords(t *testing.T) {
	t.Parallel()
	common := map[string]bool{"show": true, "episode": true}
	for _, tt := range []struct{ in, want string }{
		{"#381 Show Me That Pegsasusly", "#381 Pegsasusly"},
		{"The Show", "The Show"},                     // nothing else left: sent as typed
		{"show episode", "show episode"},             // nothing else left
		{`"the show" tonight`, `"the show" tonight`}, // phrases are kept whole
		{"-show rust", "-show rust"},                 // so are exclusions
		{"The Episode 12", "Episode 12"},             // only a number left: common words stay
		{"Episode 12 - The Past", "12 - Past"},
		{"1 episode the", "1 episode"},
	} {
		if got := DropStopWords(tt.in, common); got != tt.want {
			t.Errorf("DropStopWords(%q, common) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
