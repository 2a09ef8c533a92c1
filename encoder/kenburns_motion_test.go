package encoder

import (
	"image"
	"image/color"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/picture"
)

// TestKenBurnsZoomIsSmooth renders two slides of a bright band on grey,
// 4 s each with a cut between them, decodes every frame, and measures the
// band's width and centre in each to a small fraction of a pixel: the
// width is the zoom. On the first slide it must grow and on the second
// shrink at every single frame (by about 0.37 pixels a frame here, so a
// zoom drawn in whole pixels stands still), each frame's zoom must be the
// one ZoomAt plans for it, and the centre must stay put (a window moved in
// whole pixels, as ffmpeg's zoompan moves it, wobbles by up to half a
// pixel).
func TestKenBurnsZoomIsSmooth(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	out := image.Pt(640, 360)
	big := picture.ZoomCanvas(out) // the pattern is that size, so composing it changes nothing
	const half = 250               // half the band's width, in pattern pixels
	band := image.NewRGBA(image.Rect(0, 0, big.X, big.Y))
	for y := range big.Y {
		for x := range big.X {
			v := uint8(60)
			if x >= big.X/2-half && x < big.X/2+half {
				v = 200
			}
			band.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	s := testSettings("", filepath.Join(dir, "smooth.mp4"))
	pattern := writePNG(t, dir, "band.png", band)
	s.Images = SlidesOf(pattern, pattern)
	s.Size = Size{W: out.X, H: out.Y}
	s.Duration, s.Crossfade, s.KenBurns, s.CRF = 8*time.Second, 0, true, 12
	renderOK(t, s)
	raw := ffmpegOut(t, "-v", "error", "-i", "file:"+s.Output, "-f", "rawvideo", "-pix_fmt", "yuv420p", "-")
	size := picture.FrameSize(out.X, out.Y)
	if len(raw) != 200*size {
		t.Fatalf("decoded %d bytes, want 200 frames of %d", len(raw), size)
	}
	perZoom := 2 * half * float64(out.X) / float64(big.X) // the band's width at zoom 1
	var worst, off float64
	for slide := range 2 {
		prev := math.NaN()
		for k := range 100 {
			frame := 100*slide + k
			width, centre := measureBand(raw[frame*size:frame*size+out.X*out.Y], out)
			z, want := width/perZoom, picture.ZoomAt(slide, float64(k)/99)
			// The zoom is on the canvas's centre, which the band's (at a
			// whole pattern pixel) misses by half a pixel when the pattern's
			// width is odd: that half pixel, at this zoom, is all it moves.
			at := float64(out.X)/2 + (float64(big.X/2)-float64(big.X)/2)*perZoom/(2*half)*want
			worst, off = math.Max(worst, math.Abs(z-want)), math.Max(off, math.Abs(centre-at))
			if math.Abs(centre-at) > 0.1 { // a whole-pixel window is off by up to half a pixel
				t.Errorf("frame %d: the band's centre is at %.3f, not %.3f", frame, centre, at)
			}
			if math.Abs(z-want) > 0.0004 { // half a frame's step
				t.Errorf("frame %d: zoom %.5f, planned %.5f", frame, z, want)
			}
			if grows := z > prev; k > 0 && grows != (slide == 0) {
				t.Errorf("frame %d: zoom %.5f after %.5f: not a steady zoom %s", frame, z, prev, []string{"in", "out"}[slide])
			}
			prev = z
		}
	}
	t.Logf("the measured zoom is at most %.5f from the plan (a frame's step is %.5f), the centre at most %.3f pixels off",
		worst, (picture.KenBurnsZoom-1)/99, off)
}

// measureBand measures, in pixels, how wide the bright band in the middle
// of a luma plane is and where its centre is, averaged over its rows: the
// sum of each row's brightness between its dark ends and its bright
// middle, which counts a pixel half covered by the band as half a pixel,
// and the mean position weighted by it.
func measureBand(luma []byte, size image.Point) (width, centre float64) {
	const edge = 10 // samples of each level, at the row's ends and in its middle
	mean := func(px []byte) float64 {
		sum := 0
		for _, v := range px {
			sum += int(v)
		}
		return float64(sum) / float64(len(px))
	}
	moment := 0.0
	for y := range size.Y {
		row := luma[y*size.X : (y+1)*size.X]
		lo := (mean(row[:edge]) + mean(row[size.X-edge:])) / 2
		hi := mean(row[size.X/2-edge/2 : size.X/2+edge/2])
		for x, v := range row {
			cover := (float64(v) - lo) / (hi - lo)
			width += cover
			moment += cover * (float64(x) + 0.5)
		}
	}
	return width / float64(size.Y), moment / width
}

// The motion test's measure, checked on frames drawn in Go: a band of a
// known width and place reads as that width and place.
func TestMeasureBand(t *testing.T) {
	size := image.Pt(100, 4)
	luma := make([]byte, size.X*size.Y)
	const lo, hi = 67, 188
	for y := range size.Y {
		for x := range size.X {
			luma[y*size.X+x] = lo
			if x >= 30 && x < 70 {
				luma[y*size.X+x] = hi
			}
		}
	}
	if w, c := measureBand(luma, size); math.Abs(w-40) > 1e-9 || math.Abs(c-50) > 1e-9 {
		t.Errorf("a 40-pixel band in the middle measures %g wide, centred at %g", w, c)
	}
	// Half a pixel more on each side: a pixel more.
	for y := range size.Y {
		luma[y*size.X+29] = (lo + hi) / 2
		luma[y*size.X+70] = (lo + hi) / 2
	}
	if w, c := measureBand(luma, size); math.Abs(w-41) > 0.01 || math.Abs(c-50) > 0.01 {
		t.Errorf("a 40-pixel band half a pixel wider on each side measures %g, centred at %g", w, c)
	}
}
