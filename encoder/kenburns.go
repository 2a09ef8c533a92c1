package encoder

import (
	"image"
	"math"

	"golang.org/x/image/draw"
	"golang.org/x/image/math/f64"
)

// The Ken Burns effect: each slide zooms slowly while it shows, in on one
// slide and out on the next. Every frame differs, so every frame is
// composed in Go and encoded; there is nothing for the still path to copy.

// kenBurnsZoom is how far a slide zooms over the time it shows: 8 %, which
// reads as calm on a slide of a few seconds and still moves on a long one.
const kenBurnsZoom = 1.08

// zoomAt is the zoom of the slide in span i at progress p (0–1) through
// the frames that show it: in on even spans, out on odd ones.
func zoomAt(i int, p float64) float64 {
	p = math.Max(0, math.Min(1, p))
	if i%2 == 1 {
		p = 1 - p
	}
	return 1 + (kenBurnsZoom-1)*p
}

// bigCanvas is the size a slide is composed at for zooming: the canvas
// enlarged by kenBurnsZoom, so that the most zoomed frame is a window of
// it at one to one, and no frame is ever enlarged.
func bigCanvas(c canvasDims) image.Point {
	return image.Pt(int(math.Round(float64(c.W)*kenBurnsZoom)), int(math.Round(float64(c.H)*kenBurnsZoom)))
}

// zoomTransform maps the big canvas big onto an output of size out, so
// that the output shows its centre at zoom z (1: all of it).
func zoomTransform(big image.Point, out canvasDims, z float64) f64.Aff3 {
	s := float64(out.W) / float64(big.X) * z // output pixels per big-canvas pixel
	tx := float64(out.W)/2 - s*float64(big.X)/2
	ty := float64(out.H)/2 - s*float64(big.Y)/2
	return f64.Aff3{s, 0, tx, 0, s, ty}
}

// zoomedSlides composes each slide at the big canvas size when first
// needed, and keeps as many as fit in slideCacheBytes.
type zoomedSlides struct {
	s      Settings
	canvas canvasDims
	budget int
	cache  map[int]*image.RGBA
	order  []int // least recently composed first
}

func newZoomedSlides(s Settings, canvas canvasDims) *zoomedSlides {
	big := bigCanvas(canvas)
	return &zoomedSlides{s: s, canvas: canvas, budget: max(3, slideCacheBytes/max(1, 4*big.X*big.Y)), cache: map[int]*image.RGBA{}}
}

func (z *zoomedSlides) get(i int) (*image.RGBA, error) {
	if img, ok := z.cache[i]; ok {
		return img, nil
	}
	src, err := LoadImage(z.s.Images[i].Image)
	if err != nil {
		return nil, err
	}
	img := Compose(src, bigCanvas(z.canvas), z.s.Fit, z.s.Background)
	if len(z.order) >= z.budget {
		delete(z.cache, z.order[0])
		z.order = z.order[1:]
	}
	z.cache[i] = img
	z.order = append(z.order, i)
	return img, nil
}

// kenBurnsFrames yields the frames of runs with every slide zooming over
// the frames of the layout that show it.
func kenBurnsFrames(runs []run, spans []span, fades []int, slides *zoomedSlides, canvas canvasDims) frameSource {
	return func(yield func([]byte, error) bool) {
		rect := image.Rect(0, 0, canvas.W, canvas.H)
		a, b := image.NewRGBA(rect), image.NewRGBA(rect)
		frame := make([]byte, FrameSize(canvas.W, canvas.H))
		m := MatrixFor(canvas.H)
		// draw puts the slide of span i as it is at frame k into dst.
		draw := func(dst *image.RGBA, slide, i, k int) error {
			big, err := slides.get(slide)
			if err != nil {
				return err
			}
			from, to := visible(spans, fades, i)
			z := zoomAt(i, float64(k-from)/float64(max(1, to-from-1)))
			drawZoomed(dst, big, zoomTransform(big.Bounds().Size(), canvas, z))
			return nil
		}
		k := 0
		for _, r := range runs {
			for j := range r.n {
				if err := draw(a, r.a, r.span, k); err != nil {
					yield(nil, err)
					return
				}
				if r.blend() {
					if err := draw(b, r.b, r.span+1, k); err != nil {
						yield(nil, err)
						return
					}
					blendFrames(a.Pix, a.Pix, b.Pix, r.weight(j))
				}
				toYUV420Into(frame, a, m)
				if !yield(frame, nil) {
					return
				}
				k++
			}
		}
	}
}

// drawZoomed draws big into dst through the transform s2d. The zoom
// only ever shrinks, by at most kenBurnsZoom, where the approximate
// bilinear filter looks the same as the exact one at a quarter of the
// cost (40 against 160 ms a 1080p frame here).
func drawZoomed(dst, big *image.RGBA, s2d f64.Aff3) {
	draw.ApproxBiLinear.Transform(dst, s2d, big, big.Bounds(), draw.Src, nil)
}
