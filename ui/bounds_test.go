package ui

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/stillcast/stillcast/encoder"
)

// The encoder's hard bounds show in the window as field errors at the
// field they concern, and Render stays disabled while one holds.

// boundCases are the bounds, each put past its limit in a window with
// three images, with the field that must say so and what it says in
// English (unchecked in another language).
func boundCases() []struct {
	name, field, says string
	edit              func(t *testing.T, h *harness)
} {
	return []struct {
		name, field, says string
		edit              func(t *testing.T, h *harness)
	}{
		{"a slide shorter than a frame", "image-duration", "b.png: 10ms is shorter than one frame at 25 fps: make it at least 40ms",
			func(t *testing.T, h *harness) { h.setText(h.form.slides.items[1].duration, "10ms") }},
		{"too many images", "image", "Adding 10001 images would make 10004, more than the 10000 a video takes: none of them was added",
			func(t *testing.T, h *harness) { h.openImages(false, manyPaths(h.dir, encoder.MaxImages+1)...) }},
		{"too many audio files", "audio", "5001 audio files; the limit is 5000",
			func(t *testing.T, h *harness) {
				h.setAudio([]string{emptyAudioFolder(t, encoder.MaxAudioFiles+1)})
				h.waitAudio(t)
			}},
		{"an image over the pixel cap", "image", "huge.png: 12000x9000 is 108 megapixels; the limit is 100 megapixels",
			func(t *testing.T, h *harness) {
				h.openImages(false, hugePNG(t, h.dir))
				h.waitImages(t)
			}},
	}
}

func TestBoundsAreFieldErrors(t *testing.T) {
	for _, c := range boundCases() {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			threeImages(t, h)
			if !h.valid || h.renderButton.Disabled() {
				t.Fatalf("three images are not ready to render: %v", h.form.reason("image"))
			}
			c.edit(t, h)
			if got := h.form.reason(c.field); got != c.says {
				t.Errorf("under %s: %q, want %q", c.field, got, c.says)
			}
			if h.valid || !h.renderButton.Disabled() {
				t.Error("Render is enabled")
			}
		})
	}
}

// TestBoundsMarkTheirRow: a slide too short marks its own duration, and
// an image over the cap says why in its row; the others stay clean.
func TestBoundsMarkTheirRow(t *testing.T) {
	h := newHarness(t)
	threeImages(t, h)
	items := h.form.slides.items
	h.setText(items[1].duration, "10ms")
	if items[1].durationErr == nil || items[0].durationErr != nil || items[2].durationErr != nil {
		t.Errorf("marked: %v, %v, %v; want the second only", items[0].durationErr, items[1].durationErr, items[2].durationErr)
	}
	h.setText(items[1].duration, "40ms") // one frame at 25 fps
	if items[1].durationErr != nil || h.form.reason("image-duration") != "" {
		t.Errorf("one frame is still marked: %v", items[1].durationErr)
	}
	h.setText(h.form.fps, "20") // and now it is shorter than a frame again
	if items[1].durationErr == nil || !strings.Contains(h.form.reason("image-duration"), "at 20 fps: make it at least 50ms") {
		t.Errorf("at 20 fps: %v, %q", items[1].durationErr, h.form.reason("image-duration"))
	}

	h.openImages(false, hugePNG(t, h.dir))
	h.waitImages(t)
	huge := h.form.slides.items[3]
	if got := huge.info.Text; got != "12000x9000 is 108 megapixels; the limit is 100 megapixels" {
		t.Errorf("the huge image's row says %q", got)
	}
}

// TestTooManyImagesReadsNone: the count is checked before any image is
// read or listed (the paths do not even exist), the sample stays, and the
// next change to the list clears the reason.
func TestTooManyImagesReadsNone(t *testing.T) {
	h := newHarness(t)
	h.open(nil)
	h.q.until(t, "the sample is previewed", func() bool { return h.picture != nil && h.previewSettled() })
	h.openImages(false, manyPaths(h.dir, encoder.MaxImages+1)...)
	if n := len(h.form.slides.items); n != 1 || h.form.slides.items[0].path != h.samplePath {
		t.Fatalf("the list has %d images", n)
	}
	if got := h.form.reason("image"); !strings.Contains(got, "none of them was added") || !h.renderButton.Disabled() {
		t.Errorf("reason %q, Render disabled %v", got, h.renderButton.Disabled())
	}
	h.openImage(t, writePNG(t, filepath.Join(h.dir, "a.png"), 8, 6, color.White))
	if got := h.form.reason("image"); got != "" || !h.valid {
		t.Errorf("after adding one image: reason %q, valid %v", got, h.valid)
	}
}

// TestChineseBounds: each bound's reason is in Chinese in a Chinese window.
func TestChineseBounds(t *testing.T) {
	if !runInLocale(t, "TestChineseBounds", "LANG=zh_CN.UTF-8") {
		return
	}
	a := test.NewTempApp(t)
	LoadTranslations(a.Preferences())
	for _, c := range boundCases() {
		h := newHarnessFor(t, a)
		threeImages(t, h)
		c.edit(t, h)
		reason := h.form.reason(c.field)
		if reason == "" {
			t.Fatalf("%s: nothing under %s", c.name, c.field)
		}
		checkChinese(t, c.name, []string{reason, fieldName(c.field)})
	}
}

// manyPaths are n image paths in dir that do not exist.
func manyPaths(dir string, n int) []string {
	paths := make([]string, n)
	for i := range paths {
		paths[i] = filepath.Join(dir, fmt.Sprintf("missing-%05d.png", i))
	}
	return paths
}

// emptyAudioFolder is a folder of n empty .mp3 files: the count is
// checked before any is read.
func emptyAudioFolder(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%05d.mp3", i)), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// hugePNG writes huge.png, the header of a PNG that claims 12000×9000
// pixels (108 megapixels) and nothing else: the cap is checked on the
// header, before a pixel is decoded.
func hugePNG(t *testing.T, dir string) string {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 12000)
	binary.BigEndian.PutUint32(ihdr[4:], 9000)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk := append([]byte("IHDR"), ihdr...)
	_ = binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.Write(chunk)
	_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	path := filepath.Join(dir, "huge.png")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
