package picture

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stillcast/stillcast/encoder/internal/imgtest"
)

// h264MaxFrameMBs is the largest frame of any H.264 level (6.2), in
// 16×16 macroblocks: 8192×4320 fits, 8000×6000 does not.
const h264MaxFrameMBs = 139264

// TestSourceCanvasStaysWithinH264Limits: at the image's own size ("source",
// the default) a large photo still makes a canvas that respects
// MaxSide and the largest frame H.264 allows, scaled down with its
// shape kept. A 48-megapixel phone photo (8000×6000) otherwise becomes a
// stream that x264 flags "frame MB size (500x375) > level limit (139264)"
// and that players may refuse.
func TestSourceCanvasStaysWithinH264Limits(t *testing.T) {
	t.Parallel()
	for _, img := range []image.Point{
		{8000, 6000}, {6000, 8000}, {12000, 9000}, {9000, 200}, {200, 9000}, {8192, 8192},
		{8192, 4320}, {4000, 3000}, {8191, 4321},
	} {
		t.Run(fmt.Sprint(img), func(t *testing.T) {
			c := SourceCanvas(img)
			mbs := ((c.X + 15) / 16) * ((c.Y + 15) / 16)
			if c.X > MaxSide || c.Y > MaxSide {
				t.Errorf("canvas %v for a %v image: a side beyond MaxSide %d", c, img, MaxSide)
			}
			if mbs > h264MaxFrameMBs {
				t.Errorf("canvas %v for a %v image: %d macroblocks, beyond H.264's largest frame (%d)", c, img, mbs, h264MaxFrameMBs)
			}
			if c.X%2 != 0 || c.Y%2 != 0 {
				t.Errorf("odd canvas %v", c)
			}
			// The shape is kept within a pixel of rounding and evening.
			if d := float64(c.X)*float64(img.Y) - float64(img.X)*float64(c.Y); math.Abs(d) > 2*float64(max(img.X, img.Y)) {
				t.Errorf("canvas %v does not keep the shape of %v", c, img)
			}
			// An image within the limits keeps its own (evened) size.
			if img.X <= MaxSide && img.Y <= MaxSide && ((img.X+15)/16)*((img.Y+15)/16) <= h264MaxFrameMBs {
				if c != image.Pt(img.X&^1, img.Y&^1) {
					t.Errorf("canvas %v for a %v image that fits already", c, img)
				}
			}
		})
	}
}

func TestFitRects(t *testing.T) {
	t.Parallel()
	r := image.Rect
	tests := []struct {
		name        string
		img, canvas image.Point
		fit         Fit
		src, dst    image.Rectangle
	}{
		// Same shape: nothing cut, nothing barred.
		{"same shape letterbox", image.Pt(320, 180), image.Pt(1280, 720), Letterbox, r(0, 0, 320, 180), r(0, 0, 1280, 720)},
		{"same shape crop", image.Pt(320, 180), image.Pt(1280, 720), Crop, r(0, 0, 320, 180), r(0, 0, 1280, 720)},
		// A wide image on a tall canvas.
		{"wide on tall letterbox", image.Pt(200, 100), image.Pt(100, 200), Letterbox, r(0, 0, 200, 100), r(0, 75, 100, 125)},
		{"wide on tall crop", image.Pt(200, 100), image.Pt(100, 200), Crop, r(75, 0, 125, 100), r(0, 0, 100, 200)},
		{"wide on tall stretch", image.Pt(200, 100), image.Pt(100, 200), Stretch, r(0, 0, 200, 100), r(0, 0, 100, 200)},
		// A tall image on a wide canvas.
		{"tall on wide letterbox", image.Pt(100, 200), image.Pt(1280, 720), Letterbox, r(0, 0, 100, 200), r(460, 0, 820, 720)},
		{"tall on wide crop", image.Pt(100, 200), image.Pt(1280, 720), Crop, r(0, 72, 100, 128), r(0, 0, 1280, 720)},
		{"tall on wide stretch", image.Pt(100, 200), image.Pt(1280, 720), Stretch, r(0, 0, 100, 200), r(0, 0, 1280, 720)},
		{"tall on wide blur (as letterbox)", image.Pt(100, 200), image.Pt(1280, 720), Blur, r(0, 0, 100, 200), r(460, 0, 820, 720)},
		// 4:3 on 16:9 and back.
		{"4:3 on 16:9 letterbox", image.Pt(640, 480), image.Pt(1920, 1080), Letterbox, r(0, 0, 640, 480), r(240, 0, 1680, 1080)},
		{"16:9 on 4:3 letterbox", image.Pt(1920, 1080), image.Pt(640, 480), Letterbox, r(0, 0, 1920, 1080), r(0, 60, 640, 420)},
		{"16:9 on 4:3 crop", image.Pt(1920, 1080), image.Pt(640, 480), Crop, r(240, 0, 1680, 1080), r(0, 0, 640, 480)},
		// Odd sizes: an odd source on its evened canvas.
		{"odd source letterbox", image.Pt(101, 77), image.Pt(100, 76), Letterbox, r(0, 0, 101, 77), r(0, 0, 100, 76)},
		{"odd source crop", image.Pt(101, 77), image.Pt(100, 76), Crop, r(0, 0, 101, 77), r(0, 0, 100, 76)},
		// An extreme strip never vanishes.
		{"strip letterbox", image.Pt(10000, 1), image.Pt(100, 100), Letterbox, r(0, 0, 10000, 1), r(0, 49, 100, 50)},
		// An image far thinner than the canvas still gives crop a pixel to
		// show, as letterbox keeps at least one.
		{"thin crop keeps a pixel", image.Pt(1, 5000), image.Pt(4000, 2), Crop, r(0, 2499, 1, 2500), r(0, 0, 4000, 2)},
		{"flat crop keeps a pixel", image.Pt(5000, 1), image.Pt(2, 4000), Crop, r(2499, 0, 2500, 1), r(0, 0, 2, 4000)},
		{"empty image", image.Pt(0, 0), image.Pt(100, 100), Letterbox, r(0, 0, 0, 0), r(0, 0, 100, 100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, dst := FitRects(tt.img, tt.canvas, tt.fit)
			if src != tt.src || dst != tt.dst {
				t.Errorf("FitRects(%v, %v, %s) = %v, %v; want %v, %v", tt.img, tt.canvas, tt.fit, src, dst, tt.src, tt.dst)
			}
		})
	}
}

