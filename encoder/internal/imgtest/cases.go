package imgtest

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// pngColorType reads the bit depth and colour type from a PNG's IHDR.
func pngColorType(t testing.TB, path string) (depth, kind byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil || len(data) < 26 || string(data[12:16]) != "IHDR" {
		t.Fatalf("%s is not a PNG: %v", path, err)
	}
	return data[24], data[25]
}

// Case is one image file, what it must look like, and a region to
// sample.
type Case struct {
	Name   string
	Make   func(t *testing.T, dir string) string
	Size   image.Point
	Region image.Rectangle // where to measure, in the loaded image
	Want   color.RGBA      // its colour, composited over bg
	Tol    float64
	Bg     color.RGBA
	Check  func(t *testing.T, path string) // a check of the file itself
}

var (
	Red   = color.RGBA{255, 0, 0, 255}
	Green = color.RGBA{0, 255, 0, 255}
	Blue  = color.RGBA{0, 0, 255, 255}
	Black = color.RGBA{0, 0, 0, 255}
)

// Loader is how a test loads an image: picture.Load.
type Loader func(path string) (image.Image, error)

// Cases are image files of every supported format, each made in a test's
// folder or taken from testdata; load checks the ones that need decoding.
func Cases(load Loader) []Case {
	return slices.Concat(jpegCases(load), pngCases(), alphaCases(), otherCases(load))
}

// jpegCases are a plain JPEG and a CMYK one.
func jpegCases(load Loader) []Case {
	r := image.Rect
	return []Case{
		{
			Name: "jpeg", Size: image.Pt(64, 48), Region: r(8, 8, 56, 40), Want: color.RGBA{30, 144, 255, 255}, Tol: 4,
			Make: func(t *testing.T, dir string) string {
				return WriteJPEG(t, dir, "photo.jpg", Solid(64, 48, color.RGBA{30, 144, 255, 255}))
			},
		},
		{
			Name: "cmyk jpeg", Size: image.Pt(96, 32), Region: r(40, 8, 56, 24), Want: color.RGBA{128, 128, 128, 255}, Tol: 10,
			Make: func(t *testing.T, dir string) string { return Testdata("cmyk.jpg") },
			Check: func(t *testing.T, path string) {
				img, err := load(path)
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := img.(*image.CMYK); !ok {
					t.Errorf("decoded as %T, want *image.CMYK", img)
				}
				CheckColor(t, "cmyk red third", Flatten(img), r(6, 6, 26, 26), Red, 10)
				CheckColor(t, "cmyk blue third", Flatten(img), r(70, 6, 90, 26), Blue, 10)
				if id, err := exec.LookPath("identify"); err == nil {
					out, err := exec.Command(id, "-format", "%[colorspace]", path).Output()
					if err != nil || strings.TrimSpace(string(out)) != "CMYK" {
						t.Errorf("identify says %q, %v; want CMYK", out, err)
					}
				}
			},
		},
	}
}

// pngCases are opaque PNGs of every colour type and depth.
func pngCases() []Case {
	r := image.Rect
	return []Case{
		{
			Name: "png rgb 8-bit", Size: image.Pt(40, 30), Region: r(4, 4, 36, 26), Want: color.RGBA{250, 128, 7, 255}, Tol: 0,
			Make: func(t *testing.T, dir string) string {
				img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
				FillNRGBA(img, color.NRGBA{250, 128, 7, 255})
				return WritePNG(t, dir, "rgb.png", img)
			},
			Check: func(t *testing.T, path string) { wantPNGType(t, path, 8, 2) },
		},
		{
			Name: "png 16-bit", Size: image.Pt(40, 30), Region: r(4, 4, 36, 26), Want: color.RGBA{0x12, 0xab, 0xcd, 255}, Tol: 0,
			Make: func(t *testing.T, dir string) string {
				img := image.NewRGBA64(image.Rect(0, 0, 40, 30))
				for y := 0; y < 30; y++ {
					for x := 0; x < 40; x++ {
						img.SetRGBA64(x, y, color.RGBA64{0x1234, 0xabcd, 0xcdef, 0xffff})
					}
				}
				return WritePNG(t, dir, "deep.png", img)
			},
			Check: func(t *testing.T, path string) { wantPNGType(t, path, 16, 2) },
		},
		{
			Name: "png grey", Size: image.Pt(40, 30), Region: r(4, 4, 36, 26), Want: color.RGBA{77, 77, 77, 255}, Tol: 0,
			Make: func(t *testing.T, dir string) string {
				img := image.NewGray(image.Rect(0, 0, 40, 30))
				for i := range img.Pix {
					img.Pix[i] = 77
				}
				return WritePNG(t, dir, "grey.png", img)
			},
			Check: func(t *testing.T, path string) { wantPNGType(t, path, 8, 0) },
		},
		{
			Name: "png grey 16-bit", Size: image.Pt(40, 30), Region: r(4, 4, 36, 26), Want: color.RGBA{200, 200, 200, 255}, Tol: 0,
			Make: func(t *testing.T, dir string) string {
				img := image.NewGray16(image.Rect(0, 0, 40, 30))
				for y := 0; y < 30; y++ {
					for x := 0; x < 40; x++ {
						img.SetGray16(x, y, color.Gray16{Y: 200 * 257})
					}
				}
				return WritePNG(t, dir, "grey16.png", img)
			},
			Check: func(t *testing.T, path string) { wantPNGType(t, path, 16, 0) },
		},
		{
			Name: "png palette", Size: image.Pt(40, 30), Region: r(24, 4, 36, 26), Want: Blue, Tol: 0,
			Make: func(t *testing.T, dir string) string {
				img := image.NewPaletted(image.Rect(0, 0, 40, 30), color.Palette{Red, Blue})
				for y := 0; y < 30; y++ {
					for x := 20; x < 40; x++ {
						img.SetColorIndex(x, y, 1)
					}
				}
				return WritePNG(t, dir, "palette.png", img)
			},
			Check: func(t *testing.T, path string) { wantPNGType(t, path, 1, 3) },
		},
	}
}

