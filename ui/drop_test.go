package ui

import (
	"image/color"
	"os"
	"path/filepath"
	"reflect"
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

func TestDropImageReplacesTheSample(t *testing.T) {
	h := newHarness(t)
	h.open(nil)
	h.waitImages(t)
	second := writePNG(t, filepath.Join(h.dir, "second.png"), 30, 40, color.Black)

	h.onDropped(fyne.NewPos(10, 10), fileURIs(second))
	h.waitPreview(t, second)
	if got := h.form.slides.paths(); !reflect.DeepEqual(got, []string{second}) {
		t.Errorf("images = %q, want the sample replaced by %q", got, second)
	}
	if want := filepath.Join(filepath.Dir(h.form.output.Text), "second.mp4"); h.form.output.Text != want {
		t.Errorf("output = %q, want it named after the image: %q", h.form.output.Text, want)
	}
}

func TestDropImagesAppend(t *testing.T) {
	h := newHarness(t)
	first := writePNG(t, filepath.Join(h.dir, "first.png"), 40, 30, color.White)
	h.openImage(t, first)
	second := writePNG(t, filepath.Join(h.dir, "second.png"), 30, 40, color.Black)
	third := writePNG(t, filepath.Join(h.dir, "third.png"), 30, 40, color.Black)

	h.onDropped(fyne.NewPos(10, 10), fileURIs(second, third))
	h.waitImages(t)
	if got, want := h.form.slides.paths(), []string{first, second, third}; !reflect.DeepEqual(got, want) {
		t.Errorf("images = %q, want %q", got, want)
	}
	h.waitPreview(t, second) // the first image added
	if filepath.Base(h.form.output.Text) != "first.mp4" {
		t.Errorf("the output is %s; want it named after the first image", h.form.output.Text)
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
	h.waitImages(t)
	if !strings.Contains(h.preview.notice.Text, "not a supported image") {
		t.Errorf("notice = %q", h.preview.notice.Text)
	}
	if got := h.form.slides.paths(); h.picture.path != img || !reflect.DeepEqual(got, []string{img}) {
		t.Errorf("the drop changed the images to %q, the preview to %q", got, h.picture.path)
	}
	if h.renderButton.Disabled() {
		t.Error("a refused drop disabled Render")
	}
}

func TestDropSeveralFilesLeavesOutOthers(t *testing.T) {
	h := newHarness(t)
	photo := writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White)
	h.openImage(t, photo)
	text := filepath.Join(h.dir, "a.txt")
	if err := os.WriteFile(text, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := writePNG(t, filepath.Join(h.dir, "b.png"), 20, 20, color.Black)
	c := writePNG(t, filepath.Join(h.dir, "c.png"), 20, 20, color.White)

	h.onDropped(fyne.NewPos(0, 0), fileURIs(text, b, c))
	h.waitImages(t)
	if got, want := h.form.slides.paths(), []string{photo, b, c}; !reflect.DeepEqual(got, want) {
		t.Errorf("images = %q, want %q", got, want)
	}
	if n := h.preview.notice.Text; !strings.Contains(n, "1 dropped file") {
		t.Errorf("notice = %q, want it to count the file left out", n)
	}

	h.onDropped(fyne.NewPos(0, 0), fileURIs(text, text))
	if n := h.preview.notice.Text; !strings.Contains(n, "None of the 2") {
		t.Errorf("notice for two non-images = %q", n)
	}
	if got := h.form.slides.paths(); len(got) != 3 {
		t.Errorf("images changed to %q", got)
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
	if got := h.form.slides.paths(); h.loads.pending != "" || h.picture.path != img || len(got) != 1 {
		t.Errorf("a drop during a job changed the images to %q", got)
	}
}
