package picture

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"testing"

	"github.com/stillcast/stillcast/encoder/internal/imgtest"
)

// TestComposeBlur lays BlurArt onto canvases of other shapes: the bars
// show the art's edges blurred and darkened (neither black nor the
// background), and where the image lands the canvas is Letterbox's, byte
// for byte.
func TestComposeBlur(t *testing.T) {
	t.Parallel()
	bg := color.RGBA{200, 0, 200, 255}
	tests := []struct {
		name   string
		art    *image.RGBA
		canvas image.Point
	}{
		{"square on 1080p", imgtest.BlurArt(1000, 1000, true), image.Pt(1920, 1080)},
		{"square on 720p", imgtest.BlurArt(3000, 3000, true), image.Pt(1280, 720)},
		{"tall on 1080p", imgtest.BlurArt(600, 900, true), image.Pt(1920, 1080)},
		{"wide on square", imgtest.BlurArt(1600, 900, false), image.Pt(1080, 1080)},
		{"wide on portrait", imgtest.BlurArt(1920, 1080, false), image.Pt(1080, 1920)},
		{"small square on 4K", imgtest.BlurArt(500, 500, true), image.Pt(3840, 2160)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := Compose(tt.art, tt.canvas, Blur, bg)
			_, dst := FitRects(tt.art.Bounds().Size(), tt.canvas, Blur)
			imgtest.CheckBlurredBars(t, out, tt.art, dst, bg, 8)
			want := Compose(tt.art, tt.canvas, Letterbox, bg)
			checkSameIn(t, out, want, dst)
		})
	}
}

// TestComposeBlurLikeLetterbox: an image of the canvas's shape leaves no
// bars, so the blurred fill is Letterbox exactly; so is the middle of a
// transparent image, which shows the background as Letterbox's does.
func TestComposeBlurLikeLetterbox(t *testing.T) {
	t.Parallel()
	bg := color.RGBA{10, 20, 30, 255}
	half := image.NewNRGBA(image.Rect(0, 0, 400, 400))
	for i := 0; i < len(half.Pix); i += 4 {
		half.Pix[i], half.Pix[i+1], half.Pix[i+3] = 255, 255, uint8(i/4%400*255/399) // transparent to opaque yellow
	}
	tests := []struct {
		name   string
		img    image.Image
		canvas image.Point
	}{
		{"same shape", imgtest.BlurArt(640, 360, true), image.Pt(1920, 1080)},
		{"same size", imgtest.BlurArt(1280, 720, true), image.Pt(1280, 720)},
		{"transparent on 16:9", half, image.Pt(1280, 720)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := Compose(tt.img, tt.canvas, Blur, bg)
			_, dst := FitRects(tt.img.Bounds().Size(), tt.canvas, Blur)
			checkSameIn(t, out, Compose(tt.img, tt.canvas, Letterbox, bg), dst)
		})
	}
	// An extreme strip, far smaller than the blurred copy, still fills the
	// bars with its own colour (darkened), never with black.
	strip := Compose(imgtest.Solid(10000, 1, color.RGBA{250, 250, 0, 255}), image.Pt(100, 100), Blur, bg)
	imgtest.CheckColor(t, "fill of a strip", strip, image.Rect(0, 0, 100, 40), color.RGBA{150, 150, 0, 255}, 3)
	// The fill of the transparent image is its colours over the background:
	// on the left, where it is clear, the background darkened.
	out := Compose(half, image.Pt(1280, 720), Blur, bg)
	imgtest.CheckColor(t, "fill of a transparent edge", out, image.Rect(0, 0, 40, 720), color.RGBA{6, 12, 18, 255}, 4)
}

// checkSameIn fails when got and want differ in r.
func checkSameIn(t *testing.T, got, want *image.RGBA, r image.Rectangle) {
	t.Helper()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		g, w := got.Pix[got.PixOffset(r.Min.X, y):got.PixOffset(r.Max.X, y)], want.Pix[want.PixOffset(r.Min.X, y):want.PixOffset(r.Max.X, y)]
		if !bytes.Equal(g, w) {
			t.Fatalf("row %d of %v differs from Letterbox's", y, r)
		}
	}
}

// TestBoxBlur: a box blur keeps a flat image flat and turns fine stripes
// into their mean colour.
func TestBoxBlur(t *testing.T) {
	t.Parallel()
	flat := imgtest.Solid(50, 30, color.RGBA{7, 100, 250, 255})
	boxBlur(flat, 6, 3)
	imgtest.CheckColor(t, "flat", flat, flat.Bounds(), color.RGBA{7, 100, 250, 255}, 0)
	stripes := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for i := 0; i < len(stripes.Pix); i += 4 {
		if i/4/64%2 == 0 {
			stripes.Pix[i] = 200
		}
		stripes.Pix[i+3] = 255
	}
	boxBlur(stripes, 4, 3)
	// Beyond the edges the edge rows repeat, so only rows further in than
	// the three passes reach are exactly the mean.
	for y := 12; y < 52; y++ {
		if r := stripes.RGBAAt(10, y).R; r < 99 || r > 101 {
			t.Fatalf("row %d after the blur: red %d, want 100±1", y, r)
		}
	}
}

func BenchmarkComposeBlur1080p(b *testing.B) { benchmarkComposeBlur(b, image.Pt(1920, 1080)) }
func BenchmarkComposeBlur4K(b *testing.B)    { benchmarkComposeBlur(b, image.Pt(3840, 2160)) }

// benchmarkComposeBlur composes a 3000×3000 album cover with the blurred
// fill, and with Letterbox for comparison (most of either is scaling the
// sharp image); "fill" is the blurred fill alone.
func benchmarkComposeBlur(b *testing.B, canvas image.Point) {
	art := imgtest.BlurArt(3000, 3000, true)
	for _, fit := range []Fit{Blur, Letterbox} {
		b.Run(fmt.Sprint(fit), func(b *testing.B) {
			for b.Loop() {
				Compose(art, canvas, fit, color.RGBA{A: 255})
			}
		})
	}
	b.Run("fill", func(b *testing.B) {
		out := Compose(art, canvas, Letterbox, color.RGBA{A: 255})
		_, dst := FitRects(art.Bounds().Size(), canvas, Blur)
		for b.Loop() {
			drawBlurredFill(out, dst, bars(out.Bounds(), dst)...)
		}
	})
}
