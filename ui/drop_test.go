package ui

import (
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"

	"github.com/stillcast/stillcast/encoder"
)

func fileURIs(paths ...string) []fyne.URI {
	out := make([]fyne.URI, len(paths))
	for i, p := range paths {
		out[i] = storage.NewFileURI(p)
	}
	return out
}

func TestDropImage(t *testing.T) {
	h := newHarness(t)
	h.openImage(t, writePNG(t, filepath.Join(h.dir, "first.png"), 40, 30, color.White))
	second := writePNG(t, filepath.Join(h.dir, "second.png"), 30, 40, color.Black)

	h.onDropped(fyne.NewPos(10, 10), fileURIs(second))
	h.waitPreview(t, second)
	if h.form.image.Text != second {
		t.Errorf("image field = %q, want %q", h.form.image.Text, second)
	}
	if want := filepath.Join(filepath.Dir(h.form.output.Text), "second.mp4"); h.form.output.Text != want {
		t.Errorf("output = %q, want it named after the image: %q", h.form.output.Text, want)
	}
}

func TestDropNonImageChangesNothing(t *testing.T) {
	h := newHarness(t)
	img := writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White)
	h.openImage(t, img)
	text := filepath.Join(h.dir, "notes.txt")
	if err := os.WriteFile(text, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}

	h.onDropped(fyne.NewPos(0, 0), fileURIs(text))
	h.q.until(t, "the load fails", func() bool { return h.loads.failedPath == text })
	if !strings.Contains(h.preview.notice.Text, "not a supported image") {
		t.Errorf("notice = %q", h.preview.notice.Text)
	}
	if h.picture.path != img || h.form.image.Text != img {
		t.Errorf("the drop changed the image to %q / %q", h.picture.path, h.form.image.Text)
	}
	if h.renderButton.Disabled() {
		t.Error("a refused drop disabled Render")
	}
}

func TestDropSeveralFilesLoadsTheFirstImage(t *testing.T) {
	h := newHarness(t)
	h.openImage(t, writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White))
	text := filepath.Join(h.dir, "a.txt")
	if err := os.WriteFile(text, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := writePNG(t, filepath.Join(h.dir, "b.png"), 20, 20, color.Black)
	c := writePNG(t, filepath.Join(h.dir, "c.png"), 20, 20, color.White)

	h.onDropped(fyne.NewPos(0, 0), fileURIs(text, b, c))
	h.waitPreview(t, b)
	if n := h.preview.notice.Text; !strings.Contains(n, "b.png") || !strings.Contains(n, "2 other") {
		t.Errorf("notice = %q, want it to name b.png and the 2 others", n)
	}

	h.onDropped(fyne.NewPos(0, 0), fileURIs(text, text))
	if n := h.preview.notice.Text; !strings.Contains(n, "None of the 2") {
		t.Errorf("notice for two non-images = %q", n)
	}
	if h.picture.path != b {
		t.Errorf("image changed to %s", h.picture.path)
	}
}

func TestDropDuringJobIsRefused(t *testing.T) {
	h := newHarness(t)
	img := writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White)
	h.openImage(t, img)
	h.progress.begin(filepath.Join(h.dir, "out.mp4"))
	h.apply(encoder.Started{Output: filepath.Join(h.dir, "out.mp4"), Width: 40, Height: 30, FPS: 25, TotalFrames: 250})

	other := writePNG(t, filepath.Join(h.dir, "other.png"), 20, 20, color.Black)
	h.onDropped(fyne.NewPos(0, 0), fileURIs(other))
	if !strings.Contains(h.preview.notice.Text, "being rendered") {
		t.Errorf("notice = %q", h.preview.notice.Text)
	}
	if h.loads.pending != "" || h.picture.path != img {
		t.Error("a drop during a job started loading")
	}
}
