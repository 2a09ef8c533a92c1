package picture

import (
	"image"
	"math"
)

// Matrix is a set of Y'CbCr coefficients and the names ffmpeg uses to tag
// a stream encoded with them.
type Matrix struct {
	Kr, Kb float64
	// Colorspace is ffmpeg's name of the matrix (-colorspace).
	Colorspace string
}

// BT709 is the HD matrix (ITU-R BT.709).
func BT709() Matrix { return Matrix{Kr: 0.2126, Kb: 0.0722, Colorspace: "bt709"} }

// BT601 is the SD matrix (ITU-R BT.601, as SMPTE 170M names it).
func BT601() Matrix { return Matrix{Kr: 0.299, Kb: 0.114, Colorspace: "smpte170m"} }

// hdMinLines is where players switch from the SD to the HD matrix when a
// stream is untagged; tagging follows the same line so both agree.
const hdMinLines = 720

// MatrixFor picks the matrix for a canvas height: BT.709 from 720 lines
// up, BT.601 below.
func MatrixFor(height int) Matrix {
	if height >= hdMinLines {
		return BT709()
	}
	return BT601()
}

// FrameSize is the number of bytes of one w×h yuv420p frame.
func FrameSize(w, h int) int { return w*h + 2*(w/2)*(h/2) }

// ToYUV420 converts an opaque RGBA image with even sides to one planar
// yuv420p frame in limited ("TV") range: Y in 16–235, Cb and Cr in 16–240.
// Each chroma sample is the mean of its 2×2 block.
func ToYUV420(img *image.RGBA, m Matrix) []byte {
	out := make([]byte, FrameSize(img.Rect.Dx(), img.Rect.Dy()))
	ToYUV420Into(out, img, m)
	return out
}

// ToYUV420Into is ToYUV420 into out, which holds FrameSize bytes: for a
// frame made again and again. It works in 16.16 fixed point, which gives
// the exact float result rounded to within one step, several times faster.
func ToYUV420Into(out []byte, img *image.RGBA, m Matrix) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	yPlane := out[:w*h]
	cbPlane := out[w*h : w*h+(w/2)*(h/2)]
	crPlane := out[w*h+(w/2)*(h/2):]
	kg := 1 - m.Kr - m.Kb
	// Scales from full-range 0–255 differences to limited-range steps.
	ys := 219.0 / 255.0
	cbs := 224.0 / 255.0 / (2 * (1 - m.Kb))
	crs := 224.0 / 255.0 / (2 * (1 - m.Kr))
	fix := func(v float64) int32 { return int32(math.Round(v * (1 << 16))) }
	const half = 1 << 15
	yr, yg, yb := fix(ys*m.Kr), fix(ys*kg), fix(ys*m.Kb)
	// Chroma from the sum of a 2×2 block: a quarter of each coefficient.
	cbr, cbg, cbb := fix(-cbs*m.Kr/4), fix(-cbs*kg/4), fix(cbs*(1-m.Kb)/4)
	crr, crg, crb := fix(crs*(1-m.Kr)/4), fix(-crs*kg/4), fix(-crs*m.Kb/4)
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		dst := yPlane[y*w : y*w+w]
		for x := range dst {
			p := row[4*x : 4*x+3 : 4*x+3]
			dst[x] = byte((16<<16 + half + yr*int32(p[0]) + yg*int32(p[1]) + yb*int32(p[2])) >> 16)
		}
	}
	for cy := 0; cy < h/2; cy++ {
		r0 := img.Pix[2*cy*img.Stride:]
		r1 := img.Pix[(2*cy+1)*img.Stride:]
		for cx := 0; cx < w/2; cx++ {
			a, b, c, d := r0[8*cx:8*cx+3], r0[8*cx+4:8*cx+7], r1[8*cx:8*cx+3], r1[8*cx+4:8*cx+7]
			r := int32(a[0]) + int32(b[0]) + int32(c[0]) + int32(d[0])
			g := int32(a[1]) + int32(b[1]) + int32(c[1]) + int32(d[1])
			bl := int32(a[2]) + int32(b[2]) + int32(c[2]) + int32(d[2])
			i := cy*(w/2) + cx
			cbPlane[i] = clampFixed(128<<16 + half + cbr*r + cbg*g + cbb*bl)
			crPlane[i] = clampFixed(128<<16 + half + crr*r + crg*g + crb*bl)
		}
	}
}

// clampFixed turns a 16.16 fixed-point value into a byte, clamped.
func clampFixed(v int32) byte {
	v >>= 16
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return byte(v)
}
