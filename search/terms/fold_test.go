package terms

import "testing"

func TestFold(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"Post-Punk", "post punk"},
		{"03.11.2021 9h-10h r/askscience", "03 11 2021 9h 10h r askscience"},
		{"Trump's It’s", "trumps its"},
		{"ΚΑΛΗΜΕΡΑ ΚΟΣΜΕ", "καλημερα κοσμε"},
		{"Καλημέρα κόσμε", "καλημερα κοσμε"},
		{"ΟΔΟΣ Οδός", "οδοσ οδοσ"}, // final sigma
		{"ПРИВЕТ Ёлка", "привет елка"},
		{"İSTANBUL ıslak", "istanbul islak"},
		{"Straße STRASSE", "strasse strasse"},
		{"Café Crème, Ørsted", "cafe creme orsted"},
		{"  already folded  ", "already folded"},
		{"already folded", "already folded"},
		{"कहानी", "कहानी"}, // Devanagari vowel signs are letters' parts, not accents
		{"ガイド", "ガイド"},     // and so is a dakuten
		{"!!!", ""},
	} {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestFoldQuery(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{`"Being a Good" Neighbour`, `"being a good" neighbour`},
		{`Episode 12 -Leaving the City (Part One)`, `episode 12 leaving the city part one`},
		{`Israel"s "war"`, `israel s "war"`},
		{`Defiance: "Israel"'s Assassinations`, `defiance israel s assassinations`}, // a phrase never closed
	} {
		if got := FoldQuery(tt.in); got != tt.want {
			t.Errorf("FoldQuery(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
