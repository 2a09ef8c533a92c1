package picture

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/stillcast/stillcast/encoder/internal/imgtest"
)

// refYCbCr is the limited-range Y'CbCr of an sRGB colour by the textbook
// formulas of ITU-R BT.601 / BT.709, written out independently of yuv.go:
//
//	Y  = 16  + 219·(Kr·R + Kg·G + Kb·B)
//	Cb = 128 + 224·(B − Y')/(2·(1 − Kb))
//	Cr = 128 + 224·(R − Y')/(2·(1 − Kr))
//
// with R, G, B in 0–1.
func refYCbCr(c color.RGBA, kr, kb float64) (y, cb, cr float64) {
	r, g, b := float64(c.R)/255, float64(c.G)/255, float64(c.B)/255
	l := kr*r + (1-kr-kb)*g + kb*b
	return 16 + 219*l, 128 + 224*(b-l)/(2*(1-kb)), 128 + 224*(r-l)/(2*(1-kr))
}

func TestToYUV420PureColors(t *testing.T) {
	t.Parallel()
	// Published 8-bit values for the primaries, to pin the formulas too.
	type ycc [3]byte
	tests := []struct {
		name   string
		c      color.RGBA
		bt601  ycc
		bt709  ycc
		hasRef bool
	}{
		{"white", color.RGBA{255, 255, 255, 255}, ycc{235, 128, 128}, ycc{235, 128, 128}, true},
		{"black", color.RGBA{0, 0, 0, 255}, ycc{16, 128, 128}, ycc{16, 128, 128}, true},
		{"red", color.RGBA{255, 0, 0, 255}, ycc{81, 90, 240}, ycc{63, 102, 240}, true},
		{"green", color.RGBA{0, 255, 0, 255}, ycc{145, 54, 34}, ycc{173, 42, 26}, true},
		{"blue", color.RGBA{0, 0, 255, 255}, ycc{41, 240, 110}, ycc{32, 240, 118}, true},
		{"mid grey", color.RGBA{128, 128, 128, 255}, ycc{126, 128, 128}, ycc{126, 128, 128}, true},
		{"yellow", color.RGBA{255, 255, 0, 255}, ycc{210, 16, 146}, ycc{219, 16, 138}, true},
		{"cyan", color.RGBA{0, 255, 255, 255}, ycc{170, 166, 16}, ycc{188, 154, 16}, true},
		{"slate", color.RGBA{64, 96, 128, 255}, ycc{}, ycc{}, false},
		{"ochre", color.RGBA{192, 128, 64, 255}, ycc{}, ycc{}, false},
	}
	for _, tt := range tests {
		for _, m := range []Matrix{BT601(), BT709()} {
			t.Run(tt.name+"/"+m.Colorspace, func(t *testing.T) {
				frame := ToYUV420(imgtest.Solid(4, 2, tt.c), m)
				if len(frame) != FrameSize(4, 2) || len(frame) != 12 {
					t.Fatalf("frame is %d bytes, want 12", len(frame))
				}
				got := ycc{frame[0], frame[8], frame[10]}
				for i := 0; i < 8; i++ {
					if frame[i] != got[0] {
						t.Fatalf("Y plane not uniform: %v", frame[:8])
					}
				}
				if frame[9] != got[1] || frame[11] != got[2] {
					t.Fatalf("chroma planes not uniform: %v", frame[8:])
				}
				y, cb, cr := refYCbCr(tt.c, m.Kr, m.Kb)
				for i, want := range []float64{y, cb, cr} {
					if d := math.Abs(float64(got[i]) - want); d > 0.5+1e-9 {
						t.Errorf("%s component %d = %d, formula gives %.3f", tt.name, i, got[i], want)
					}
				}
				if tt.hasRef {
					want := tt.bt601
					if m.Colorspace == "bt709" {
						want = tt.bt709
					}
					if got != want {
						t.Errorf("%s in %s = %v, want %v", tt.name, m.Colorspace, got, want)
					}
				}
			})
		}
	}
}

func TestToYUV420Ranges(t *testing.T) {
	t.Parallel()
	// Every 8-bit grey and a sweep of colours stay inside limited range.
	img := image.NewRGBA(image.Rect(0, 0, 256, 2))
	for x := 0; x < 256; x++ {
		img.SetRGBA(x, 0, color.RGBA{uint8(x), uint8(x), uint8(x), 255})
		img.SetRGBA(x, 1, color.RGBA{uint8(x), uint8(255 - x), uint8(x * 7), 255})
	}
	for _, m := range []Matrix{BT601(), BT709()} {
		f := ToYUV420(img, m)
		for i, v := range f[:256*2] {
			if v < 16 || v > 235 {
				t.Fatalf("%s: Y[%d] = %d outside 16–235", m.Colorspace, i, v)
			}
		}
		for i, v := range f[256*2:] {
			if v < 16 || v > 240 {
				t.Fatalf("%s: chroma[%d] = %d outside 16–240", m.Colorspace, i, v)
			}
		}
		// Greys are neutral only if both rows are grey; check the grey row's luma.
		for x := 0; x < 256; x++ {
			want := 16 + 219*float64(x)/255
			if d := math.Abs(float64(f[x]) - want); d > 0.5+1e-9 {
				t.Fatalf("%s: grey %d has Y %d, want %.2f", m.Colorspace, x, f[x], want)
			}
		}
	}
}

