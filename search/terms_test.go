package search

import (
	"context"
	"slices"
	"testing"
)

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

	if pods, eps := f.ix.suggestValues("arm"); pods == "" || eps != "" {
		t.Errorf("SuggestValues(arm) = %q, %q; want a podcasts search only", pods, eps)
	}
	if _, eps := f.ix.suggestValues("armag"); eps == "" {
		t.Error("SuggestValues(armag) sends no episodes search")
	}
	// "hard" starts words in titles the dictionary counted, so it knows them all: no search
	// of episode titles, though it has fewer than five phrases.
	if _, eps := f.ix.suggestValues("hard"); eps != "" {
		t.Errorf("SuggestValues(hard) = %q; want no episodes search", eps)
	}
}
