package ui

import (
	"image"
	"image/color"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreviewBlurredFill: choosing "Blurred fill" for a square image at
// 1080p turns the preview's blue bars into the image's own edges, red on
// the left and green on the right, darkened; the image in the middle
// stays as it was.
func TestPreviewBlurredFill(t *testing.T) {
	h := newHarness(t)
	h.openImage(t, writeHalves(t, filepath.Join(h.dir, "square.png"), 100, 100))
	h.form.onBackgroundPicked(color.NRGBA{B: 255, A: 255})
	h.form.size.SetSelected(sizeLabel(namedSizeFor("1080p")))
	h.form.fit.SetSelected("Letterbox")
	h.q.until(t, "the letterboxed preview", h.previewSettled)
	if got := nameOf(h.preview.frame.Image.(*image.RGBA).RGBAAt(100, 450)); got != blue {
		t.Fatalf("letterbox bar is %s, want blue", got)
	}

	h.form.fit.SetSelected("Blurred fill")
	h.q.until(t, "the blurred preview", h.previewSettled)
	frame := h.preview.frame.Image.(*image.RGBA)
	darkRed, darkGreen := color.RGBA{R: 153, A: 255}, color.RGBA{G: 153, A: 255}
	for _, p := range []struct {
		x, y int
		want color.RGBA
	}{{100, 450, darkRed}, {100, 50, darkRed}, {1500, 450, darkGreen}, {1500, 850, darkGreen}} {
		got := frame.RGBAAt(p.x, p.y)
		if absDiff(got.R, p.want.R) > 16 || absDiff(got.G, p.want.G) > 16 || absDiff(got.B, p.want.B) > 16 {
			t.Errorf("bar pixel (%d,%d) is %v, want the image's edge darkened, %v", p.x, p.y, got, p.want)
		}
	}
	for _, p := range []struct {
		x, y int
		want colourName
	}{{500, 450, red}, {1100, 450, green}} {
		if got := nameOf(frame.RGBAAt(p.x, p.y)); got != p.want {
			t.Errorf("image pixel (%d,%d) is %s, want %s", p.x, p.y, got, p.want)
		}
	}
	if !strings.Contains(h.preview.caption.Text, "Blurred fill") {
		t.Errorf("caption %q does not name the fit", h.preview.caption.Text)
	}
}

func absDiff(a, b uint8) int { return max(int(a), int(b)) - min(int(a), int(b)) }
