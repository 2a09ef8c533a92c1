package encoder

import (
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestUserGOPArgs: where every frame is encoded, the user's interval is
// x264's longest group of pictures; automatic leaves x264's own, and a
// segment keeps its exact one.
func TestUserGOPArgs(t *testing.T) {
	t.Parallel()
	s := DefaultSettings()
	s.FPS = 30
	if got := userGOP(s); got != 0 {
		t.Errorf("automatic: userGOP %d, want 0", got)
	}
	s.KeyframeInterval = 2 * time.Second
	if got := userGOP(s); got != 60 {
		t.Errorf("2 s at 30 fps: userGOP %d, want 60", got)
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
// there, as ffprobe reads the file's keyframes.
func TestKeyframeIntervalWhereEveryFrameIsEncoded(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	red := writePNG(t, dir, "red.png", solidImage(160, 90, tRed))
	blue := writePNG(t, dir, "blue.png", solidImage(160, 90, tBlue))
	for _, c := range []struct {
		name   string
		slides []Slide
		zoom   bool
	}{
		{"slow zoom", SlidesOf(red, blue), true},
		{"1 s slides", []Slide{{Image: red, Duration: time.Second}, {Image: blue, Duration: time.Second},
			{Image: red, Duration: time.Second}, {Image: blue, Duration: time.Second},
			{Image: red, Duration: time.Second}, {Image: blue, Duration: time.Second}}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := testSettings("", filepath.Join(dir, c.name+".mp4"))
			s.Images, s.KenBurns, s.Crossfade = c.slides, c.zoom, 0
			s.Duration, s.KeyframeInterval = 6*time.Second, 2*time.Second
			if !c.zoom {
				s.Duration = 0 // the slides' own
			}
			renderOK(t, s)
			var keys []float64
			for _, p := range fpPackets(t, s.Output) {
				if p.Key {
					keys = append(keys, p.PTS)
				}
			}
			slices.Sort(keys)
			if len(keys) < 3 || keys[0] != 0 {
				t.Fatalf("keyframes at %v s, want one at 0 and at most 2 s apart", keys)
			}
			for i := 1; i < len(keys); i++ {
				if keys[i]-keys[i-1] > 2.001 {
					t.Errorf("keyframes %.2f s apart at %.2f s (all: %v)", keys[i]-keys[i-1], keys[i], keys)
				}
			}
			if last := keys[len(keys)-1]; 6-last > 2.001 {
				t.Errorf("the last keyframe at %.2f s of 6 s (all: %v)", last, keys)
			}
		})
	}
}
