package search

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBuildTerms: the dictionary counts the phrases of up to three words that start at each
// word of a title and no punctuation interrupts, once per title, leaves out phrases that end in
// a stop word or a number, and completes a prefix with those most titles use first.
func TestBuildTerms(t *testing.T) {
	t.Parallel()
	terms := BuildTerms([]string{
		"The Daily: Storm Watch",
		"The Daily: Calm Seas",
		"Daily News of the World",
		"Episode 12 - Storm Watch (Live)",
		"Storm, storm, storm",
		"Élan Vital",
	}, false)
	for _, tc := range []struct {
		prefix string
		want   []string
	}{
		{"th", []string{"the daily", "the world"}}, // "the" alone is a stop word
		{"sto", []string{"storm", "storm watch"}},
		{"storm w", []string{"storm watch"}}, // longer than the prefixes kept ready
		{"  DAILY   n", []string{"daily news"}},
		{"ep", []string{"episode"}}, // not "episode 12"
		{"of", []string{"of the world"}},
		{"news", []string{"news"}}, // not "news of" or "news of the"
		{"él", []string{"élan", "élan vital"}},
		{"ÉLAN V", []string{"élan vital"}},
		{"live", nil}, // "(Live)" is no word
		{"x", nil},
		{" ", nil},
	} {
		if got := terms.Complete(tc.prefix, 10); !slices.Equal(got, tc.want) {
			t.Errorf("Complete(%q) = %q, want %q", tc.prefix, got, tc.want)
		}
	}
	if got := terms.Complete("d", 10); !slices.Equal(got, []string{"daily", "daily news"}) {
		t.Errorf(`Complete("d") = %q, want daily (in 3 titles), then daily news`, got)
	}
	if got := terms.Complete("s", 2); !slices.Equal(got, []string{"storm", "storm watch"}) {
		t.Errorf(`Complete("s", 2) = %q, want the two commonest`, got)
	}
	var none *Terms
	if none.Complete("s", 5) != nil || none.Len() != 0 {
		t.Error("a nil dictionary completes something")
	}
}

// TestBuildTermsSampled: counted from a sample, a dictionary drops the phrases of one title, and
// a prefix's best phrases are the commonest of many, most first.
func TestBuildTermsSampled(t *testing.T) {
	t.Parallel()
	var titles []string
	for i := range 40 {
		for range i % 7 {
			titles = append(titles, fmt.Sprintf("Topic%02d", i))
		}
	}
	titles = append(titles, "Topical Once")
	terms := BuildTerms(titles, true)
	if got := terms.Complete("topical", 5); len(got) != 0 {
		t.Errorf("a phrase of one title kept: %q", got)
	}
	want := []string{"topic06", "topic13", "topic20", "topic27", "topic34", "topic05", "topic12"}
	if diff := cmp.Diff(want, terms.Complete("to", 7)); diff != "" {
		t.Errorf("Complete(to) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[:3], terms.Complete("topic", 3)); diff != "" {
		t.Errorf("Complete(topic) (-want +got):\n%s", diff)
	}
}

// TestTermsCommon: a prefix is common when at least CommonPrefixShare of the titles counted have
// a word that starts with it, however many phrases it starts.
func TestTermsCommon(t *testing.T) {
	t.Parallel()
	titles := make([]string, 1000)
	for i := range titles {
		titles[i] = fmt.Sprintf("Plain %d", i)
	}
	titles[0] = "Storm Watch: Storm Watch"
	titles[1] = "Stormy Weather"
	titles[2] = "The Stork"
	titles[3] = "Supercalifragilistic Words"
	titles[4] = "Supercalifragilistic Again"
	terms := BuildTerms(titles, true)
	for prefix, want := range map[string]bool{
		"st": true, "STO": true, "stor": true, // 3 of 1,000 titles; 0.2% is 2
		"storm":  true, // 2: the title that says it twice counts once
		"stormy": false, "stork": false, "weather": false, "pl": true, "plain": true, "x": false,
		"supercalifra": true, "supercalifragilistic": true, // longer than the prefixes counted: as common as its start
	} {
		if got := terms.Common(prefix); got != want {
			t.Errorf("Common(%q) = %v, want %v", prefix, got, want)
		}
	}
	if (*Terms)(nil).Common("a") {
		t.Error("a nil dictionary finds a common prefix")
	}
}

// TestSuggestFromTerms: with a dictionary, typeahead terms alternate between matching show names
// and the dictionary's commonest phrases, and episode titles are searched only when the
// dictionary knows fewer phrases than a suggestion shows for a word that is not common.
func TestSuggestFromTerms(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	var sampled int
	_, whole, err := f.ix.RefreshTerms(ctx, func(_ context.Context, n int) ([]string, error) {
		sampled = n
		return []string{
			"Armadillo Facts", "Armadillo Facts", "Armadillo Facts Weekly", "Armada Tales", "Arms Race",
			"The Week in Review", "The Week Ahead", "Hard Times",
		}, nil
	})
	if err != nil || !whole || sampled != TermSample {
		t.Fatalf("RefreshTerms = %v, whole %v, asked for %d", err, whole, sampled)
	}
	s, err := f.ix.Suggest(ctx, "arm", true, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"armadillo", "armadillo facts", "armada", "armada tales", "armadillo facts weekly"}; !slices.Equal(s.Terms, want) {
		t.Errorf("arm: terms %q, want %q (no episode title: the dictionary has five)", s.Terms, want)
	}
	s, err = f.ix.Suggest(ctx, "armag", false, false)
	if err != nil || !slices.Contains(s.Terms, "armageddon i") {
		t.Errorf("armag: terms %q, %v; want the episode titles' armageddon i", s.Terms, err)
	}
	s, err = f.ix.Suggest(ctx, "the", false, false)
	if err != nil || !slices.Equal(s.Terms[:2], []string{"the daily", "the week"}) {
		t.Errorf("the: terms %q, %v; want the show The Daily, then the dictionary's the week", s.Terms, err)
	}
	s, err = f.ix.Suggest(ctx, "hard", true, false)
	if err != nil || len(s.Podcasts) != 1 || s.Podcasts[0].ID != f.pods["history"].ID || s.Terms[0] != "hardcore history" || !slices.Contains(s.Terms, "hard times") {
		t.Errorf("hard: %+v, %v; want Hardcore History first, then hard times", s, err)
	}

	if pods, eps := f.ix.SuggestValues("arm"); pods == "" || eps != "" {
		t.Errorf("SuggestValues(arm) = %q, %q; want a podcasts search only", pods, eps)
	}
	if _, eps := f.ix.SuggestValues("armag"); eps == "" {
		t.Error("SuggestValues(armag) sends no episodes search")
	}
	// "hard" starts words in titles the dictionary counted, so it knows them all: no search
	// of episode titles, though it has fewer than five phrases.
	if _, eps := f.ix.SuggestValues("hard"); eps != "" {
		t.Errorf("SuggestValues(hard) = %q; want no episodes search", eps)
	}
}
