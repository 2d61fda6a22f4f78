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

func TestGlueQuery(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"we are all", "weareall"},
		{"the next chapter", "thenext chapter"},
		{"being a good", "beingagood"},         // the phrase, not the words in any order
		{"history of rome", "history of rome"}, // not in the middle
		{"christ in the", "christinthe"},
		{"the book of", "thebook bookof"},
		{"the son of", "the son of"}, // "son" is French
		{"knowledge of the word of", "knowledge of the wordof"},
		{"the a", "the a"}, // only stop words: as typed
		{`the "next chapter"`, `the "next chapter"`},
		{"", ""},
	} {
		if got := GlueQuery(tt.in); got != tt.want {
			t.Errorf("GlueQuery(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestNumbersFirst(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"subjextion god state part 2", "2 subjextion god state part"},
		{"giant bombcast 03 11 2021", "03 11 2021 giant bombcast"},
		{"2 part", "2 part"},
		{"2021", "2021"},
		{"chapter 4 of 10", "4 10 chapter of"},
		{`"part 2" of it`, `"part 2" of it`},
		{"9h 10h", "9h 10h"}, // not numbers only
	} {
		if got := NumbersFirst(tt.in); got != tt.want {
			t.Errorf("NumbersFirst(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
