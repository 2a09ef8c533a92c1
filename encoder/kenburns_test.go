package encoder

import (
	"image"
	"image/color"
	"math"
	"path/filepath"
	"testing"
	"time"
)

func TestZoomAt(t *testing.T) {
	for _, c := range []struct {
		span int
		p, z float64
	}{
		{0, 0, 1}, {0, 1, kenBurnsZoom}, {0, 0.5, 1 + (kenBurnsZoom-1)/2}, {0, -1, 1}, {0, 2, kenBurnsZoom},
		{1, 0, kenBurnsZoom}, {1, 1, 1}, {2, 1, kenBurnsZoom},
	} {
		if z := zoomAt(c.span, c.p); math.Abs(z-c.z) > 1e-9 {
			t.Errorf("zoomAt(%d, %g) = %g, want %g", c.span, c.p, z, c.z)
		}
	}
	// Zoom 1 shows the whole enlarged canvas; full zoom a window of it at
	// one to one; both centred.
	out := canvasDims{W: 1920, H: 1080}
	big := bigCanvas(out)
	at := func(a [6]float64, x, y float64) (float64, float64) {
		return a[0]*x + a[1]*y + a[2], a[3]*x + a[4]*y + a[5]
	}
	whole := zoomTransform(big, out, 1)
	if x, y := at(whole, 0, 0); math.Abs(x) > 1e-6 || math.Abs(y) > 0.6 {
		t.Errorf("zoom 1 puts the corner at %g,%g", x, y)
	}
	if x, _ := at(whole, float64(big.X), float64(big.Y)); math.Abs(x-1920) > 1e-6 {
		t.Errorf("zoom 1 puts the far corner at x %g", x)
	}
	full := zoomTransform(big, out, float64(big.X)/1920)
	if full[0] != 1 {
		t.Errorf("full zoom scales by %g, want 1", full[0])
	}
	if x, y := at(full, float64(big.X)/2, float64(big.Y)/2); math.Abs(x-960) > 1e-6 || math.Abs(y-540) > 1e-6 {
		t.Errorf("the centre goes to %g,%g", x, y)
	}
}

// TestKenBurnsZooms renders two slides of a white square on black with the
// Ken Burns effect: the first grows as it zooms in, the second shrinks as
// it zooms out, and every frame is there.
func TestKenBurnsZooms(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	square := image.NewRGBA(image.Rect(0, 0, 320, 180))
	for y := range 180 {
		for x := range 320 {
			c := color.RGBA{A: 255}
			if x >= 120 && x < 200 && y >= 50 && y < 130 {
				c = color.RGBA{255, 255, 255, 255}
			}
			square.Set(x, y, c)
		}
	}
	s := testSettings("", filepath.Join(dir, "kb.mp4"))
	s.Images = SlidesOf(writePNG(t, dir, "a.png", square), writePNG(t, dir, "b.png", square))
	s.Duration, s.Crossfade, s.KenBurns, s.Preset = 4*time.Second, 0, true, "veryfast"
	evs := renderOK(t, s)
	if sawPhase(evs, PhaseAssemble) {
		t.Error("moving slides went by the still path")
	}
	if st := ffprobeJSON(t, s.Output, true).video(t); st.NbReadFrames != "100" {
		t.Errorf("%s frames, want 100", st.NbReadFrames)
	}
	white := func(frame int) float64 {
		img := decodeFrame(t, s.Output, frame)
		n := 0
		for i := 0; i < len(img.Pix); i += 4 {
			if img.Pix[i] > 128 {
				n++
			}
		}
		return float64(n)
	}
	// Zoom 1 shows the square at 1/1.08 of its size, full zoom at 1:1.
	grow, shrink := white(49)/white(0), white(99)/white(50)
	want := kenBurnsZoom * kenBurnsZoom
	t.Logf("white area grows %.3f× on the first slide, %.3f× on the second", grow, shrink)
	if math.Abs(grow-want) > 0.05 || math.Abs(shrink-1/want) > 0.05 {
		t.Errorf("area ratios %.3f and %.3f, want %.3f and %.3f", grow, shrink, want, 1/want)
	}
	// In between, the square grows steadily: no jumps.
	prev := white(0)
	for f := 5; f < 50; f += 5 {
		w := white(f)
		if w < prev || w-prev > prev*0.04 {
			t.Errorf("white area %0.f at frame %d after %0.f: not a steady zoom", w, f, prev)
		}
		prev = w
	}
}
