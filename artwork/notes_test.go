package artwork_test

import (
	"bytes"
	"errors"
	"image"
	"testing"

	"hark/artwork"
)

func TestRenderNotesKeepsShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		w, h         int
		small, large [2]int // the copies' sizes
	}{
		{"wide screenshot", 1600, 900, [2]int{300, 169}, [2]int{600, 338}},
		{"small logo, not scaled up", 120, 80, [2]int{120, 80}, [2]int{120, 80}},
		{"tall infographic", 800, 4000, [2]int{120, 600}, [2]int{240, 1200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := artwork.RenderNotes(encode(t, "png", tt.w, tt.h))
			if err != nil {
				t.Fatal(err)
			}
			if r.Width != tt.w || r.Height != tt.h {
				t.Errorf("source %d×%d; want %d×%d", r.Width, r.Height, tt.w, tt.h)
			}
			for size, want := range map[int][2]int{artwork.Small: tt.small, artwork.Large: tt.large} {
				cfg, format, err := image.DecodeConfig(bytes.NewReader(r.Copies[size]))
				if err != nil || format != "jpeg" || cfg.Width != want[0] || cfg.Height != want[1] {
					t.Errorf("%d px copy is %s %d×%d (%v); want a %d×%d JPEG", size, format, cfg.Width, cfg.Height, err, want[0], want[1])
				}
				if w, h := artwork.FitSize(tt.w, tt.h, size); w != want[0] || h != want[1] {
					t.Errorf("FitSize(%d, %d, %d) = %d×%d; want %d×%d, the copy's", tt.w, tt.h, size, w, h, want[0], want[1])
				}
			}
		})
	}
	if _, err := artwork.RenderNotes(encode(t, "gif", 1, 1)); !errors.Is(err, artwork.ErrNotImage) {
		t.Errorf("tracking pixel: %v; want ErrNotImage", err)
	}
	if artwork.NotesKey("https://x.example/a.png") == artwork.Key("https://x.example/a.png") {
		t.Error("a notes image has the key of the same URL as cover art")
	}
}
