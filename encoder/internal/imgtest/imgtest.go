// Package imgtest makes and measures images for the tests of the encoder
// and its picture package: solid images and colour cards, files in every
// format, EXIF segments, forged PNG headers, and colour checks. Only tests
// import it, and it imports nothing of Stillcast, so picture's own tests
// can use it.
package imgtest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Testdata is the path of a file in the repository's testdata folder.
func Testdata(name string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "testdata", name)
}

// Solid returns a w×h opaque image of one colour.
func Solid(w, h int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

// WritePNG encodes img as PNG into dir/name and returns the path.
func WritePNG(t testing.TB, dir, name string, img image.Image) string {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return WriteFile(t, dir, name, buf.Bytes())
}

// WriteJPEG encodes img as a high-quality JPEG into dir/name.
func WriteJPEG(t testing.TB, dir, name string, img image.Image) string {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return WriteFile(t, dir, name, buf.Bytes())
}

func WriteFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// EXIFSegment builds a JPEG APP1 segment whose IFD0 holds a Make tag and
// the orientation o, in big- or little-endian TIFF order.
func EXIFSegment(o int, big bool) []byte {
	var bo binary.AppendByteOrder = binary.LittleEndian
	t := []byte("II")
	if big {
		bo, t = binary.BigEndian, []byte("MM")
	}
	u16 := func(v uint16) { t = bo.AppendUint16(t, v) }
	u32 := func(v uint32) { t = bo.AppendUint32(t, v) }
	u16(42)
	u32(8) // IFD0 right after the header
	u16(2) // two entries
	u16(0x010F)
	u16(2)
	u32(10)
	u32(8 + 2 + 2*12 + 4) // Make: ASCII, stored after the IFD
	u16(0x0112)
	u16(3)
	u32(1)
	u16(uint16(o))
	u16(0) // Orientation: one SHORT in the value field
	u32(0) // no IFD1
	t = append(t, "Stillcast\x00"...)
	body := append([]byte("Exif\x00\x00"), t...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(body)+2))
	return append(seg, body...)
}

// WithEXIF inserts an EXIF segment with orientation o right after the
// SOI marker of a JPEG file.
func WithEXIF(jpg []byte, o int, big bool) []byte {
	out := append([]byte{}, jpg[:2]...)
	out = append(out, EXIFSegment(o, big)...)
	return append(out, jpg[2:]...)
}

// PNGWithHeader returns a PNG signature and an IHDR chunk with a correct
// CRC claiming w×h, 8-bit RGB, followed by IEND: enough for DecodeConfig.
func PNGWithHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
		body := append([]byte(typ), data...)
		b.Write(body)
		_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(body))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // depth 8, RGB, deflate, adaptive, no interlace
	chunk("IHDR", ihdr)
	chunk("IEND", nil)
	return b.Bytes()
}

// BlockColors are the eight solid blocks of the colour-fidelity card, and
// four mid tones that catch a range or matrix mistake the saturated ones
// hide by clipping.
var BlockColors = []struct {
	Name string
	C    color.RGBA
}{
	{"red", color.RGBA{255, 0, 0, 255}},
	{"green", color.RGBA{0, 255, 0, 255}},
	{"blue", color.RGBA{0, 0, 255, 255}},
	{"white", color.RGBA{255, 255, 255, 255}},
	{"black", color.RGBA{0, 0, 0, 255}},
	{"grey", color.RGBA{128, 128, 128, 255}},
	{"yellow", color.RGBA{255, 255, 0, 255}},
	{"cyan", color.RGBA{0, 255, 255, 255}},
	{"slate", color.RGBA{64, 96, 128, 255}},
	{"ochre", color.RGBA{192, 128, 64, 255}},
	{"forest", color.RGBA{32, 64, 32, 255}},
	{"lavender", color.RGBA{160, 160, 255, 255}},
}

// ColorCard draws BlockColors as a 4×3 grid filling w×h.
func ColorCard(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := BlockColors[CardBlock(x, y, w, h)].C
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, 255
		}
	}
	return img
}

func CardBlock(x, y, w, h int) int { return (y*3/h)*4 + x*4/w }

// CardBlockRect is the rectangle of block i of a w×h colour card.
func CardBlockRect(i, w, h int) image.Rectangle {
	col, row := i%4, i/4
	return image.Rect(col*w/4, row*h/3, (col+1)*w/4, (row+1)*h/3)
}

// MeanRGB is the mean colour of r in img.
func MeanRGB(img *image.RGBA, r image.Rectangle) [3]float64 {
	var sum [3]float64
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			i := img.PixOffset(x, y)
			sum[0] += float64(img.Pix[i])
			sum[1] += float64(img.Pix[i+1])
			sum[2] += float64(img.Pix[i+2])
			n++
		}
	}
	for k := range sum {
		sum[k] /= float64(n)
	}
	return sum
}

// CheckColor fails when the mean colour of r in img is off c by more than
// tol in any channel.
func CheckColor(t testing.TB, what string, img *image.RGBA, r image.Rectangle, c color.RGBA, tol float64) {
	t.Helper()
	m := MeanRGB(img, r)
	want := [3]float64{float64(c.R), float64(c.G), float64(c.B)}
	for k := range m {
		if d := m[k] - want[k]; d > tol || d < -tol {
			t.Errorf("%s: mean colour of %v is (%.1f, %.1f, %.1f), want (%d, %d, %d) ±%g",
				what, r, m[0], m[1], m[2], c.R, c.G, c.B, tol)
			return
		}
	}
}

// Inset shrinks r by d on every side.
func Inset(r image.Rectangle, d int) image.Rectangle {
	return image.Rect(r.Min.X+d, r.Min.Y+d, r.Max.X-d, r.Max.Y-d)
}
