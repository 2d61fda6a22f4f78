package terms

import "testing"

func TestDictionaryCorrect(t *testing.T) {
	t.Parallel()
	d := Build([]string{"Jazz in New Orleans", "Bebop", "Cool jazz", "Jazz and the blues", "Bebop and beyond", "Beboppers"}, false)
	tests := []struct {
		word, want string
		ok         bool
	}{
		{"jazz", "", false},       // known
		{"Bebop", "", false},      // known, any case
		{"jaz", "jazz", true},     // one letter missing
		{"bebopp", "bebop", true}, // one too many; "beboppers" is further
		{"orleasn", "orleans", true},
		{"nwe", "new", true},     // transposition
		{"zzz", "", false},       // nothing near
		{"blueberry", "", false}, // too far from "blues"
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := d.Correct(tt.word)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Correct(%q) = %q, %v; want %q, %v", tt.word, got, ok, tt.want, tt.ok)
		}
	}
	var none *Dictionary
	if _, ok := none.Correct("jazz"); ok {
		t.Error("a nil dictionary corrected a word")
	}
}
