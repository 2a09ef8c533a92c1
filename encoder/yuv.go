package encoder

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
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := make([]byte, FrameSize(w, h))
	yPlane := out[:w*h]
	cbPlane := out[w*h : w*h+(w/2)*(h/2)]
	crPlane := out[w*h+(w/2)*(h/2):]
	kg := 1 - m.Kr - m.Kb
	// Scales from full-range 0–255 differences to limited-range steps.
	ys := 219.0 / 255.0
	cbs := 224.0 / 255.0 / (2 * (1 - m.Kb))
	crs := 224.0 / 255.0 / (2 * (1 - m.Kr))
	luma := func(r, g, b float64) float64 { return m.Kr*r + kg*g + m.Kb*b }
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			p := row[4*x:]
			yPlane[y*w+x] = clampByte(16 + ys*luma(float64(p[0]), float64(p[1]), float64(p[2])))
		}
	}
	for cy := 0; cy < h/2; cy++ {
		r0 := img.Pix[2*cy*img.Stride:]
		r1 := img.Pix[(2*cy+1)*img.Stride:]
		for cx := 0; cx < w/2; cx++ {
			a, b, c, d := r0[8*cx:], r0[8*cx+4:], r1[8*cx:], r1[8*cx+4:]
			r := (float64(a[0]) + float64(b[0]) + float64(c[0]) + float64(d[0])) / 4
			g := (float64(a[1]) + float64(b[1]) + float64(c[1]) + float64(d[1])) / 4
			bl := (float64(a[2]) + float64(b[2]) + float64(c[2]) + float64(d[2])) / 4
			yl := luma(r, g, bl)
			i := cy*(w/2) + cx
			cbPlane[i] = clampByte(128 + cbs*(bl-yl))
			crPlane[i] = clampByte(128 + crs*(r-yl))
		}
	}
	return out
}

func clampByte(v float64) byte {
	return byte(math.Max(0, math.Min(255, math.Round(v))))
}
