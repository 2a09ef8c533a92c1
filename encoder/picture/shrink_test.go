package picture

import (
	"image"
	"image/color"
	"math"
	"runtime"
	"testing"

	"golang.org/x/image/draw"
)

func TestHalvePlaneOddSides(t *testing.T) {
	t.Parallel()
	// 3×3 → 2×2: the odd last row and column pair with themselves.
	src := []byte{
		0, 4, 8,
		12, 16, 20,
		24, 28, 32,
	}
	dst := make([]byte, 4)
	halvePlane(dst, 2, 1, src, 3, 3, 3)
	want := []byte{8, 14, 26, 32}
	for i := range want {
		if dst[i] != want[i] {
			t.Fatalf("halvePlane = %v, want %v", dst, want)
		}
	}
}

// bigPhoto is a w×h 4:2:0 image with smooth gradients and a fine
// pattern, as a JPEG decoder gives it.
func bigPhoto(w, h int) *image.YCbCr {
	m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := range h {
		for x := range w {
			v := 128 + 60*math.Sin(float64(x)/97) + 40*math.Cos(float64(y)/61) + noise(x, y)
			m.Y[m.YOffset(x, y)] = uint8(v)
		}
	}
	for y := range (h + 1) / 2 {
		for x := range (w + 1) / 2 {
			i := y*m.CStride + x
			m.Cb[i], m.Cr[i] = uint8(128+30*math.Sin(float64(x+y)/83)), uint8(128+30*math.Cos(float64(x-y)/71))
		}
	}
	return m
}

// TestComposeShrinksLargePhotos: a photo far larger than its canvas is
// halved before scaling, which keeps memory small, and the canvas is the
// same picture as scaling it in one step.
func TestComposeShrinksLargePhotos(t *testing.T) {
	src := bigPhoto(4000, 3000)
	canvas := image.Pt(640, 360)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got := Compose(src, canvas, Letterbox, color.RGBA{A: 255})
	runtime.ReadMemStats(&after)
	_, dst := FitRects(src.Bounds().Size(), canvas, Letterbox)
	// One-step Catmull-Rom keeps dst.Dx() × source height × 32 bytes.
	oneStep := uint64(dst.Dx() * 3000 * 32)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > oneStep*2/5 {
		t.Errorf("Compose allocated %d MB; scaling in one step keeps a %d MB table", alloc>>20, oneStep>>20)
	}
	want := image.NewRGBA(image.Rect(0, 0, canvas.X, canvas.Y))
	draw.CatmullRom.Scale(want, dst, src, src.Bounds(), draw.Over, nil)
	var sum, n float64
	for y := dst.Min.Y; y < dst.Max.Y; y++ {
		for x := dst.Min.X; x < dst.Max.X; x++ {
			a, b := got.RGBAAt(x, y), want.RGBAAt(x, y)
			for _, d := range []int{int(a.R) - int(b.R), int(a.G) - int(b.G), int(a.B) - int(b.B)} {
				sum += math.Abs(float64(d))
				n++
			}
		}
	}
	if mean := sum / n; mean > 2 {
		t.Errorf("halved then scaled differs from scaled in one step by %.2f levels on average, want ≤ 2", mean)
	}
}

func TestShrinkForCrop(t *testing.T) {
	t.Parallel()
	src := bigPhoto(2000, 1000)
	r := image.Rect(500, 0, 1500, 1000) // a square crop
	img, got := shrinkFor(src, r, image.Pt(200, 200))
	if img.Bounds() != image.Rect(0, 0, 500, 250) || got != image.Rect(125, 0, 375, 250) {
		t.Errorf("shrinkFor = %v of %v, want 125,0–375,250 of 500×250", got, img.Bounds())
	}
	// An image kind halve does not know is left as it is.
	n := image.NewNRGBA(image.Rect(0, 0, 1000, 1000))
	if img, got := shrinkFor(n, n.Rect, image.Pt(100, 100)); img != image.Image(n) || got != n.Rect {
		t.Error("an NRGBA image was changed")
	}
}

// noise is a fixed pseudo-random level in [0, 8), like a photo's grain.
func noise(x, y int) float64 {
	h := uint32(x)*0x9E3779B1 ^ uint32(y)*0x85EBCA77
	h ^= h >> 15
	h *= 0x2C1B3C6D
	return float64(h >> 29)
}
