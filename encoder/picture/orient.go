package picture

import (
	"encoding/binary"
	"image"
	"image/draw"
)

// exifOrientation finds the EXIF orientation tag (1–8) in the first bytes
// of a JPEG file. Anything else, or no tag, gives 1: leave the image as it is.
func exifOrientation(head []byte) int {
	// A JPEG starts with SOI (FF D8) and then a run of marker segments;
	// EXIF lives in an APP1 segment that starts with "Exif\0\0".
	if len(head) < 4 || head[0] != 0xFF || head[1] != 0xD8 {
		return 1
	}
	p := 2
	for p+4 <= len(head) {
		if head[p] != 0xFF {
			return 1
		}
		marker := head[p+1]
		if marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 || marker == 0xFF {
			p++
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // image data starts: no EXIF before it
			return 1
		}
		n := int(binary.BigEndian.Uint16(head[p+2:]))
		if n < 2 || p+2+n > len(head) {
			return 1
		}
		seg := head[p+4 : p+2+n]
		if marker == 0xE1 && len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		p += 2 + n
	}
	return 1
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF header.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(t[2:]) != 42 {
		return 1
	}
	ifd := int(bo.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > len(t) {
		return 1
	}
	count := int(bo.Uint16(t[ifd:]))
	for i := 0; i < count; i++ {
		e := ifd + 2 + 12*i
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		// Type SHORT (3), one value, stored in the first two bytes of the value field.
		if bo.Uint16(t[e+2:]) != 3 {
			return 1
		}
		v := int(bo.Uint16(t[e+8:]))
		if v < 1 || v > 8 {
			return 1
		}
		return v
	}
	return 1
}

// orient turns img upright according to an EXIF orientation value. It
// makes one copy, the upright image, in the source's own pixel format
// where it can: a JPEG's planes are moved as they are (a 100-megapixel
// 4:2:0 photo costs 150 MB more, not 400 MB of RGBA), and other images
// are converted to RGBA a row at a time, through a buffer of one row.
func orient(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	switch src := img.(type) {
	case *image.YCbCr:
		if out := orientYCbCr(src, o); out != nil {
			return out
		}
	case *image.Gray:
		b := src.Bounds()
		dst := image.NewGray(orientedRect(o, b.Dx(), b.Dy()))
		orientPlane(o, dst.Pix, dst.Stride, src.Pix[src.PixOffset(b.Min.X, b.Min.Y):], src.Stride, b.Dx(), b.Dy())
		return dst
	}
	return orientRGBA(img, o)
}

// orientedRect is the bounds of a w×h image turned by orientation o.
func orientedRect(o, w, h int) image.Rectangle {
	if o >= 5 {
		w, h = h, w
	}
	return image.Rect(0, 0, w, h)
}

// orientYCbCr turns each plane of a YCbCr image on its own. Turning by a
// quarter swaps the subsampling of 4:2:2 and 4:4:0; 4:1:1 and 4:1:0 have
// no turned form in Go, and give nil.
func orientYCbCr(src *image.YCbCr, o int) *image.YCbCr {
	ratio := src.SubsampleRatio
	if o >= 5 {
		switch ratio {
		case image.YCbCrSubsampleRatio422:
			ratio = image.YCbCrSubsampleRatio440
		case image.YCbCrSubsampleRatio440:
			ratio = image.YCbCrSubsampleRatio422
		case image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio444:
		default:
			return nil
		}
	}
	b := src.Bounds()
	dst := image.NewYCbCr(orientedRect(o, b.Dx(), b.Dy()), ratio)
	orientPlane(o, dst.Y, dst.YStride, src.Y[src.YOffset(b.Min.X, b.Min.Y):], src.YStride, b.Dx(), b.Dy())
	cw, ch := chromaSize(src)
	c := src.COffset(b.Min.X, b.Min.Y)
	orientPlane(o, dst.Cb, dst.CStride, src.Cb[c:], src.CStride, cw, ch)
	orientPlane(o, dst.Cr, dst.CStride, src.Cr[c:], src.CStride, cw, ch)
	return dst
}

// chromaSize is the size of the chroma planes of a YCbCr image.
func chromaSize(m *image.YCbCr) (w, h int) {
	b := m.Bounds()
	w, h = b.Dx(), b.Dy()
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		w = (b.Max.X+1)/2 - b.Min.X/2
	case image.YCbCrSubsampleRatio420:
		w, h = (b.Max.X+1)/2-b.Min.X/2, (b.Max.Y+1)/2-b.Min.Y/2
	case image.YCbCrSubsampleRatio440:
		h = (b.Max.Y+1)/2 - b.Min.Y/2
	case image.YCbCrSubsampleRatio411:
		w = (b.Max.X+3)/4 - b.Min.X/4
	case image.YCbCrSubsampleRatio410:
		w, h = (b.Max.X+3)/4-b.Min.X/4, (b.Max.Y+1)/2-b.Min.Y/2
	}
	return w, h
}

// orientPlane moves the w×h samples of a one-byte-per-sample plane to
// their upright places in dst. Along a source row the destination index
// moves by a fixed step, so each row is one linear walk.
func orientPlane(o int, dst []byte, dstStride int, src []byte, srcStride, w, h int) {
	index := func(x, y int) int {
		dx, dy := orientPoint(o, x, y, w, h)
		return dy*dstStride + dx
	}
	step := 0
	if w > 1 {
		step = index(1, 0) - index(0, 0)
	}
	for y := 0; y < h; y++ {
		row := src[y*srcStride : y*srcStride+w]
		i := index(0, y)
		for _, v := range row {
			dst[i] = v
			i += step
		}
	}
}

// orientRGBA turns any image upright as RGBA: each source row is
// converted in a buffer of one row and placed from there.
func orientRGBA(img image.Image, o int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dst := image.NewRGBA(orientedRect(o, w, h))
	row := image.NewRGBA(image.Rect(0, 0, w, 1))
	for y := 0; y < h; y++ {
		draw.Draw(row, row.Rect, img, image.Pt(b.Min.X, b.Min.Y+y), draw.Src)
		for x := 0; x < w; x++ {
			dx, dy := orientPoint(o, x, y, w, h)
			copy(dst.Pix[dy*dst.Stride+4*dx:], row.Pix[4*x:4*x+4])
		}
	}
	return dst
}

// orientPoint maps source pixel (x, y) of a w×h image to its upright place.
func orientPoint(o, x, y, w, h int) (int, int) {
	switch o {
	case 2: // mirrored horizontally
		return w - 1 - x, y
	case 3: // rotated 180°
		return w - 1 - x, h - 1 - y
	case 4: // mirrored vertically
		return x, h - 1 - y
	case 5: // mirrored along the main diagonal
		return y, x
	case 6: // stored rotated 90° counter-clockwise: turn it clockwise
		return h - 1 - y, x
	case 7: // mirrored along the anti-diagonal
		return h - 1 - y, w - 1 - x
	case 8: // stored rotated 90° clockwise: turn it counter-clockwise
		return y, w - 1 - x
	}
	return x, y
}
