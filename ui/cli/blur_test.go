package cli

import (
	"image/color"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stillcast/stillcast/encoder"
)

// TestFitBlur renders a square green picture at 640×360 with --fit blur:
// the bars are the green darkened, neither the magenta background nor
// black, and the middle is the green itself. live takes --fit blur too,
// both commands' help offers it, and a bad fit names the choices.
func TestFitBlur(t *testing.T) {
	dir := t.TempDir()
	img, out := filepath.Join(dir, "square.png"), filepath.Join(dir, "out.mp4")
	green := color.RGBA{40, 200, 60, 255}
	writePNG(t, img, 200, 200, green)
	code, _, stderr := run(t, "render", img, "-o", out, "--size", "640x360", "--fit", "blur",
		"--background", "#ff00ff", "--duration", "0.2s", "--preset", "ultrafast", "--progress", "plain")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	raw, err := exec.Command("ffmpeg", "-v", "error", "-i", out, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-").Output()
	if err != nil || len(raw) != 640*360*3 {
		t.Fatalf("decoding %s: %v (%d bytes)", out, err, len(raw))
	}
	at := func(x, y int) color.RGBA {
		i := (y*640 + x) * 3
		return color.RGBA{raw[i], raw[i+1], raw[i+2], 255}
	}
	dark := color.RGBA{uint8(float64(green.R) * 0.6), uint8(float64(green.G) * 0.6), uint8(float64(green.B) * 0.6), 255}
	for _, p := range []struct {
		what string
		x, y int
		want color.RGBA
	}{{"left bar", 20, 180, dark}, {"right bar", 620, 40, dark}, {"middle", 320, 180, green}} {
		if got := at(p.x, p.y); diff(got.R, p.want.R) > 12 || diff(got.G, p.want.G) > 12 || diff(got.B, p.want.B) > 12 {
			t.Errorf("%s at (%d, %d) is %v, want %v", p.what, p.x, p.y, got, p.want)
		}
	}

	s, err := settingsOf("live", "--url", testURL, "--fit", "BLUR")
	if err != nil || s.Fit != encoder.FitBlur {
		t.Errorf("live --fit BLUR: fit %q, error %v; want blur", s.Fit, err)
	}
	for _, cmd := range []string{"render", "live"} {
		if code, help, _ := run(t, cmd, "--help"); code != ExitOK || !strings.Contains(help, "letterbox | crop | stretch | blur") {
			t.Errorf("%s --help (exit %d) does not offer blur:\n%s", cmd, code, help)
		}
	}
	code, stdout, stderr := run(t, "render", img, "-o", filepath.Join(dir, "bad.mp4"), "--fit", "blurry")
	wantUsageLine(t, code, stdout, stderr, `stillcast: --fit: unknown fit "blurry": use letterbox, crop, stretch or blur`)
}
