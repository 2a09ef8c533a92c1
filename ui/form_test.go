package ui

import (
	"image/color"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/stillcast/stillcast/encoder"
)

func TestFormMapsToSettings(t *testing.T) {
	h := newHarness(t)
	img := writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White)
	h.openImage(t, img)
	out := filepath.Join(h.dir, "out.mkv")

	f := h.form
	f.size.SetSelected(sizeCustom)
	h.setText(f.customW, "640")
	h.setText(f.customH, "360")
	f.fit.SetSelected("Crop")
	f.onBackgroundPicked(color.NRGBA{R: 0x12, G: 0x34, B: 0x56, A: 0xff})
	h.setText(f.duration, "1m30s")
	h.setText(f.fps, "30")
	f.preset.SetSelected(presetLabels()["slow"])
	f.crf.SetValue(28)
	h.setText(f.output, out)

	s, err := h.validate()
	if err != nil {
		t.Fatalf("validate: %v", err)
	}
	want := encoder.Settings{
		Images: encoder.SlidesOf(img), Output: out,
		Size: encoder.Size{W: 640, H: 360}, Fit: encoder.FitCrop,
		Background: color.RGBA{R: 0x12, G: 0x34, B: 0x56, A: 0xff},
		FPS:        30, Duration: 90 * time.Second,
		Preset: "slow", CRF: 28, Crossfade: time.Second,
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("settings\n got %+v\nwant %+v", s, want)
	}
	if h.renderButton.Disabled() {
		t.Error("Render is disabled for valid settings")
	}
}

func TestFormDurationsAndSizes(t *testing.T) {
	h := newHarness(t)
	h.openImage(t, writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White))
	for text, want := range map[string]time.Duration{
		"90s": 90 * time.Second, "1m30s": 90 * time.Second, "1:30:00": 90 * time.Minute, "2.5": 2500 * time.Millisecond,
	} {
		h.setText(h.form.duration, text)
		if s, err := h.form.settings(); err != nil || s.Duration != want {
			t.Errorf("duration %q: got %v, %v; want %v", text, s.Duration, err, want)
		}
	}
	for _, z := range encoder.NamedSizes() {
		h.form.size.SetSelected(sizeLabel(z))
		if s, err := h.form.settings(); err != nil || s.Size != z {
			t.Errorf("size %q: got %v, %v; want %v", sizeLabel(z), s.Size, err, z)
		}
	}
	h.form.size.SetSelected(sizeCustom)
	if !h.form.custom.Visible() {
		t.Error("Custom does not show the width and height entries")
	}
}

func TestFormShowsEachInvalidField(t *testing.T) {
	cases := []struct {
		name, field, reason string
		edit                func(t *testing.T, h *harness)
	}{
		{"duration not a duration", "duration", "is not a duration", func(t *testing.T, h *harness) { h.setText(h.form.duration, "soon") }},
		{"duration zero", "duration", "longer than zero", func(t *testing.T, h *harness) { h.setText(h.form.duration, "0s") }},
		{"duration too long", "duration", "at most 24h", func(t *testing.T, h *harness) { h.setText(h.form.duration, "25h") }},
		{"fps not a number", "fps", "whole number", func(t *testing.T, h *harness) { h.setText(h.form.fps, "fast") }},
		{"fps too high", "fps", "between 1 and 120", func(t *testing.T, h *harness) { h.setText(h.form.fps, "500") }},
		{"size not numbers", "size", "width and height in pixels", func(t *testing.T, h *harness) {
			h.form.size.SetSelected(sizeCustom)
			h.setText(h.form.customW, "wide")
		}},
		{"size too small", "size", "too small", func(t *testing.T, h *harness) {
			h.form.size.SetSelected(sizeCustom)
			h.setText(h.form.customW, "1")
		}},
		{"no output", "out", "no output file chosen", func(t *testing.T, h *harness) { h.setText(h.form.output, "") }},
		{"output type", "out", "not a supported output type", func(t *testing.T, h *harness) { h.setText(h.form.output, filepath.Join(h.dir, "x.avi")) }},
		{"image missing", "image", "gone.png: no such file", func(t *testing.T, h *harness) {
			h.openImages(false, filepath.Join(h.dir, "gone.png"))
			h.waitImages(t)
		}},
		{"no image", "image", "no image chosen", func(t *testing.T, h *harness) { test.Tap(h.form.slides.items[0].remove) }},
		{"live without key", "key", "stream key", func(t *testing.T, h *harness) { h.form.outputMode.SetSelected(outputLive) }},
		{"live bad server", "url", "rtmp://", func(t *testing.T, h *harness) {
			h.form.outputMode.SetSelected(outputLive)
			h.live.service.SetSelected("Custom RTMP")
			h.setText(&h.live.server.Entry, "http://example.com/live")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			h.openImage(t, writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White))
			if h.renderButton.Disabled() {
				t.Fatalf("Render is disabled before the edit: %v", h.form.errs)
			}
			c.edit(t, h)
			if got := h.form.reason(c.field); !strings.Contains(strings.ToLower(got), strings.ToLower(c.reason)) {
				t.Errorf("reason under %s = %q, want it to contain %q", c.field, got, c.reason)
			}
			if !h.renderButton.Disabled() {
				t.Error("Render stays enabled with an invalid field")
			}
		})
	}
}

func TestFormImageThatDoesNotDecode(t *testing.T) {
	h := newHarness(t)
	good := writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White)
	h.openImage(t, good)
	bad := filepath.Join(h.dir, "notes.png")
	if err := os.WriteFile(bad, []byte("not a picture"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.openImages(false, bad)
	h.waitImages(t)
	if got := h.form.reason("image"); !strings.Contains(got, "notes.png") || !strings.Contains(got, "not a supported image") {
		t.Errorf("reason under image = %q", got)
	}
	if !h.renderButton.Disabled() {
		t.Error("Render stays enabled for an image that does not load")
	}
	if h.picture.path != good {
		t.Errorf("the preview lost the good image: %s", h.picture.path)
	}
}
