package picture

import (
	"image"
	"math"
	"testing"
)

func TestZoomAt(t *testing.T) {
	for _, c := range []struct {
		span int
		p, z float64
	}{
		{0, 0, 1}, {0, 1, KenBurnsZoom}, {0, 0.5, 1 + (KenBurnsZoom-1)/2}, {0, -1, 1}, {0, 2, KenBurnsZoom},
		{1, 0, KenBurnsZoom}, {1, 1, 1}, {2, 1, KenBurnsZoom},
	} {
		if z := ZoomAt(c.span, c.p); math.Abs(z-c.z) > 1e-9 {
			t.Errorf("ZoomAt(%d, %g) = %g, want %g", c.span, c.p, z, c.z)
		}
	}
	// Zoom 1 shows the whole enlarged canvas; full zoom a window of it at
	// one to one; both centred.
	out := image.Pt(1920, 1080)
	big := ZoomCanvas(out)
	at := func(a [6]float64, x, y float64) (float64, float64) {
		return a[0]*x + a[1]*y + a[2], a[3]*x + a[4]*y + a[5]
	}
	whole := zoomTransform(big, out, 1)
	if x, y := at(whole, 0, 0); math.Abs(x) > 1e-6 || math.Abs(y) > 0.6 {
		t.Errorf("zoom 1 puts the corner at %g,%g", x, y)
	}
	if x, _ := at(whole, float64(big.X), float64(big.Y)); math.Abs(x-1920) > 1e-6 {
		t.Errorf("zoom 1 puts the far corner at x %g", x)
	}
	full := zoomTransform(big, out, float64(big.X)/1920)
	if full[0] != 1 {
		t.Errorf("full zoom scales by %g, want 1", full[0])
	}
	if x, y := at(full, float64(big.X)/2, float64(big.Y)/2); math.Abs(x-960) > 1e-6 || math.Abs(y-540) > 1e-6 {
		t.Errorf("the centre goes to %g,%g", x, y)
	}
}
