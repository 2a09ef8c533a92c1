package picture

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// zoomTestSlide is a slide at the zoom canvas of out: smooth gradients
// with a few hard edges, so both the sampling positions and the values
// show.
func zoomTestSlide(out image.Point) *image.RGBA {
	big := ZoomCanvas(out)
	img := image.NewRGBA(image.Rect(0, 0, big.X, big.Y))
	for y := range big.Y {
		for x := range big.X {
			c := color.RGBA{uint8(x * 255 / big.X), uint8(y * 255 / big.Y), uint8((x + y) % 97 * 2), 255}
			if (x/37+y/23)%5 == 0 {
				c = color.RGBA{250, 250, 240, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// planeDiff is the mean and largest absolute difference of two planes.
func planeDiff(a, b []byte) (mean float64, most int) {
	sum := 0
	for i := range a {
		d := int(a[i]) - int(b[i])
		if d < 0 {
			d = -d
		}
		sum += d
		most = max(most, d)
	}
	return float64(sum) / float64(len(a)), most
}

// TestZoomerMatchesRGB draws zoomed frames in yuv420p directly and the old
// way (bilinear in RGBA, then converted), at even and odd zoom canvases
// and at both ends of the zoom: the pictures agree to rounding.
func TestZoomerMatchesRGB(t *testing.T) {
	for _, out := range []image.Point{{320, 180}, {1280, 720}, {642, 362}, {2, 2}} {
		slide := zoomTestSlide(out)
		m := MatrixFor(out.Y)
		yuv := NewYUV420(slide, m)
		var zm Zoomer
		got := make([]byte, FrameSize(out.X, out.Y))
		rgba := image.NewRGBA(image.Rect(0, 0, out.X, out.Y))
		for _, z := range []float64{1, 1.0123, KenBurnsZoom} {
			zm.Draw(got, out, yuv, z)
			DrawZoomed(rgba, slide, z)
			want := ToYUV420(rgba, m)
			n := out.X * out.Y
			ym, ymax := planeDiff(got[:n], want[:n])
			cm, cmax := planeDiff(got[n:], want[n:])
			t.Logf("%v zoom %g: luma differs by %.3f on average (at most %d), chroma %.3f (%d)", out, z, ym, ymax, cm, cmax)
			// Luma is the same sampling; chroma is averaged before sampling
			// rather than after, which moves sharp colour edges a little.
			if ym > 0.3 || ymax > 2 || cm > 1.5 {
				t.Errorf("%v at zoom %g: luma off by %.3f (at most %d), chroma by %.3f", out, z, ym, ymax, cm)
			}
		}
	}
}

// TestNewYUV420OddSides converts a picture of odd sides: the planes have
// the picture's size and half of it rounded up, and the values of an even
// conversion of the same colour.
func TestNewYUV420OddSides(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 5, 3))
	for i := 0; i < len(img.Pix); i += 4 {
		copy(img.Pix[i:i+4], []byte{200, 40, 90, 255})
	}
	p := NewYUV420(img, BT709())
	if p.W != 5 || p.H != 3 || len(p.Y) != 15 || len(p.Cb) != 6 || len(p.Cr) != 6 {
		t.Fatalf("planes %dx%d of %d, %d, %d samples, want 5x3 of 15, 6, 6", p.W, p.H, len(p.Y), len(p.Cb), len(p.Cr))
	}
	even := image.NewRGBA(image.Rect(0, 0, 2, 2))
	for i := 0; i < len(even.Pix); i += 4 {
		copy(even.Pix[i:i+4], []byte{200, 40, 90, 255})
	}
	ref := ToYUV420(even, BT709())
	for i, v := range p.Y {
		if v != ref[0] {
			t.Fatalf("luma %d is %d, want %d", i, v, ref[0])
		}
	}
	for i := range p.Cb {
		if p.Cb[i] != ref[4] || p.Cr[i] != ref[5] {
			t.Fatalf("chroma %d is %d,%d, want %d,%d", i, p.Cb[i], p.Cr[i], ref[4], ref[5])
		}
	}
}

// TestZoomerSubPixel checks that a zoom a hair larger moves a sharp edge
// far from the centre by the matching fraction of a pixel: sub-pixel
// motion, not whole-pixel steps.
func TestZoomerSubPixel(t *testing.T) {
	out := image.Pt(640, 360)
	big := ZoomCanvas(out)
	img := image.NewRGBA(image.Rect(0, 0, big.X, big.Y))
	for y := range big.Y {
		for x := range big.X {
			v := uint8(16)
			if x >= big.X/2+250 { // an edge 250 pixels right of the centre
				v = 235
			}
			img.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	yuv := NewYUV420(img, BT709())
	var zm Zoomer
	frame := make([]byte, FrameSize(out.X, out.Y))
	edge := func(z float64) float64 { // where the row crosses the middle grey
		zm.Draw(frame, out, yuv, z)
		row := frame[180*out.X : 181*out.X]
		for x := 1; x < out.X; x++ {
			a, b := float64(row[x-1]), float64(row[x])
			if a < 126 && b >= 126 {
				return float64(x) - 0.5 + (126-a)/(b-a)
			}
		}
		t.Fatal("no edge")
		return 0
	}
	prev := edge(1)
	for k := 1; k <= 10; k++ {
		z := 1 + 0.0004*float64(k) // about 0.1 pixel a step at the edge
		e := edge(z)
		step := e - prev
		if step <= 0.02 || step > 0.3 {
			t.Errorf("zoom %g moves the edge by %.3f pixels, want a fraction of a pixel", z, step)
		}
		prev = e
	}
}

// TestZoomerAllocates nothing per frame once its tables are made.
func TestZoomerAllocates(t *testing.T) {
	out := image.Pt(320, 180)
	yuv := NewYUV420(zoomTestSlide(out), BT601())
	var zm Zoomer
	frame := make([]byte, FrameSize(out.X, out.Y))
	z := 1.0
	if n := testing.AllocsPerRun(5, func() { z += 0.001; zm.Draw(frame, out, yuv, z) }); n != 0 {
		t.Errorf("%g allocations a frame", n)
	}
}

// BenchmarkZoomFrame1080p draws one zoomed 1080p frame the old way (RGBA
// bilinear, then converted to yuv420p) and directly in yuv420p.
func BenchmarkZoomFrame1080p(b *testing.B) {
	out := image.Pt(1920, 1080)
	slide := zoomTestSlide(out)
	m := MatrixFor(out.Y)
	frame := make([]byte, FrameSize(out.X, out.Y))
	b.Run("rgba", func(b *testing.B) {
		rgba := image.NewRGBA(image.Rect(0, 0, out.X, out.Y))
		for i := range b.N {
			DrawZoomed(rgba, slide, 1+math.Mod(float64(i)*0.001, 0.08))
			ToYUV420Into(frame, rgba, m)
		}
	})
	b.Run("yuv", func(b *testing.B) {
		yuv := NewYUV420(slide, m)
		var zm Zoomer
		for i := range b.N {
			zm.Draw(frame, out, yuv, 1+math.Mod(float64(i)*0.001, 0.08))
		}
	})
}
