package resources

import (
	"bytes"
	"image"
	_ "image/jpeg"
	"image/png"
	"path/filepath"
	"testing"
)

func TestSampleImage(t *testing.T) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(SampleImage()))
	if err != nil {
		t.Fatalf("decode sample: %v", err)
	}
	if format != "jpeg" {
		t.Errorf("sample format = %q, want jpeg", format)
	}
	if cfg.Width != 1920 || cfg.Height != 1080 {
		t.Errorf("sample size = %dx%d, want 1920x1080", cfg.Width, cfg.Height)
	}
	if got := SampleName(); got != "sample.jpg" || filepath.Ext(got) != ".jpg" {
		t.Errorf("SampleName() = %q, want sample.jpg", got)
	}
}

func TestIcon(t *testing.T) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(Icon()))
	if err != nil {
		t.Fatalf("decode icon config: %v", err)
	}
	if format != "png" {
		t.Errorf("icon format = %q, want png", format)
	}
	if cfg.Width != 512 || cfg.Height != 512 {
		t.Errorf("icon size = %dx%d, want 512x512", cfg.Width, cfg.Height)
	}
	img, err := png.Decode(bytes.NewReader(Icon()))
	if err != nil {
		t.Fatalf("decode icon: %v", err)
	}
	b := img.Bounds()
	corners := []image.Point{
		{b.Min.X, b.Min.Y}, {b.Max.X - 1, b.Min.Y},
		{b.Min.X, b.Max.Y - 1}, {b.Max.X - 1, b.Max.Y - 1},
	}
	for _, p := range corners {
		if _, _, _, a := img.At(p.X, p.Y).RGBA(); a != 0 {
			t.Errorf("icon corner %v alpha = %d, want 0 (transparent)", p, a)
		}
	}
	c := image.Pt((b.Min.X+b.Max.X)/2, (b.Min.Y+b.Max.Y)/2)
	if _, _, _, a := img.At(c.X, c.Y).RGBA(); a != 0xffff {
		t.Errorf("icon centre alpha = %d, want opaque", a)
	}
}

func TestCopies(t *testing.T) {
	a := Icon()
	a[0] ^= 0xff
	if bytes.Equal(a, Icon()) {
		t.Error("Icon() returned shared storage; mutation leaked")
	}
	s := SampleImage()
	s[0] ^= 0xff
	if bytes.Equal(s, SampleImage()) {
		t.Error("SampleImage() returned shared storage; mutation leaked")
	}
}
