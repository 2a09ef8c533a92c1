package ui

import (
	"image"
	"image/color"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stillcast/stillcast/encoder"
)

// writeHalves writes a w×h PNG, red on the left half and green on the right.
func writeHalves(t *testing.T, path string, w, h int) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{R: 255, A: 255}
			if x >= w/2 {
				c = color.NRGBA{G: 255, A: 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return savePNG(t, path, img)
}

type colourName string

const (
	red   colourName = "red"
	green colourName = "green"
	blue  colourName = "blue"
)

// nameOf says which of the test's three colours c is closest to.
func nameOf(c color.RGBA) colourName {
	switch {
	case c.B > 200 && c.R < 60 && c.G < 60:
		return blue
	case c.R > 200 && c.G < 60:
		return red
	case c.G > 200 && c.R < 60:
		return green
	}
	return "other"
}

func namedSizeFor(name string) encoder.Size {
	for _, z := range encoder.NamedSizes() {
		if z.Name == name {
			return z
		}
	}
	panic("no size " + name)
}

func TestPreviewGeometry(t *testing.T) {
	type probe struct {
		x, y int
		want colourName
	}
	cases := []struct {
		name   string
		size   string // a size option, or WxH for Custom
		fit    string
		frame  image.Point // the preview's pixels
		canvas string      // the caption's size
		probes []probe
	}{
		{
			// A 2:1 image on a square: bars above and below.
			name: "letterbox", size: "100x100", fit: "Letterbox",
			frame: image.Pt(100, 100), canvas: "100 × 100",
			probes: []probe{{50, 10, blue}, {50, 90, blue}, {25, 50, red}, {75, 50, green}, {5, 30, red}, {95, 70, green}},
		},
		{
			// The middle square of the image fills the canvas: half red, half green, no bars.
			name: "crop", size: "100x100", fit: "Crop",
			frame: image.Pt(100, 100), canvas: "100 × 100",
			probes: []probe{{2, 2, red}, {2, 97, red}, {97, 2, green}, {97, 97, green}, {40, 50, red}, {60, 50, green}},
		},
		{
			// The image squashed to the square: no bars, halves kept.
			name: "stretch", size: "100x100", fit: "Stretch",
			frame: image.Pt(100, 100), canvas: "100 × 100",
			probes: []probe{{2, 2, red}, {97, 97, green}},
		},
		{
			// 1080p is previewed at 1600×900; a square image gets bars left and right.
			name: "letterbox scaled", size: sizeLabel(namedSizeFor("1080p")), fit: "Letterbox",
			frame: image.Pt(1600, 900), canvas: "1920 × 1080",
			probes: []probe{{100, 450, blue}, {1500, 450, blue}, {500, 450, red}, {1100, 450, green}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			w, hgt := 200, 100
			if c.name == "letterbox scaled" {
				w, hgt = 100, 100
			}
			h.openImage(t, writeHalves(t, filepath.Join(h.dir, "halves.png"), w, hgt))
			h.form.onBackgroundPicked(color.NRGBA{B: 255, A: 255})
			if wh := strings.Split(c.size, "x"); len(wh) == 2 {
				h.form.size.SetSelected(sizeCustom)
				h.setText(h.form.customW, wh[0])
				h.setText(h.form.customH, wh[1])
			} else {
				h.form.size.SetSelected(c.size)
			}
			h.form.fit.SetSelected(c.fit)
			h.q.until(t, "the preview is composed", h.previewSettled)

			frame := h.preview.frame.Image.(*image.RGBA)
			if got := frame.Bounds().Size(); got != c.frame {
				t.Fatalf("preview is %v, want %v", got, c.frame)
			}
			for _, p := range c.probes {
				if got := nameOf(frame.RGBAAt(p.x, p.y)); got != p.want {
					t.Errorf("pixel (%d,%d) is %s (%v), want %s", p.x, p.y, got, frame.RGBAAt(p.x, p.y), p.want)
				}
			}
			if !strings.HasPrefix(h.preview.caption.Text, c.canvas) {
				t.Errorf("caption %q, want it to start with %q", h.preview.caption.Text, c.canvas)
			}
		})
	}
}

func TestPreviewEmptyState(t *testing.T) {
	h := newHarness(t)
	if !h.preview.empty.Visible() || h.preview.frame.Visible() {
		t.Error("an empty window does not show the empty state")
	}
	if text := h.preview.emptyLabel.Text; text != "Drop an image here, or choose one…" {
		t.Errorf("empty state says %q", text)
	}
	h.openImage(t, writeHalves(t, filepath.Join(h.dir, "a.png"), 20, 10))
	if h.preview.empty.Visible() || !h.preview.frame.Visible() {
		t.Error("the empty state stays after an image loaded")
	}
}
