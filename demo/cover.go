package demo

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"sync"
)

const coverSize = 300

// covers caches encoded cover art by show seed: encoding costs more than serving.
var covers sync.Map

// coverReader returns the PNG cover art of the show with this seed: a diagonal gradient
// between two colours of its own, with a disc.
func coverReader(seed uint64) io.ReadSeeker {
	if b, ok := covers.Load(seed); ok {
		return bytes.NewReader(b.([]byte))
	}
	b := encodeCover(seed)
	covers.Store(seed, b)
	return bytes.NewReader(b)
}

func encodeCover(seed uint64) []byte {
	r := rng{mix(seed, 1<<41)}
	from, to := randomColor(&r), randomColor(&r)
	const steps = 32
	pal := make(color.Palette, steps+1)
	for k := range steps {
		pal[k] = color.NRGBA{blend(from.R, to.R, k, steps), blend(from.G, to.G, k, steps), blend(from.B, to.B, k, steps), 255}
	}
	pal[steps] = color.NRGBA{250, 248, 240, 255}

	img := image.NewPaletted(image.Rect(0, 0, coverSize, coverSize), pal)
	cx, cy, rad := r.between(90, 210), r.between(90, 210), r.between(40, 80)
	for y := range coverSize {
		for x := range coverSize {
			k := uint8((x + y) * (steps - 1) / (2 * (coverSize - 1)))
			if dx, dy := x-cx, y-cy; dx*dx+dy*dy < rad*rad {
				k = steps
			}
			img.Pix[y*img.Stride+x] = k
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	_ = enc.Encode(&buf, img) // writing to a bytes.Buffer does not fail
	return buf.Bytes()
}

func randomColor(r *rng) color.NRGBA {
	return color.NRGBA{uint8(r.between(20, 235)), uint8(r.between(20, 235)), uint8(r.between(20, 235)), 255}
}

func blend(a, b uint8, k, steps int) uint8 {
	return uint8((int(a)*(steps-1-k) + int(b)*k) / (steps - 1))
}
