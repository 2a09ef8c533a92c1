package cli

import (
	"image/color"
	"os"
	"path/filepath"
	"testing"
)

func TestBoundsExitTwoWithOneLine(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "a.png")
	writePNG(t, img, 16, 16, color.White)
	huge := filepath.Join(dir, "huge.png")
	if err := os.WriteFile(huge, hugePNG(), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.mp4")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"a slide shorter than a frame", []string{"render", img, img, "--image-duration", "5s,10ms", "-o", out},
			"stillcast: --image-duration: a.png: 10ms is shorter than one frame at 25 fps"},
		{"an even share shorter than a frame", []string{"render", img, img, img, "--duration", "100ms", "-o", out},
			"stillcast: --image-duration: 3 images share 100ms, 33.333333ms each, which is shorter than one frame at 25 fps: make the video longer or use fewer images"},
		{"a huge second slide", []string{"render", img, huge, "-o", out},
			"stillcast: IMAGE: image 2 (huge.png): 100000x100000 is 10000 megapixels; the limit is 100 megapixels"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tc.args...)
			wantUsageLine(t, code, stdout, stderr, tc.want)
			if _, err := os.Stat(out); err == nil {
				t.Error("a video was written")
			}
		})
	}
}