// TestFitRectsInvariants checks random shapes: rectangles stay inside
// their images, letterbox keeps the aspect ratio and centres, crop fills
// and centres.
func TestFitRectsInvariants(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 2000; i++ {
		img := image.Pt(1+rng.IntN(5000), 1+rng.IntN(5000))
		canvas := image.Pt(2+2*rng.IntN(2000), 2+2*rng.IntN(2000))
		full := image.Rectangle{Max: img}
		whole := image.Rectangle{Max: canvas}
		for _, fit := range []Fit{Letterbox, Crop, Stretch} {
			src, dst := FitRects(img, canvas, fit)
			if !src.In(full) || src.Empty() || !dst.In(whole) || dst.Empty() {
				t.Fatalf("FitRects(%v, %v, %s) = %v, %v: outside or empty", img, canvas, fit, src, dst)
			}
			switch fit {
			case Stretch:
				if src != full || dst != whole {
					t.Fatalf("stretch %v %v: %v %v", img, canvas, src, dst)
				}
			case Letterbox:
				if src != full {
					t.Fatalf("letterbox cut the image: %v", src)
				}
				// One side touches both edges; the bars on the other are equal ±1.
				touchX := dst.Min.X == 0 && dst.Max.X == canvas.X
				touchY := dst.Min.Y == 0 && dst.Max.Y == canvas.Y
				if !touchX && !touchY {
					t.Fatalf("letterbox %v on %v: %v touches no pair of edges", img, canvas, dst)
				}
				if d := (dst.Min.X + dst.Min.Y) - (canvas.X - dst.Max.X + canvas.Y - dst.Max.Y); d < -1 || d > 1 {
					t.Fatalf("letterbox %v on %v: %v is not centred", img, canvas, dst)
				}
				checkAspect(t, img, dst.Size(), fmt.Sprintf("letterbox %v on %v", img, canvas))
			case Crop:
				if dst != whole {
					t.Fatalf("crop left bars: %v", dst)
				}
				if d := (src.Min.X + src.Min.Y) - (img.X - src.Max.X + img.Y - src.Max.Y); d < -1 || d > 1 {
					t.Fatalf("crop %v on %v: %v is not centred", img, canvas, src)
				}
				checkAspect(t, canvas, src.Size(), fmt.Sprintf("crop %v on %v", img, canvas))
			}
		}
	}
}

// checkAspect fails when got is not the shape of want within the rounding
// of one pixel on its shorter side.
func checkAspect(t *testing.T, want, got image.Point, what string) {
	t.Helper()
	// |got.X/got.Y - want.X/want.Y| within what one pixel of rounding allows.
	lhs := float64(got.X) * float64(want.Y)
	rhs := float64(want.X) * float64(got.Y)
	slack := float64(max(want.X, want.Y)) * 1.01
	if d := lhs - rhs; d > slack || d < -slack {
		if got.X > 1 && got.Y > 1 {
			t.Fatalf("%s: %v does not keep the shape of %v", what, got, want)
		}
	}
}

