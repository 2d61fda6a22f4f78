package terms

import "testing"

func TestGlueTitle(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"we are all in this together", "we are weareall all in this inthistogether together"},
		{"being a good neighbour", "being a beingagood good neighbour"},
		{"trouble for being good", "trouble for being forbeinggood good"},
		{"the", "the"},
		{"daily news", "daily news"},
	} {
		if got := GlueTitle(tt.in); got != tt.want {
			t.Errorf("GlueTitle(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestGlueLeading(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"we are all", "weareall"},
		{"the next chapter", "thenext chapter"},
		{"being a good", "beingagood"},         // the phrase, not the words in any order
		{"history of rome", "history of rome"}, // only at the start
		{"the a", "the a"},                     // only stop words: as typed
		{`the "next chapter"`, `the "next chapter"`},
		{"", ""},
	} {
		if got := GlueLeading(tt.in); got != tt.want {
			t.Errorf("GlueLeading(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
