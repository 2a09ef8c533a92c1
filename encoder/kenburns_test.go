package encoder

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/picture"
)

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
	// x264 writes its settings into the stream: superfast's analysis
	// (subme 1), the macroblock tree kept, no still tune (its psy-rd is 2).
	data, err := os.ReadFile(s.Output)
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []string{"subme=1", "mbtree=1", "rc_lookahead=10", "psy_rd=1.00:0.00"} {
		if !bytes.Contains(data, []byte(" "+opt+" ")) { // options are separated by spaces
			t.Errorf("the stream was not encoded with %s", opt)
		}
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
	want := picture.KenBurnsZoom * picture.KenBurnsZoom
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
