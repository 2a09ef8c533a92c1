package encoder

import (
	"image"
	"image/color"
	"math"
	"path/filepath"
	"testing"

	"github.com/stillcast/stillcast/encoder/internal/imgtest"
	"github.com/stillcast/stillcast/encoder/picture"
)

// TestRenderBlurredFill renders a square picture at 1080p with FitBlur,
// still and with the Ken Burns zoom (composed on a larger canvas), and
// decodes the first frame: the bars show the picture's edges blurred and
// darkened (neither black nor the background), and the middle shows the
// picture itself.
func TestRenderBlurredFill(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	art := imgtest.BlurArt(1080, 1080, true)
	img := imgtest.WritePNG(t, t.TempDir(), "square.png", art)
	bg := color.RGBA{200, 0, 200, 255}
	for _, kenBurns := range []bool{false, true} {
		name := map[bool]string{false: "still", true: "ken burns"}[kenBurns]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "blur.mp4")
			s := testSettings(img, out)
			s.Size, s.Fit, s.Background, s.KenBurns = Size{W: 1920, H: 1080}, FitBlur, bg, kenBurns
			renderOK(t, s)
			frame := decodeFrame(t, out, 0)
			_, dst := picture.FitRects(art.Bounds().Size(), image.Pt(1920, 1080), FitBlur)
			imgtest.CheckBlurredBars(t, frame, art, dst, bg, 10)
			// The middle of the picture, clear of chroma blocks and of the
			// zoom's rescaling.
			mid := image.Rect(960-100, 540-200, 960+100, 540+200)
			imgtest.CheckColor(t, name+" middle", frame, mid, imgtest.BlurArtMiddle, 6)
			if !kenBurns { // one to one: the whole picture is in its place
				if d := meanAbsDiff(frame.SubImage(dst).(*image.RGBA), art); d > 6 {
					t.Errorf("the letterboxed picture is off the original by %.1f a channel on average", d)
				}
			}
		})
	}
}

// meanAbsDiff is the mean difference of a channel between a and b, which
// have the same size.
func meanAbsDiff(a, b *image.RGBA) float64 {
	var sum float64
	ab, bb := a.Bounds(), b.Bounds()
	for y := range ab.Dy() {
		for x := range ab.Dx() {
			ca, cb := a.RGBAAt(ab.Min.X+x, ab.Min.Y+y), b.RGBAAt(bb.Min.X+x, bb.Min.Y+y)
			sum += math.Abs(float64(ca.R)-float64(cb.R)) + math.Abs(float64(ca.G)-float64(cb.G)) + math.Abs(float64(ca.B)-float64(cb.B))
		}
	}
	return sum / float64(3*ab.Dx()*ab.Dy())
}
