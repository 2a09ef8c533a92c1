package imgtest

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// The blurred fill's tests, for the picture package and the encoder.

// BlurBrightness is how bright the blurred fill is meant to be, as the
// issue asks (55–65 %): the reference the checks darken the art by.
const BlurBrightness = 0.6

// BlurArtMiddle is the colour of the middle of BlurArt.
var BlurArtMiddle = color.RGBA{40, 160, 80, 255}

// blurCheckers are the two pairs of colours of BlurArt's edge zones: warm
// at the start (left or top), cool at the end.
var blurCheckers = [2][2]color.RGBA{
	{{220, 40, 40, 255}, {230, 200, 40, 255}},
	{{40, 60, 220, 255}, {40, 200, 220, 255}},
}

// BlurArt is a w×h picture for the blurred fill: its outer 30 % on two
// sides (left and right when sides, else top and bottom) are fine
// checkerboards of two colours, which a blur turns into their mean, and
// its middle is BlurArtMiddle.
func BlurArt(w, h int, sides bool) *image.RGBA {
	img := Solid(w, h, BlurArtMiddle)
	cell := max(1, max(w, h)/40) // coarse enough to survive the shrinking, not the blur
	for z, r := range blurZones(img.Bounds(), sides) {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				img.SetRGBA(x, y, blurCheckers[z][(x/cell+y/cell)%2])
			}
		}
	}
	return img
}

// blurZones are the two checkered zones of a BlurArt of bounds b.
func blurZones(b image.Rectangle, sides bool) [2]image.Rectangle {
	if sides {
		d := b.Dx() * 3 / 10
		return [2]image.Rectangle{image.Rect(0, 0, d, b.Dy()), image.Rect(b.Dx()-d, 0, b.Dx(), b.Dy())}
	}
	d := b.Dy() * 3 / 10
	return [2]image.Rectangle{image.Rect(0, 0, b.Dx(), d), image.Rect(0, b.Dy()-d, b.Dx(), b.Dy())}
}

// CheckBlurredBars checks the bars of frame, a BlurArt art laid onto it at
// dst with the blurred fill: the outer two thirds of each bar (the inner
// third blends into the art's middle) are neither black nor the
// background bg, and every pixel there is within tol of the mean colour
// of the art's edge zone on that side, darkened to BlurBrightness. A bar
// with the checkers still showing, or not darkened, fails.
func CheckBlurredBars(t testing.TB, frame, art *image.RGBA, dst image.Rectangle, bg color.RGBA, tol float64) {
	t.Helper()
	fb := frame.Bounds()
	sides := dst.Dy() == fb.Dy()
	var outer [2]image.Rectangle
	if sides {
		outer[0] = image.Rect(0, 0, dst.Min.X*2/3, fb.Dy())
		outer[1] = image.Rect(fb.Dx()-(fb.Dx()-dst.Max.X)*2/3, 0, fb.Dx(), fb.Dy())
	} else {
		outer[0] = image.Rect(0, 0, fb.Dx(), dst.Min.Y*2/3)
		outer[1] = image.Rect(0, fb.Dy()-(fb.Dy()-dst.Max.Y)*2/3, fb.Dx(), fb.Dy())
	}
	for z, zone := range blurZones(art.Bounds(), sides) {
		r := outer[z]
		if r.Dx() < 3 || r.Dy() < 3 {
			t.Fatalf("bar %d (%v) of the %v frame is too thin to check", z, r, fb)
		}
		edge := MeanRGB(art, zone)
		want := [3]float64{edge[0] * BlurBrightness, edge[1] * BlurBrightness, edge[2] * BlurBrightness}
		mean := MeanRGB(frame, r)
		for _, c := range []struct {
			name string
			c    color.RGBA
		}{{"black", Black}, {"the background", bg}} {
			if distance(mean, c.c) < 30 {
				t.Errorf("bar %d: mean colour (%.0f, %.0f, %.0f) of %v is %s", z, mean[0], mean[1], mean[2], r, c.name)
			}
		}
		checkEvery(t, frame, r, want, tol, z)
	}
}

// checkEvery fails at the first pixel of r (on a grid of 4) off want by
// more than tol in a channel.
func checkEvery(t testing.TB, img *image.RGBA, r image.Rectangle, want [3]float64, tol float64, bar int) {
	t.Helper()
	for y := r.Min.Y; y < r.Max.Y; y += 4 {
		for x := r.Min.X; x < r.Max.X; x += 4 {
			c := img.RGBAAt(x, y)
			for k, v := range []uint8{c.R, c.G, c.B} {
				if math.Abs(float64(v)-want[k]) > tol {
					t.Errorf("bar %d: pixel (%d, %d) is %v, want the art's edge blurred and darkened, (%.0f, %.0f, %.0f) ±%g",
						bar, x, y, c, want[0], want[1], want[2], tol)
					return
				}
			}
		}
	}
}

// distance is the largest difference of a channel between m and c.
func distance(m [3]float64, c color.RGBA) float64 {
	return max(math.Abs(m[0]-float64(c.R)), math.Abs(m[1]-float64(c.G)), math.Abs(m[2]-float64(c.B)))
}
