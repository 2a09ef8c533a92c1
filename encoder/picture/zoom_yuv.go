package picture

import (
	"image"
	"math"
)

// YUV420 is a planar 4:2:0 picture in limited range, as ToYUV420 makes
// it, of any size: each chroma sample covers a 2×2 block of luma, and an
// odd last column or row a block of its own.
type YUV420 struct {
	W, H      int
	Y, Cb, Cr []byte
}

// chromaSize is the size of the chroma planes of a w×h picture.
func chromaSize(w, h int) (int, int) { return (w + 1) / 2, (h + 1) / 2 }

// NewYUV420 converts an opaque RGBA image to planes with matrix m. An odd
// side is made even first by repeating the last column or row, which is
// what the chroma sample of that edge then sees.
func NewYUV420(img *image.RGBA, m Matrix) *YUV420 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	ew, eh := w+w%2, h+h%2
	if ew != w || eh != h {
		img = padEdges(img, ew, eh)
	}
	buf := ToYUV420(img, m)
	return &YUV420{W: w, H: h, Y: lumaOf(buf, ew, eh, w, h), Cb: buf[ew*eh : ew*eh+(ew/2)*(eh/2)], Cr: buf[ew*eh+(ew/2)*(eh/2):]}
}

// lumaOf is the w×h luma plane of a frame of ew×eh, at most one wider and
// one taller: its rows moved together, in place.
func lumaOf(frame []byte, ew, eh, w, h int) []byte {
	if ew != w {
		for y := range h {
			copy(frame[y*w:y*w+w], frame[y*ew:y*ew+w])
		}
	}
	return frame[: w*h : w*h]
}

// padEdges copies img onto a canvas of w×h (one more column or row at
// most), repeating its last column and row into the new ones.
func padEdges(img *image.RGBA, w, h int) *image.RGBA {
	iw, ih := img.Rect.Dx(), img.Rect.Dy()
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		src := img.Pix[min(y, ih-1)*img.Stride:]
		dst := out.Pix[y*out.Stride:]
		copy(dst[:4*iw], src[:4*iw])
		for x := iw; x < w; x++ {
			copy(dst[4*x:4*x+4], src[4*(iw-1):4*iw])
		}
	}
	return out
}

// Zoomer draws zoomed yuv420p frames of a YUV420 slide directly, without
// an RGB frame between: bilinear in fixed point (1/256 pixel steps), the
// position of every sample from the exact zoom, so a slow zoom moves by
// fractions of a pixel from frame to frame. It keeps its sampling tables
// and rows from frame to frame; one per goroutine.
type Zoomer struct {
	xs, ys []tap
	// wide holds two source rows interpolated across, in 1/256, and
	// widened which rows they are (-1: none).
	wide    [2][]int32
	widened [2]int
}

// Draw draws src, the slide composed at ZoomCanvas size, into frame, a
// yuv420p frame of out (even sides), at zoom z (1: all of src): the same
// picture as DrawZoomed draws, then ToYUV420 converts.
func (zm *Zoomer) Draw(frame []byte, out image.Point, src *YUV420, z float64) {
	a := zoomTransform(image.Pt(src.W, src.H), out, z)
	s, tx, ty := a[0], a[2], a[5]
	w, h := out.X, out.Y
	cw, ch := w/2, h/2
	scw, sch := chromaSize(src.W, src.H)
	zm.plane(frame[:w*h], w, h, src.Y, src.W, src.H, s, tx, ty)
	// Chroma planes are the same picture at half the size: the same
	// scale, half the shift.
	zm.plane(frame[w*h:w*h+cw*ch], cw, ch, src.Cb, scw, sch, s, tx/2, ty/2)
	zm.plane(frame[w*h+cw*ch:w*h+2*cw*ch], cw, ch, src.Cr, scw, sch, s, tx/2, ty/2)
}

// plane draws the dw×dh plane dst from the sw×sh plane src, which the
// output shows scaled by s and shifted by tx, ty. Each source row it
// needs is interpolated across once: the zoom never enlarges, so each
// output row moves on by a source row or more, and shares one with the
// row before it at most.
func (zm *Zoomer) plane(dst []byte, dw, dh int, src []byte, sw, sh int, s, tx, ty float64) {
	zm.xs = zoomTaps(zm.xs, dw, sw, s, tx)
	zm.ys = zoomTaps(zm.ys, dh, sh, s, ty)
	for k := range zm.wide {
		if cap(zm.wide[k]) < dw {
			zm.wide[k] = make([]int32, dw)
		}
		zm.wide[k] = zm.wide[k][:dw]
	}
	zm.widened = [2]int{-1, -1}
	for y, ty := range zm.ys {
		top := zm.widen(ty.i, ty.j, src[ty.i*sw:ty.i*sw+sw])
		bot := zm.widen(ty.j, ty.i, src[ty.j*sw:ty.j*sw+sw])
		wy := int32(ty.w)
		row := dst[y*dw : y*dw+dw]
		bot = bot[:len(row)]
		for x, t := range top[:len(row)] {
			row[x] = byte((t<<8 + (bot[x]-t)*wy + 1<<15) >> 16)
		}
	}
}

// widen returns source row i (whose samples are row) interpolated across
// at the taps, from the two rows kept, making it in place of the one that
// is not row keep when it is not there.
func (zm *Zoomer) widen(i, keep int, row []byte) []int32 {
	for k, r := range zm.widened {
		if r == i {
			return zm.wide[k]
		}
	}
	k := 0
	if zm.widened[0] == keep {
		k = 1
	}
	zm.widened[k] = i
	out := zm.wide[k]
	for x, t := range zm.xs[:len(out)] {
		a := int32(row[t.i])
		out[x] = a<<8 + (int32(row[t.j])-a)*int32(t.w)
	}
	return out
}

// zoomTaps is taps for any scale and shift, reusing into: the taps of n
// output samples from a line of m source samples, which the output shows
// scaled by s and shifted by t. Output sample k, centred at k+0.5, shows
// the source at (k+0.5-t)/s-0.5, held to the first and last samples.
func zoomTaps(into []tap, n, m int, s, t float64) []tap {
	if cap(into) < n {
		into = make([]tap, n)
	}
	into = into[:n]
	for k := range into {
		u := (float64(k)+0.5-t)/s - 0.5
		u = math.Max(0, math.Min(float64(m-1), u))
		i := min(int(u), max(0, m-2))
		into[k] = tap{i: i, j: min(i+1, m-1), w: int(math.Round((u - float64(i)) * 256))}
	}
	return into
}
