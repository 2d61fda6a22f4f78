package terms

import "testing"

func TestGlueTitle(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"we are all in this together", "we are weareall all allinthis in this inthistogether together"},
		{"being a good neighbour", "being a beingagood good neighbour"},
		{"trouble for being good", "trouble troubleforbeing for being forbeinggood good"},
		{"what are we fighting for", "what whatarewe are we arewefighting fighting fightingfor for"},
		{"the", "the"},
		{"daily news", "daily news"},
	} {
		if got := GlueTitle(tt.in); got != tt.want {
			t.Errorf("GlueTitle(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestArrangeQuery(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"we are all", "weareall all"},
		{"the next chapter 4", "thenext 4 next chapter"},
		{"being a good", "beingagood good"},    // the phrase first, then its word
		{"history of rome", "history of rome"}, // not in the middle
		{"christ in the", "christ christinthe"},
		{"the book of", "thebook book bookof"},
		{"the son of", "the son of"}, // only stop words ("son" is French): as typed
		{"subjextion god state part 2", "2 subjextion god state part"},
		{"giant bombcast 03 11 2021", "03 11 2021 giant bombcast"},
		{"2021", "2021"},
		{"9h 10h", "9h 10h"}, // not numbers only
		{`the "next chapter" 2`, `the "next chapter" 2`},
		{"", ""},
	} {
		if got := ArrangeQuery(tt.in); got != tt.want {
			t.Errorf("ArrangeQuery(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