func TestComposeLetterboxBars(t *testing.T) {
	t.Parallel()
	tRed := color.RGBA{255, 0, 0, 255}
	bg := color.RGBA{0, 0, 255, 255}
	// A wide red image on a square canvas: blue bars above and below.
	out := Compose(imgtest.Solid(40, 20, tRed), image.Pt(40, 40), Letterbox, bg)
	if out.Bounds() != image.Rect(0, 0, 40, 40) {
		t.Fatalf("bounds %v", out.Bounds())
	}
	imgtest.CheckColor(t, "top bar", out, image.Rect(0, 0, 40, 9), bg, 0)
	imgtest.CheckColor(t, "image", out, image.Rect(0, 11, 40, 29), tRed, 0)
	imgtest.CheckColor(t, "bottom bar", out, image.Rect(0, 31, 40, 40), bg, 0)
	// The alpha of the background never leaks into the canvas.
	out = Compose(imgtest.Solid(4, 4, tRed), image.Pt(8, 4), Letterbox, color.RGBA{0, 255, 0, 0})
	if c := out.RGBAAt(0, 0); c != (color.RGBA{0, 255, 0, 255}) {
		t.Errorf("bar with a transparent background colour = %v, want opaque green", c)
	}
}

func TestComposeCropAndStretch(t *testing.T) {
	t.Parallel()
	// Left third red, middle green, right third blue, 60×20.
	img := image.NewRGBA(image.Rect(0, 0, 60, 20))
	for y := 0; y < 20; y++ {
		for x := 0; x < 60; x++ {
			c := []color.RGBA{{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}}[x/20]
			img.SetRGBA(x, y, c)
		}
	}
	// Crop to a square keeps the green middle only.
	out := Compose(img, image.Pt(20, 20), Crop, color.RGBA{A: 255})
	imgtest.CheckColor(t, "crop", out, image.Rect(0, 0, 20, 20), color.RGBA{0, 255, 0, 255}, 0)
	// Stretch onto a tall canvas keeps all three thirds, full height.
	out = Compose(img, image.Pt(30, 60), Stretch, color.RGBA{A: 255})
	imgtest.CheckColor(t, "stretch left", out, image.Rect(0, 0, 6, 60), color.RGBA{255, 0, 0, 255}, 1)
	imgtest.CheckColor(t, "stretch middle", out, image.Rect(13, 0, 17, 60), color.RGBA{0, 255, 0, 255}, 1)
	imgtest.CheckColor(t, "stretch right", out, image.Rect(24, 0, 30, 60), color.RGBA{0, 0, 255, 255}, 1)
}

func TestComposeAlphaOverBackground(t *testing.T) {
	t.Parallel()
	bg := color.RGBA{255, 0, 0, 255}
	tests := []struct {
		name string
		px   color.NRGBA
		want color.RGBA
	}{
		{"transparent", color.NRGBA{0, 255, 0, 0}, bg},
		{"opaque", color.NRGBA{0, 255, 0, 255}, color.RGBA{0, 255, 0, 255}},
		{"half white", color.NRGBA{255, 255, 255, 128}, color.RGBA{255, 128, 128, 255}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := image.NewNRGBA(image.Rect(0, 0, 10, 10))
			for i := 0; i < len(img.Pix); i += 4 {
				img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = tt.px.R, tt.px.G, tt.px.B, tt.px.A
			}
			// Same size (a straight copy) and scaled (Catmull-Rom) must agree.
			for _, c := range []image.Point{{10, 10}, {32, 32}} {
				out := Compose(img, c, Stretch, bg)
				imgtest.CheckColor(t, fmt.Sprintf("%s at %v", tt.name, c), out, image.Rect(2, 2, c.X-2, c.Y-2), tt.want, 1)
				for i := 3; i < len(out.Pix); i += 4 {
					if out.Pix[i] != 255 {
						t.Fatalf("canvas alpha %d at byte %d, want opaque", out.Pix[i], i)
					}
				}
			}
		})
	}
}

func TestComposeOffsetBounds(t *testing.T) {
	t.Parallel()
	// A sub-image whose bounds do not start at 0,0 is placed by its own
	// pixels, not by whatever lies at 0,0 of its parent.
	parent := imgtest.Solid(40, 40, color.RGBA{0, 0, 0, 255})
	for y := 20; y < 40; y++ {
		for x := 20; x < 40; x++ {
			parent.SetRGBA(x, y, color.RGBA{255, 255, 255, 255})
		}
	}
	sub := parent.SubImage(image.Rect(20, 20, 40, 40))
	for _, c := range []image.Point{{20, 20}, {40, 40}} {
		out := Compose(sub, c, Letterbox, color.RGBA{255, 0, 0, 255})
		imgtest.CheckColor(t, fmt.Sprintf("sub-image on %v", c), out, out.Bounds(), color.RGBA{255, 255, 255, 255}, 1)
	}
}