func TestToYUV420Layout(t *testing.T) {
	t.Parallel()
	// 4×4: the left 2×4 red, the right 2×4 blue, except the pixel at (3,3)
	// which is white. The planes are Y (16 bytes), Cb (4), Cr (4), row by row.
	tRed, tBlue, white := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}, color.RGBA{255, 255, 255, 255}
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for y := 0; y < 4; y++ {
		for x := 0; x < 4; x++ {
			c := tRed
			if x >= 2 {
				c = tBlue
			}
			img.SetRGBA(x, y, c)
		}
	}
	img.SetRGBA(3, 3, white)
	f := ToYUV420(img, BT601())
	if len(f) != 24 {
		t.Fatalf("%d bytes, want 24", len(f))
	}
	yr, _, _ := refYCbCr(tRed, BT601().Kr, BT601().Kb)
	yb, _, _ := refYCbCr(tBlue, BT601().Kr, BT601().Kb)
	wantY := []byte{
		byte(math.Round(yr)), byte(math.Round(yr)), byte(math.Round(yb)), byte(math.Round(yb)),
		byte(math.Round(yr)), byte(math.Round(yr)), byte(math.Round(yb)), byte(math.Round(yb)),
		byte(math.Round(yr)), byte(math.Round(yr)), byte(math.Round(yb)), byte(math.Round(yb)),
		byte(math.Round(yr)), byte(math.Round(yr)), byte(math.Round(yb)), 235,
	}
	if fmt.Sprint(f[:16]) != fmt.Sprint(wantY) {
		t.Errorf("Y plane = %v, want %v", f[:16], wantY)
	}
	// Chroma: top-left and bottom-left blocks red, top-right blue, and the
	// bottom-right block the mean of three blues and a white.
	_, cbR, crR := refYCbCr(tRed, BT601().Kr, BT601().Kb)
	_, cbB, crB := refYCbCr(tBlue, BT601().Kr, BT601().Kb)
	mr, mg, mb := 63.75/255, 63.75/255, 1.0 // (0+0+0+255)/4 of red and green
	ml := BT601().Kr*mr + (1-BT601().Kr-BT601().Kb)*mg + BT601().Kb*mb
	cbM, crM := 128+224*(mb-ml)/(2*(1-BT601().Kb)), 128+224*(mr-ml)/(2*(1-BT601().Kr))
	wantCb := []float64{cbR, cbB, cbR, cbM}
	wantCr := []float64{crR, crB, crR, crM}
	for i := 0; i < 4; i++ {
		if d := math.Abs(float64(f[16+i]) - wantCb[i]); d > 0.5+1e-9 {
			t.Errorf("Cb[%d] = %d, want %.2f", i, f[16+i], wantCb[i])
		}
		if d := math.Abs(float64(f[20+i]) - wantCr[i]); d > 0.5+1e-9 {
			t.Errorf("Cr[%d] = %d, want %.2f", i, f[20+i], wantCr[i])
		}
	}
}

func TestToYUV420SubImage(t *testing.T) {
	t.Parallel()
	// A canvas whose stride is wider than its rectangle converts its own
	// pixels only.
	big := imgtest.Solid(8, 4, color.RGBA{0, 0, 0, 255})
	for y := 0; y < 4; y++ {
		for x := 4; x < 8; x++ {
			big.SetRGBA(x, y, color.RGBA{255, 255, 255, 255})
		}
	}
	sub := big.SubImage(image.Rect(4, 0, 8, 4)).(*image.RGBA)
	f := ToYUV420(sub, BT709())
	for i, v := range f[:16] {
		if v != 235 {
			t.Fatalf("Y[%d] = %d, want 235 (white)", i, v)
		}
	}
}

func TestMatrixFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		h    int
		want Matrix
	}{
		{2, BT601()}, {360, BT601()}, {480, BT601()}, {576, BT601()}, {718, BT601()},
		{720, BT709()}, {1080, BT709()}, {1920, BT709()}, {2160, BT709()},
	}
	for _, tt := range tests {
		if got := MatrixFor(tt.h); got != tt.want {
			t.Errorf("MatrixFor(%d) = %s, want %s", tt.h, got.Colorspace, tt.want.Colorspace)
		}
	}
	if BT601().Colorspace != "smpte170m" || BT709().Colorspace != "bt709" {
		t.Errorf("colorspace names %q %q", BT601().Colorspace, BT709().Colorspace)
	}
	if FrameSize(640, 360) != 640*360*3/2 || FrameSize(2, 2) != 6 {
		t.Errorf("FrameSize wrong")
	}
}
