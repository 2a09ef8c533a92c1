package encoder

import (
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestMaxGOPArgs: where every frame is encoded, the user's interval is
// x264's longest group of pictures; automatic leaves x264's own unless
// it is over 10 s, and a segment keeps its exact one.
func TestMaxGOPArgs(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		fps      int
		interval time.Duration
		want     int
	}{
		{30, 0, 0}, {25, 0, 0}, {50, 0, 0}, // x264's 250 frames: 10 s or less
		{10, 0, 100}, {24, 0, 240}, // 250 frames would be over 10 s
		{30, 2 * time.Second, 60}, {10, time.Minute, 600}, {50, 10 * time.Second, 500},
	} {
		s := DefaultSettings()
		s.FPS, s.KeyframeInterval = c.fps, c.interval
		if got := maxGOP(s); got != c.want {
			t.Errorf("%v at %d fps: maxGOP %d, want %d", c.interval, c.fps, got, c.want)
		}
	}
	// gop is what follows -g, and whether -keyint_min is there too.
	gop := func(p encodePlan) (string, bool) {
		args := ffmpegArgs(p)
		i := slices.Index(args, "-g")
		if i < 0 {
			return "", slices.Contains(args, "-keyint_min")
		}
		return args[i+1], slices.Contains(args, "-keyint_min")
	}
	base := encodePlan{Width: 64, Height: 64, FPS: 30, Preset: "ultrafast", CRF: 20, Container: Container{Ext: ".mp4", Format: "mp4"}, Output: "out.mp4"}
	user, segment := base, base
	user.MaxGOP = 60
	segment.MaxGOP, segment.Segment = 60, 300
	for _, c := range []struct {
		name  string
		p     encodePlan
		g     string
		fixed bool
	}{
		{"automatic", base, "", false},
		{"the user's, a longest gap", user, "60", false},
		{"a segment, exact", segment, "300", true},
	} {
		if g, fixed := gop(c.p); g != c.g || fixed != c.fixed {
			t.Errorf("%s: -g %q, -keyint_min %v; want %q, %v", c.name, g, fixed, c.g, c.fixed)
		}
	}
}

// TestKeyframeIntervalWhereEveryFrameIsEncoded: a slow zoom and slides
// too short to repeat encode every frame; the user's interval still holds
// there, and automatic keeps a keyframe every 10 s at a low frame rate,
// as ffprobe reads the file's keyframes.
func TestKeyframeIntervalWhereEveryFrameIsEncoded(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	red := writePNG(t, dir, "red.png", solidImage(160, 90, tRed))
	blue := writePNG(t, dir, "blue.png", solidImage(160, 90, tBlue))
	var short []Slide
	for range 3 {
		short = append(short, Slide{Image: red, Duration: time.Second}, Slide{Image: blue, Duration: time.Second})
	}
	for _, c := range []struct {
		name     string
		slides   []Slide
		zoom     bool
		fps      int
		duration time.Duration // 0: the slides' own
		interval time.Duration
		gap      float64 // the longest gap allowed, in seconds
	}{
		{"slow zoom", SlidesOf(red, blue), true, 25, 6 * time.Second, 2 * time.Second, 2},
		{"1 s slides", short, false, 25, 0, 2 * time.Second, 2},
		{"slow zoom at 10 fps, automatic", SlidesOf(red, blue), true, 10, 21 * time.Second, 0, 10},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := testSettings("", filepath.Join(dir, c.name+".mp4"))
			s.Images, s.KenBurns, s.Crossfade, s.FPS = c.slides, c.zoom, 0, c.fps
			s.Duration, s.KeyframeInterval = c.duration, c.interval
			renderOK(t, s)
			var keys []float64
			for _, p := range fpPackets(t, s.Output) {
				if p.Key {
					keys = append(keys, p.PTS)
				}
			}
			slices.Sort(keys)
			if len(keys) < 3 || keys[0] != 0 {
				t.Fatalf("keyframes at %v s, want one at 0 and at most %g s apart", keys, c.gap)
			}
			end := 6.0
			if c.duration > 0 {
				end = c.duration.Seconds()
			}
			for i, k := range append(slices.Clone(keys[1:]), end) {
				if k-keys[i] > c.gap+0.001 {
					t.Errorf("keyframes %.2f s apart at %.2f s (all: %v, the end %g s)", k-keys[i], k, keys, end)
				}
			}
		})
	}
}
