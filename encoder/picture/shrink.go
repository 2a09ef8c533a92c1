package picture

import "image"

// Shrinking before scaling: Catmull-Rom scaling keeps a table of the
// destination's width by the source's height in float64s, 720 MB for a
// 12000-pixel-tall photo letterboxed into 1080p. Halving the source first,
// each pixel the mean of four, until it is less than twice the size it
// is drawn at, keeps that table and the work small; the mean of four is
// the filter a mipmap uses, so the picture loses nothing it would show.

// shrinkFor halves img, for as long as its part r is at least twice size
// in both directions, and returns the smaller image and where r lies in
// it. Images of a kind it cannot halve come back as they are.
func shrinkFor(img image.Image, r image.Rectangle, size image.Point) (image.Image, image.Rectangle) {
	for r.Dx() >= 2*size.X && r.Dy() >= 2*size.Y {
		half := halve(img)
		if half == nil {
			break
		}
		img = half
		r = image.Rect(r.Min.X/2, r.Min.Y/2, (r.Max.X+1)/2, (r.Max.Y+1)/2).Intersect(half.Bounds())
	}
	return img, r
}

// halve returns img at half its size, rounded up, with bounds from 0,0;
// nil for a kind of image it does not know.
func halve(img image.Image) image.Image {
	b := img.Bounds()
	half := image.Rect(0, 0, (b.Dx()+1)/2, (b.Dy()+1)/2)
	switch m := img.(type) {
	case *image.YCbCr:
		dst := image.NewYCbCr(half, m.SubsampleRatio)
		halvePlane(dst.Y, dst.YStride, 1, m.Y[m.YOffset(b.Min.X, b.Min.Y):], m.YStride, b.Dx(), b.Dy())
		cw, ch := chromaSize(m)
		c := m.COffset(b.Min.X, b.Min.Y)
		dcw, dch := chromaSize(dst)
		cw, ch = min(cw, 2*dcw), min(ch, 2*dch)
		halvePlane(dst.Cb, dst.CStride, 1, m.Cb[c:], m.CStride, cw, ch)
		halvePlane(dst.Cr, dst.CStride, 1, m.Cr[c:], m.CStride, cw, ch)
		return dst
	case *image.Gray:
		dst := image.NewGray(half)
		halvePlane(dst.Pix, dst.Stride, 1, m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, b.Dx(), b.Dy())
		return dst
	case *image.RGBA: // premultiplied, so the mean is right at transparent edges too
		dst := image.NewRGBA(half)
		halvePlane(dst.Pix, dst.Stride, 4, m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, b.Dx(), b.Dy())
		return dst
	}
	return nil
}

// halvePlane writes into dst the mean of each 2×2 block of the w×h
// samples of src, n bytes to a sample; an odd last row or column is
// paired with itself.
func halvePlane(dst []byte, dstStride, n int, src []byte, srcStride, w, h int) {
	for y := 0; y < h; y += 2 {
		r0 := src[y*srcStride:]
		r1 := r0
		if y+1 < h {
			r1 = src[(y+1)*srcStride:]
		}
		out := dst[(y/2)*dstStride:]
		for x := 0; x < w; x += 2 {
			x1 := x + 1
			if x1 == w {
				x1 = x
			}
			for k := 0; k < n; k++ {
				s := uint(r0[x*n+k]) + uint(r0[x1*n+k]) + uint(r1[x*n+k]) + uint(r1[x1*n+k])
				out[(x/2)*n+k] = byte((s + 2) / 4)
			}
		}
	}
}
