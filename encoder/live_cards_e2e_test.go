//go:build linux

package encoder_test

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/encoder/picture"
	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// coverTrack writes seconds of a tone at freq Hz as an mp3 with a title,
// an artist and a solid cover of colour c (an ID3 APIC frame).
func coverTrack(t *testing.T, dir, name string, freq int, seconds float64, title string, c color.RGBA) string {
	t.Helper()
	cover := filepath.Join(t.TempDir(), "cover.png")
	img := image.NewRGBA(image.Rect(0, 0, 300, 300))
	for i := range img.Pix {
		img.Pix[i] = []uint8{c.R, c.G, c.B, 255}[i%4]
	}
	f, err := os.Create(cover)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
	path := filepath.Join(dir, name)
	out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i",
		fmt.Sprintf("sine=frequency=%d:sample_rate=48000:duration=%g", freq, seconds), "-i", cover,
		"-map", "0:a", "-map", "1:v", "-c:a", "libmp3lame", "-b:a", "128k", "-c:v", "png", "-disposition:v", "attached_pic",
		"-id3v2_version", "3", "-metadata", "title="+title, "-metadata", "artist=Tester", "-y", path).CombinedOutput()
	if err != nil {
		t.Fatalf("making %s: %v\n%s", name, err, out)
	}
	return path
}

// recordedFrames decodes a recording's video at w×h in RGB, frame by
// frame, at the stream's 30 fps from its first frame.
func recordedFrames(t *testing.T, path string, w, h int) [][]byte {
	t.Helper()
	raw, err := exec.Command("ffmpeg", "-v", "error", "-i", path, "-vf", fmt.Sprintf("scale=%d:%d", w, h),
		"-f", "rawvideo", "-pix_fmt", "rgb24", "-").Output()
	if err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	var frames [][]byte
	for n := w * h * 3; len(raw) >= n; raw = raw[n:] {
		frames = append(frames, raw[:n])
	}
	return frames
}

// meanIn is the mean colour of a frame of width w in r.
func meanIn(frame []byte, w int, r image.Rectangle) [3]float64 {
	var sum [3]float64
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			for c := range 3 {
				sum[c] += float64(frame[(y*w+x)*3+c])
			}
			n++
		}
	}
	for c := range sum {
		sum[c] /= float64(max(n, 1))
	}
	return sum
}

func near(a [3]float64, c color.RGBA, tol float64) bool {
	return math.Abs(a[0]-float64(c.R)) < tol && math.Abs(a[1]-float64(c.G)) < tol && math.Abs(a[2]-float64(c.B)) < tol
}

