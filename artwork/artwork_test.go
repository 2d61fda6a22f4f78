package artwork_test

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"testing"

	"hark/artwork"
)

func TestRender(t *testing.T) {
	t.Parallel()
	webp, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, format string
		body         []byte
		w, h         int
	}{
		{"wide PNG with transparency", "png", encode(t, "png", 1200, 900), 1200, 900},
		{"small JPEG, scaled up", "jpeg", encode(t, "jpeg", 100, 100), 100, 100},
		{"tall GIF", "gif", encode(t, "gif", 400, 700), 400, 700},
		{"WebP", "webp", webp, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := artwork.Render(tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != tt.format || r.ContentType() != "image/"+tt.format || (tt.w > 0 && (r.Width != tt.w || r.Height != tt.h)) {
				t.Errorf("source = %s %dx%d, want %s %dx%d", r.Format, r.Width, r.Height, tt.format, tt.w, tt.h)
			}
			for _, size := range artwork.Sizes {
				img, format, err := image.Decode(bytes.NewReader(r.Copies[size]))
				if err != nil || format != "jpeg" || img.Bounds() != image.Rect(0, 0, size, size) {
					t.Fatalf("%d px copy: %s %v (%v)", size, format, img.Bounds(), err)
				}
				if tt.format == "png" {
					// The transparent top-left corner is laid on white.
					if r, g, b, _ := img.At(2, 2).RGBA(); r < 0xf000 || g < 0xf000 || b < 0xf000 {
						t.Errorf("%d px copy: transparent corner is %v, want white", size, img.At(2, 2))
					}
				}
			}
		})
	}
}

func TestRenderRefuses(t *testing.T) {
	t.Parallel()
	// A GIF header claiming 60000×60000 pixels: refused before any pixel is decoded.
	bomb := []byte("GIF89a")
	bomb = binary.LittleEndian.AppendUint16(bomb, 60000)
	bomb = binary.LittleEndian.AppendUint16(bomb, 60000)
	bomb = append(bomb, 0, 0, 0, ';')
	for name, body := range map[string][]byte{
		"HTML":               []byte("<html><body>Not found</body></html>"),
		"empty":              nil,
		"SVG":                []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`),
		"truncated PNG":      encode(t, "png", 50, 50)[:60],
		"decompression bomb": bomb,
	} {
		if _, err := artwork.Render(body); !errors.Is(err, artwork.ErrNotImage) {
			t.Errorf("%s: err = %v, want ErrNotImage", name, err)
		}
	}
}

func TestPlaceholder(t *testing.T) {
	t.Parallel()
	for title, want := range map[string]string{
		"The Jazz Hour": "TJ", "  99% invisible ": "9I", "日本語 ラジオ": "日ラ", "": "♪", "!!!": "♪", "café": "C",
	} {
		if got := artwork.Initials(title); got != want || !artwork.ValidInitials(got) {
			t.Errorf("Initials(%q) = %q, want %q", title, got, want)
		}
	}
	if artwork.Hue("The Jazz Hour") != artwork.Hue(" the jazz hour") || artwork.Hue("The Jazz Hour") == artwork.Hue("Bebop") {
		t.Error("Hue is not a stable hash of the title")
	}
	svg := artwork.Placeholder(`<Tom> & "Jerry"`)
	if err := xml.Unmarshal(svg, new(struct{})); err != nil {
		t.Fatalf("placeholder is not XML: %v\n%s", err, svg)
	}
	if !bytes.Contains(svg, []byte(">TJ<")) {
		t.Errorf("placeholder lacks the initials: %s", svg)
	}
	for _, bad := range []string{"", "abc", "ab", "A B", "<S", "ABC"} {
		if artwork.ValidInitials(bad) {
			t.Errorf("ValidInitials(%q) = true", bad)
		}
	}
}

func TestKey(t *testing.T) {
	t.Parallel()
	a, b := artwork.Key("https://img.example/a.jpg"), artwork.Key("https://img.example/b.jpg")
	if a == b || !artwork.ValidKey(a) || a != artwork.Key("https://img.example/a.jpg") {
		t.Errorf("keys %q and %q", a, b)
	}
}

// encode draws a w×h image with a transparent top-left corner, in format.
func encode(t *testing.T, format string, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	for y := range h / 4 {
		for x := range w / 4 {
			img.Set(x, y, color.Transparent)
		}
	}
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, img)
	case "gif":
		err = gif.Encode(&buf, img, nil)
	default:
		err = jpeg.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
