package terms

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBuild: the dictionary counts the phrases of up to three words that start at each
// word of a title and no punctuation interrupts, once per title, leaves out phrases that end in
// a stop word or a number, and completes a prefix with those most titles use first.
func TestBuild(t *testing.T) {
	t.Parallel()
	dict := Build([]string{
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
		if got := dict.Complete(tc.prefix, 10); !slices.Equal(got, tc.want) {
			t.Errorf("Complete(%q) = %q, want %q", tc.prefix, got, tc.want)
		}
	}
	if got := dict.Complete("d", 10); !slices.Equal(got, []string{"daily", "daily news"}) {
		t.Errorf(`Complete("d") = %q, want daily (in 3 titles), then daily news`, got)
	}
	if got := dict.Complete("s", 2); !slices.Equal(got, []string{"storm", "storm watch"}) {
		t.Errorf(`Complete("s", 2) = %q, want the two commonest`, got)
	}
	var none *Dictionary
	if none.Complete("s", 5) != nil || none.Len() != 0 {
		t.Error("a nil dictionary completes something")
	}
}

// TestBuildSampled: counted from a sample, a dictionary drops the phrases of one title, and
// a prefix's best phrases are the commonest of many, most first.
func TestBuildSampled(t *testing.T) {
	t.Parallel()
	var titles []string
	for i := range 40 {
		for range i % 7 {
			titles = append(titles, fmt.Sprintf("Topic%02d", i))
		}
	}
	titles = append(titles, "Topical Once")
	dict := Build(titles, true)
	if got := dict.Complete("topical", 5); len(got) != 0 {
		t.Errorf("a phrase of one title kept: %q", got)
	}
	want := []string{"topic06", "topic13", "topic20", "topic27", "topic34", "topic05", "topic12"}
	if diff := cmp.Diff(want, dict.Complete("to", 7)); diff != "" {
		t.Errorf("Complete(to) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[:3], dict.Complete("topic", 3)); diff != "" {
		t.Errorf("Complete(topic) (-want +got):\n%s", diff)
	}
}

// TestDictionaryCommon: a prefix is common when at least CommonPrefixShare of the titles counted have
// a word that starts with it, however many phrases it starts.
func TestDictionaryCommon(t *testing.T) {
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
	dict := Build(titles, true)
	for prefix, want := range map[string]bool{
		"st": true, "STO": true, "stor": true, // 3 of 1,000 titles; 0.2% is 2
		"storm":  true, // 2: the title that says it twice counts once
		"stormy": false, "stork": false, "weather": false, "pl": true, "plain": true, "x": false,
		"supercalifra": true, "supercalifragilistic": true, // longer than the prefixes counted: as common as its start
	} {
		if got := dict.Common(prefix); got != want {
			t.Errorf("Common(%q) = %v, want %v", prefix, got, want)
		}
	}
	if (*Dictionary)(nil).Common("a") {
		t.Error("a nil dictionary finds a common prefix")
	}
}
