package artwork

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"

	"golang.org/x/image/draw"
)

// Images of show notes are kept whole, not cropped square: a copy fits in size×(2×size) and
// is never scaled up. Their keys differ from cover art's (NotesKey), so an image that is both
// an episode's cover and in its notes has a copy of each shape.
const (
	// notesKeyPrefix sets the key of a notes image apart from the key of the same URL as art.
	// Postgres computes the same key (db.FindArtworkDue), so the two must stay in step.
	notesKeyPrefix = "notes:"
	// MinNotesImageSide refuses tracking pixels and spacers: an image narrower or lower than
	// this is not worth a copy, and pages leave it out.
	MinNotesImageSide = 16
)

// NotesKey names the copy of an image of show notes fetched from sourceURL.
func NotesKey(sourceURL string) string { return Key(notesKeyPrefix + sourceURL) }

// FitSize is the size of the copy of a width×height notes image served as size (Small or
// Large): scaled down, keeping its shape, to at most size wide and 2×size high.
func FitSize(width, height, size int) (int, int) {
	if width <= 0 || height <= 0 {
		return 0, 0
	}
	scale := min(1, float64(size)/float64(width), float64(2*size)/float64(height))
	return max(1, int(float64(width)*scale+0.5)), max(1, int(float64(height)*scale+0.5))
}

// RenderNotes decodes body like Render and makes a JPEG copy of each size in Sizes whose shape
// is the source's (FitSize), laid on white where the source is transparent.
func RenderNotes(body []byte) (Rendered, error) {
	src, r, err := decode(body)
	if err != nil {
		return Rendered{}, err
	}
	if r.Width < MinNotesImageSide || r.Height < MinNotesImageSide {
		return Rendered{}, fmt.Errorf("%w: %d×%d is too small to show", ErrNotImage, r.Width, r.Height)
	}
	for _, size := range Sizes {
		w, h := FitSize(r.Width, r.Height, size)
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Over, nil)
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: jpegQuality}); err != nil {
			return Rendered{}, fmt.Errorf("encode %d px copy: %w", size, err)
		}
		r.Copies[size] = buf.Bytes()
	}
	return r, nil
}