// otherCases are GIF, BMP, TIFF and WebP files.
func otherCases(load Loader) []Case {
	r := image.Rect
	return []Case{
		{
			Name: "animated gif", Size: image.Pt(40, 30), Region: r(4, 4, 36, 26), Want: Blue, Tol: 0,
			Make: func(t *testing.T, dir string) string {
				pal := color.Palette{Red, Green, Blue}
				first := image.NewPaletted(image.Rect(0, 0, 40, 30), pal)
				second := image.NewPaletted(image.Rect(0, 0, 40, 30), pal)
				for i := range first.Pix {
					first.Pix[i], second.Pix[i] = 2, 1 // blue, then green
				}
				var buf bytes.Buffer
				if err := gif.EncodeAll(&buf, &gif.GIF{Image: []*image.Paletted{first, second}, Delay: []int{50, 50}}); err != nil {
					t.Fatal(err)
				}
				return WriteFile(t, dir, "anim.gif", buf.Bytes())
			},
			Check: func(t *testing.T, path string) {
				f, _ := os.Open(path)
				defer f.Close()
				g, err := gif.DecodeAll(f)
				if err != nil || len(g.Image) != 2 {
					t.Fatalf("the GIF should hold 2 frames: %v", err)
				}
			},
		},
		{
			Name: "bmp", Size: image.Pt(41, 31), Region: r(4, 4, 36, 26), Want: color.RGBA{9, 99, 199, 255}, Tol: 0,
			Make: func(t *testing.T, dir string) string {
				var buf bytes.Buffer
				if err := bmp.Encode(&buf, Solid(41, 31, color.RGBA{9, 99, 199, 255})); err != nil {
					t.Fatal(err)
				}
				return WriteFile(t, dir, "bitmap.bmp", buf.Bytes())
			},
		},
		{
			Name: "tiff", Size: image.Pt(40, 30), Region: r(4, 4, 36, 26), Want: color.RGBA{222, 111, 33, 255}, Tol: 0,
			Make: func(t *testing.T, dir string) string {
				var buf bytes.Buffer
				if err := tiff.Encode(&buf, Solid(40, 30, color.RGBA{222, 111, 33, 255}), &tiff.Options{Compression: tiff.Deflate}); err != nil {
					t.Fatal(err)
				}
				return WriteFile(t, dir, "scan.tif", buf.Bytes())
			},
		},
		{
			// Lossy VP8 pales saturated colours a little (red decodes as
			// about 239,15,14).
			Name: "webp lossy", Size: image.Pt(64, 64), Region: r(6, 6, 26, 26), Want: Red, Tol: 24,
			Make:  func(t *testing.T, dir string) string { return Testdata("sample.webp") },
			Check: func(t *testing.T, path string) { checkWebP(t, load, path, 24) },
		},
		{
			Name: "webp lossless", Size: image.Pt(64, 64), Region: r(6, 6, 26, 26), Want: Red, Tol: 0,
			Make:  func(t *testing.T, dir string) string { return Testdata("sample-lossless.webp") },
			Check: func(t *testing.T, path string) { checkWebP(t, load, path, 0) },
		},
	}
}

func FillNRGBA(img *image.NRGBA, c color.NRGBA) {
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
}

func wantPNGType(t *testing.T, path string, depth, kind byte) {
	t.Helper()
	if d, k := pngColorType(t, path); d != depth || k != kind {
		t.Errorf("%s is PNG depth %d type %d, want depth %d type %d", filepath.Base(path), d, k, depth, kind)
	}
}

// checkWebP checks the committed WebP's three regions: red top-left, green
// top-right, blue below.
func checkWebP(t *testing.T, load Loader, path string, tol float64) {
	t.Helper()
	img, err := load(path)
	if err != nil {
		t.Fatal(err)
	}
	rgba := Flatten(img)
	CheckColor(t, "webp red", rgba, image.Rect(6, 6, 26, 26), Red, tol)
	CheckColor(t, "webp green", rgba, image.Rect(38, 6, 58, 26), Green, tol)
	CheckColor(t, "webp blue", rgba, image.Rect(6, 38, 58, 58), Blue, tol)
}

// Flatten composites img over black into a new RGBA.
func Flatten(img image.Image) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), &image.Uniform{C: Black}, image.Point{}, draw.Src)
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Over)
	return out
}

// alphaCases are PNGs with transparent pixels, over a background.
func alphaCases() []Case {
	r := image.Rect
	return []Case{
		{
			Name: "png transparent", Size: image.Pt(40, 30), Region: r(4, 4, 36, 26), Want: Red, Tol: 0,
			Bg: Red,
			Make: func(t *testing.T, dir string) string {
				img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
				FillNRGBA(img, color.NRGBA{0, 255, 0, 0}) // green, but fully transparent
				return WritePNG(t, dir, "clear.png", img)
			},
			Check: func(t *testing.T, path string) { wantPNGType(t, path, 8, 6) },
		},
		{
			Name: "png half transparent", Size: image.Pt(40, 30), Region: r(4, 4, 36, 26), Want: color.RGBA{128, 128, 255, 255}, Tol: 1,
			Bg: Blue,
			Make: func(t *testing.T, dir string) string {
				img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
				FillNRGBA(img, color.NRGBA{255, 255, 255, 128}) // half white over blue
				return WritePNG(t, dir, "half.png", img)
			},
			Check: func(t *testing.T, path string) { wantPNGType(t, path, 8, 6) },
		},
	}
}
