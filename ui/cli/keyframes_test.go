package cli

import (
	"image/color"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestKeyframeIntervalFlag: --keyframe-interval reaches the settings, and
// a value that does not parse or is out of range is bad input naming it.
func TestKeyframeIntervalFlag(t *testing.T) {
	f, err := parseRenderFlags([]string{"a.png", "--keyframe-interval", "1m30s"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.settings([]string{"a.png"})
	if err != nil || s.KeyframeInterval != 90*time.Second {
		t.Fatalf("KeyframeInterval %v, %v; want 1m30s", s.KeyframeInterval, err)
	}
	dir := t.TempDir()
	img := filepath.Join(dir, "a.png")
	writePNG(t, img, 16, 16, color.White)
	out := filepath.Join(dir, "out.mp4")
	for _, tc := range []struct{ value, want string }{
		{"soon", `stillcast: --keyframe-interval: "soon" is not a duration`},
		{"500ms", "stillcast: --keyframe-interval: must be between 1s and 10m0s, not 500ms"},
		{"11m", "stillcast: --keyframe-interval: must be between 1s and 10m0s, not 11m0s"},
	} {
		code, stdout, stderr := run(t, "render", img, "-o", out, "--keyframe-interval", tc.value)
		wantUsageLine(t, code, stdout, stderr, tc.want)
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: a video was written", tc.value)
		}
	}
}
