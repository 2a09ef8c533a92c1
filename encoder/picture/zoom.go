package picture

import (
	"image"
	"math"

	"golang.org/x/image/draw"
	"golang.org/x/image/math/f64"
)

// The Ken Burns effect: each slide zooms slowly while it shows, in on one
// slide and out on the next.

// KenBurnsZoom is how far a slide zooms over the time it shows: 8 %, which
// reads as calm on a slide of a few seconds and still moves on a long one.
const KenBurnsZoom = 1.08

// ZoomAt is the zoom of the i-th slide of a show at progress p (0–1)
// through the frames that show it: in on even slides, out on odd ones.
func ZoomAt(i int, p float64) float64 {
	p = math.Max(0, math.Min(1, p))
	if i%2 == 1 {
		p = 1 - p
	}
	return 1 + (KenBurnsZoom-1)*p
}

// ZoomCanvas is the size a slide is composed at for zooming: the canvas
// enlarged by KenBurnsZoom, so that the most zoomed frame is a window of
// it at one to one, and no frame is ever enlarged.
func ZoomCanvas(canvas image.Point) image.Point {
	return image.Pt(int(math.Round(float64(canvas.X)*KenBurnsZoom)), int(math.Round(float64(canvas.Y)*KenBurnsZoom)))
}

// zoomTransform maps the big canvas big onto an output of size out, so
// that the output shows its centre at zoom z (1: all of it).
func zoomTransform(big, out image.Point, z float64) f64.Aff3 {
	s := float64(out.X) / float64(big.X) * z // output pixels per big-canvas pixel
	tx := float64(out.X)/2 - s*float64(big.X)/2
	ty := float64(out.Y)/2 - s*float64(big.Y)/2
	return f64.Aff3{s, 0, tx, 0, s, ty}
}

// DrawZoomed draws the centre of big, composed at ZoomCanvas size, into
// dst at zoom z (1: all of big), in RGBA. The zoom only ever shrinks, by
// at most KenBurnsZoom, where the approximate bilinear filter looks the
// same as the exact one. Renders use Zoomer, which draws the same picture
// straight into yuv420p ten times faster; this is its reference.
func DrawZoomed(dst, big *image.RGBA, z float64) {
	s2d := zoomTransform(big.Bounds().Size(), dst.Bounds().Size(), z)
	draw.ApproxBiLinear.Transform(dst, s2d, big, big.Bounds(), draw.Src, nil)
}
