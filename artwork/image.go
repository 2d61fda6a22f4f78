package artwork

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // GIF artwork: its first frame
	"image/jpeg"
	_ "image/png"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
)

// MaxPixels bounds the images decoded: a podcast cover is at most 3000 px a side by Apple's
// rules, and a small file that claims a huge size (a decompression bomb) is refused before any
// pixel is decoded.
const MaxPixels = 4096 * 4096

// jpegQuality keeps a 600 px cover near 50 KB.
const jpegQuality = 82

// ErrNotImage is returned for bytes that are not a JPEG, PNG, GIF or WebP image Hark can read.
var ErrNotImage = errors.New("not a JPEG, PNG, GIF or WebP image")

// Rendered is a source image and the copies made of it.
type Rendered struct {
	Format        string         // the source's: "jpeg", "png", "gif" or "webp"
	Width, Height int            // the source's
	Copies        map[int][]byte // JPEG bytes by size (Sizes)
}

// ContentType is the source's MIME type.
func (r Rendered) ContentType() string { return "image/" + r.Format }

// Render decodes body and makes a square JPEG copy of each size in Sizes: the largest centred
// square of the source, scaled with Catmull-Rom and laid on white where the source is
// transparent. Copies are JPEG because golang.org/x/image decodes WebP but cannot encode it,
// and every browser and card scraper reads JPEG. Smaller sources are scaled up, so every copy
// has the size its URL names.
func Render(body []byte) (Rendered, error) {
	src, r, err := decode(body)
	if err != nil {
		return Rendered{}, err
	}
	// The large copy is scaled from the source, the small one from the large: a second pass
	// over a 600 px image costs a fraction of one over a 3000 px source, and halving loses
	// nothing visible.
	from, rect := src, squareCrop(src.Bounds())
	for i := len(Sizes) - 1; i >= 0; i-- {
		size := Sizes[i]
		dst := scale(from, rect, size)
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: jpegQuality}); err != nil {
			return Rendered{}, fmt.Errorf("encode %d px copy: %w", size, err)
		}
		r.Copies[size] = buf.Bytes()
		from, rect = dst, dst.Bounds()
	}
	return r, nil
}

// decode reads body's size first, refusing images over MaxPixels before decoding them, then
// decodes it; the Rendered has the source's format and size and no copies yet.
func decode(body []byte) (image.Image, Rendered, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(body))
	if err != nil {
		return nil, Rendered{}, fmt.Errorf("%w: %w", ErrNotImage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxPixels {
		return nil, Rendered{}, fmt.Errorf("%w: %d×%d is over %d pixels", ErrNotImage, cfg.Width, cfg.Height, MaxPixels)
	}
	src, _, err := image.Decode(bytes.NewReader(body))
	if err != nil {
		return nil, Rendered{}, fmt.Errorf("%w: %w", ErrNotImage, err)
	}
	return src, Rendered{Format: format, Width: cfg.Width, Height: cfg.Height, Copies: map[int][]byte{}}, nil
}

// squareCrop is the largest square centred in b.
func squareCrop(b image.Rectangle) image.Rectangle {
	side := min(b.Dx(), b.Dy())
	x := b.Min.X + (b.Dx()-side)/2
	y := b.Min.Y + (b.Dy()-side)/2
	return image.Rect(x, y, x+side, y+side)
}

// scale draws rect of src onto a white size×size image.
func scale(src image.Image, rect image.Rectangle, size int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, size, size))
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, rect, draw.Over, nil)
	return dst
}
