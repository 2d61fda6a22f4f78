package feed

import (
	"reflect"
	"testing"
)

// TestNotesImages keeps the first few absolute web images of the notes, each once.
func TestNotesImages(t *testing.T) {
	notes := `<p>Hi <IMG SRC=" https://cdn.example/a.png?x=1&amp;y=2 " alt="A"></p>
		<img src="/relative.png"><img src="data:image/png;base64,AAAA"><img alt="no src">
		<img src="https://cdn.example/a.png?x=1&y=2"><img src="http://cdn.example/b.jpg"/>
		<img src="https://cdn.example/c.gif"><img src="https://cdn.example/d.webp"><img src="https://cdn.example/e.png">`
	want := []string{"https://cdn.example/a.png?x=1&y=2", "http://cdn.example/b.jpg",
		"https://cdn.example/c.gif", "https://cdn.example/d.webp"}
	if got := notesImages(notes); !reflect.DeepEqual(got, want) {
		t.Errorf("notesImages = %q; want %q", got, want)
	}
	if got := notesImages("<p>No images, only an <a href=\"https://x.example/i.png\">image link</a>.</p>"); got != nil {
		t.Errorf("notesImages without images = %q; want nil", got)
	}
}