// TestLiveTitleCardsAndTrackArt streams a playlist of three tracks, each
// with its own cover art and title, with --title-card and --track-art.
// In the recording, the art on screen changes to the new track's cover
// within 2.1 s of each track change in the sound, the title region
// differs between tracks, and the sound has no gap over 25 ms.
func TestLiveTitleCardsAndTrackArt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	covers := []color.RGBA{{220, 30, 30, 255}, {30, 200, 40, 255}, {40, 60, 230, 255}}
	freqs := []int{440, 660, 990}
	const seconds = 5.0
	for i, name := range []string{"Red Song", "Green Song", "Blue Song"} {
		coverTrack(t, dir, fmt.Sprintf("%d.mp3", i+1), freqs[i], seconds, name, covers[i])
	}
	srv := rtmptest.Start(t, rtmptest.Options{})
	s := liveSettings(t, destination(srv, liveKey))
	s.Audio = []string{dir}
	s.Live.TitleCard, s.Live.TrackArt = true, true
	warm := rtmptest.Start(t, rtmptest.Options{})
	s.Live.Destinations = []encoder.Destination{destination(warm, liveKey)}
	s = warmCache(t, s, 3)
	s.Live.Destinations = []encoder.Destination{destination(srv, liveKey)}
	w := liveStart(t, s)
	w.waitNowPlaying(4, 90*time.Second)
	time.Sleep(3 * time.Second) // the fourth track's art on air too
	if err := w.stop(); err != nil {
		t.Fatalf("Wait after Cancel: %v\n%s", err, w.dump())
	}
	w.checkEnd(false) // all of it from the cache: no ffmpeg runs at all
	if err := srv.WaitRecordingsClosed(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	recs := srv.Recordings("live")
	if len(recs) != 1 {
		t.Fatalf("recordings %v, want one", recs)
	}

	// Where the card puts the art and the title on this canvas.
	fonts, err := picture.SystemFonts()
	if err != nil {
		t.Fatal(err)
	}
	defer fonts.Close()
	layout := picture.DrawCard(image.NewRGBA(image.Rect(0, 0, 640, 360)), picture.Card{Text: "Tester – Red Song", Art: image.NewRGBA(image.Rect(0, 0, 300, 300))}, fonts)
	art := layout.Art.Inset(layout.Art.Dx() / 4)
	title := layout.Box.Intersect(image.Rect(layout.Art.Max.X, 0, 640, 360))
	if art.Empty() || title.Empty() {
		t.Fatalf("card layout %+v has no art or no title beside it", layout)
	}

	// The sound: where each track begins, by its tone, and no gaps.
	const rate = 48000
	audio := encoder.PCMOf(t, recs[0], rate)
	var changes []float64 // seconds
	const win = rate / 100
	var tones []int // the strongest tone of each 10 ms
	for at := 0; at+win <= len(audio); at += win {
		chunk := audio[at : at+win]
		best, strength := -1, 0.0
		for k, f := range freqs {
			if g := goertzel(chunk, float64(f), rate); g > strength {
				best, strength = k, g
			}
		}
		tones = append(tones, best)
	}
	// A track begins where a tone starts that holds for the next 100 ms.
	holds := func(from, tone int) bool {
		for k := from; k < min(len(tones), from+10); k++ {
			if tones[k] != tone {
				return false
			}
		}
		return from+10 <= len(tones)
	}
	cur := -1
	for k := range tones {
		if tones[k] >= 0 && tones[k] != cur && holds(k, tones[k]) {
			if cur >= 0 {
				changes = append(changes, float64(k*win)/rate)
			}
			cur = tones[k]
		}
	}
	quiet, run, quietAt := 0, 0, 0
	for k, v := range audio[:max(0, len(audio)-rate/2)] {
		if math.Abs(v) < 0.01 {
			run++
			if run > quiet {
				quiet, quietAt = run, k-run
			}
			if run == rate*25/1000 {
				t.Errorf("the sound stops for over 25 ms at %.3f s", float64(k-run)/rate)
			}
		} else {
			run = 0
		}
	}
	t.Logf("track changes at %v s; longest quiet run %.1f ms at %.3f s", changes, float64(quiet)*1000/rate, float64(quietAt)/rate)
	if len(changes) < 3 {
		t.Fatalf("%d track changes in the recording's sound, want 3", len(changes))
	}

	// The picture: each change brings its track's cover within 2.1 s.
	frames := recordedFrames(t, recs[0], 640, 360)
	for n, at := range changes[:3] {
		track := (n + 1) % 3
		first := -1
		for f := int(at * 30); f < len(frames) && f <= int((at+2.5)*30); f++ {
			if near(meanIn(frames[f], 640, art), covers[track], 40) {
				first = f
				break
			}
		}
		switch {
		case first < 0:
			t.Errorf("change %d at %.2f s: track %d's cover never shows (art region %v)", n+1, at, track, meanIn(frames[min(len(frames)-1, int((at+2.5)*30))], 640, art))
		case float64(first)/30-at > 2.1:
			t.Errorf("change %d at %.2f s: track %d's cover shows only at %.2f s", n+1, at, track, float64(first)/30)
		default:
			t.Logf("change %d at %.2f s: cover of track %d from %.2f s", n+1, at, track, float64(first)/30)
		}
		if before := int(at*30) - 5; before > 0 && near(meanIn(frames[before], 640, art), covers[track], 40) {
			t.Errorf("change %d: track %d's cover shows before its track (%.2f s)", n+1, track, float64(before)/30)
		}
	}
	// The title region holds other text for each track.
	frameAt := func(track int) []byte {
		for n, at := range changes[:3] {
			if (n+1)%3 == track {
				return frames[min(len(frames)-1, int((at+2.5)*30))]
			}
		}
		return nil
	}
	for a := range 3 {
		for b := a + 1; b < 3; b++ {
			fa, fb := frameAt(a), frameAt(b)
			if fa == nil || fb == nil {
				continue
			}
			if d := meanAbsDiff(fa, fb, 640, title); d < 2 {
				t.Errorf("tracks %d and %d: the title region differs by only %.2f", a, b, d)
			}
		}
	}
}

// meanAbsDiff is the mean absolute difference of two frames in r.
func meanAbsDiff(a, b []byte, w int, r image.Rectangle) float64 {
	var sum float64
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			for c := range 3 {
				i := (y*w+x)*3 + c
				sum += math.Abs(float64(a[i]) - float64(b[i]))
				n++
			}
		}
	}
	return sum / float64(max(n, 1))
}
