package encoder

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
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

// imageCase is one image file, what it must look like, and a region to
// sample.
type imageCase struct {
	name   string
	make   func(t *testing.T, dir string) string
	size   image.Point
	region image.Rectangle // where to measure, in the loaded image
	want   color.RGBA      // its colour, composited over bg
	tol    float64
	bg     color.RGBA
	check  func(t *testing.T, path string) // a check of the file itself
}

var (
	tRed   = color.RGBA{255, 0, 0, 255}
	tGreen = color.RGBA{0, 255, 0, 255}
	tBlue  = color.RGBA{0, 0, 255, 255}
	tBlack = color.RGBA{0, 0, 0, 255}
)

func imageCases() []imageCase {
	r := image.Rect
	return []imageCase{
		{
			name: "jpeg", size: image.Pt(64, 48), region: r(8, 8, 56, 40), want: color.RGBA{30, 144, 255, 255}, tol: 4,
			make: func(t *testing.T, dir string) string {
				return writeJPEG(t, dir, "photo.jpg", solidImage(64, 48, color.RGBA{30, 144, 255, 255}))
			},
		},
		{
			name: "cmyk jpeg", size: image.Pt(96, 32), region: r(40, 8, 56, 24), want: color.RGBA{128, 128, 128, 255}, tol: 10,
			make: func(t *testing.T, dir string) string { return repoTestdata("cmyk.jpg") },
			check: func(t *testing.T, path string) {
				img, err := LoadImage(path)
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := img.(*image.CMYK); !ok {
					t.Errorf("decoded as %T, want *image.CMYK", img)
				}
				checkColor(t, "cmyk red third", flattenImage(img), r(6, 6, 26, 26), tRed, 10)
				checkColor(t, "cmyk blue third", flattenImage(img), r(70, 6, 90, 26), tBlue, 10)
				if id, err := exec.LookPath("identify"); err == nil {
					out, err := exec.Command(id, "-format", "%[colorspace]", path).Output()
					if err != nil || strings.TrimSpace(string(out)) != "CMYK" {
						t.Errorf("identify says %q, %v; want CMYK", out, err)
					}
				}
			},
		},
		{
			name: "png rgb 8-bit", size: image.Pt(40, 30), region: r(4, 4, 36, 26), want: color.RGBA{250, 128, 7, 255}, tol: 0,
			make: func(t *testing.T, dir string) string {
				img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
				fillNRGBA(img, color.NRGBA{250, 128, 7, 255})
				return writePNG(t, dir, "rgb.png", img)
			},
			check: func(t *testing.T, path string) { wantPNGType(t, path, 8, 2) },
		},
		{
			name: "png 16-bit", size: image.Pt(40, 30), region: r(4, 4, 36, 26), want: color.RGBA{0x12, 0xab, 0xcd, 255}, tol: 0,
			make: func(t *testing.T, dir string) string {
				img := image.NewRGBA64(image.Rect(0, 0, 40, 30))
				for y := 0; y < 30; y++ {
					for x := 0; x < 40; x++ {
						img.SetRGBA64(x, y, color.RGBA64{0x1234, 0xabcd, 0xcdef, 0xffff})
					}
				}
				return writePNG(t, dir, "deep.png", img)
			},
			check: func(t *testing.T, path string) { wantPNGType(t, path, 16, 2) },
		},
		{
			name: "png grey", size: image.Pt(40, 30), region: r(4, 4, 36, 26), want: color.RGBA{77, 77, 77, 255}, tol: 0,
			make: func(t *testing.T, dir string) string {
				img := image.NewGray(image.Rect(0, 0, 40, 30))
				for i := range img.Pix {
					img.Pix[i] = 77
				}
				return writePNG(t, dir, "grey.png", img)
			},
			check: func(t *testing.T, path string) { wantPNGType(t, path, 8, 0) },
		},
		{
			name: "png grey 16-bit", size: image.Pt(40, 30), region: r(4, 4, 36, 26), want: color.RGBA{200, 200, 200, 255}, tol: 0,
			make: func(t *testing.T, dir string) string {
				img := image.NewGray16(image.Rect(0, 0, 40, 30))
				for y := 0; y < 30; y++ {
					for x := 0; x < 40; x++ {
						img.SetGray16(x, y, color.Gray16{Y: 200 * 257})
					}
				}
				return writePNG(t, dir, "grey16.png", img)
			},
			check: func(t *testing.T, path string) { wantPNGType(t, path, 16, 0) },
		},
		{
			name: "png palette", size: image.Pt(40, 30), region: r(24, 4, 36, 26), want: tBlue, tol: 0,
			make: func(t *testing.T, dir string) string {
				img := image.NewPaletted(image.Rect(0, 0, 40, 30), color.Palette{tRed, tBlue})
				for y := 0; y < 30; y++ {
					for x := 20; x < 40; x++ {
						img.SetColorIndex(x, y, 1)
					}
				}
				return writePNG(t, dir, "palette.png", img)
			},
			check: func(t *testing.T, path string) { wantPNGType(t, path, 1, 3) },
		},
		{
			name: "png transparent", size: image.Pt(40, 30), region: r(4, 4, 36, 26), want: tRed, tol: 0,
			bg: tRed,
			make: func(t *testing.T, dir string) string {
				img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
				fillNRGBA(img, color.NRGBA{0, 255, 0, 0}) // green, but fully transparent
				return writePNG(t, dir, "clear.png", img)
			},
			check: func(t *testing.T, path string) { wantPNGType(t, path, 8, 6) },
		},
		{
			name: "png half transparent", size: image.Pt(40, 30), region: r(4, 4, 36, 26), want: color.RGBA{128, 128, 255, 255}, tol: 1,
			bg: tBlue,
			make: func(t *testing.T, dir string) string {
				img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
				fillNRGBA(img, color.NRGBA{255, 255, 255, 128}) // half white over blue
				return writePNG(t, dir, "half.png", img)
			},
			check: func(t *testing.T, path string) { wantPNGType(t, path, 8, 6) },
		},
		{
			name: "animated gif", size: image.Pt(40, 30), region: r(4, 4, 36, 26), want: tBlue, tol: 0,
			make: func(t *testing.T, dir string) string {
				pal := color.Palette{tRed, tGreen, tBlue}
				first := image.NewPaletted(image.Rect(0, 0, 40, 30), pal)
				second := image.NewPaletted(image.Rect(0, 0, 40, 30), pal)
				for i := range first.Pix {
					first.Pix[i], second.Pix[i] = 2, 1 // blue, then green
				}
				var buf bytes.Buffer
				if err := gif.EncodeAll(&buf, &gif.GIF{Image: []*image.Paletted{first, second}, Delay: []int{50, 50}}); err != nil {
					t.Fatal(err)
				}
				return writeTestFile(t, dir, "anim.gif", buf.Bytes())
			},
			check: func(t *testing.T, path string) {
				f, _ := os.Open(path)
				defer f.Close()
				g, err := gif.DecodeAll(f)
				if err != nil || len(g.Image) != 2 {
					t.Fatalf("the GIF should hold 2 frames: %v", err)
				}
			},
		},
		{
			name: "bmp", size: image.Pt(41, 31), region: r(4, 4, 36, 26), want: color.RGBA{9, 99, 199, 255}, tol: 0,
			make: func(t *testing.T, dir string) string {
				var buf bytes.Buffer
				if err := bmp.Encode(&buf, solidImage(41, 31, color.RGBA{9, 99, 199, 255})); err != nil {
					t.Fatal(err)
				}
				return writeTestFile(t, dir, "bitmap.bmp", buf.Bytes())
			},
		},
		{
			name: "tiff", size: image.Pt(40, 30), region: r(4, 4, 36, 26), want: color.RGBA{222, 111, 33, 255}, tol: 0,
			make: func(t *testing.T, dir string) string {
				var buf bytes.Buffer
				if err := tiff.Encode(&buf, solidImage(40, 30, color.RGBA{222, 111, 33, 255}), &tiff.Options{Compression: tiff.Deflate}); err != nil {
					t.Fatal(err)
				}
				return writeTestFile(t, dir, "scan.tif", buf.Bytes())
			},
		},
		{
			// Lossy VP8 pales saturated colours a little (red decodes as
			// about 239,15,14).
			name: "webp lossy", size: image.Pt(64, 64), region: r(6, 6, 26, 26), want: tRed, tol: 24,
			make:  func(t *testing.T, dir string) string { return repoTestdata("sample.webp") },
			check: func(t *testing.T, path string) { checkWebP(t, path, 24) },
		},
		{
			name: "webp lossless", size: image.Pt(64, 64), region: r(6, 6, 26, 26), want: tRed, tol: 0,
			make:  func(t *testing.T, dir string) string { return repoTestdata("sample-lossless.webp") },
			check: func(t *testing.T, path string) { checkWebP(t, path, 0) },
		},
	}
}

func fillNRGBA(img *image.NRGBA, c color.NRGBA) {
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
func checkWebP(t *testing.T, path string, tol float64) {
	t.Helper()
	img, err := LoadImage(path)
	if err != nil {
		t.Fatal(err)
	}
	rgba := flattenImage(img)
	checkColor(t, "webp red", rgba, image.Rect(6, 6, 26, 26), tRed, tol)
	checkColor(t, "webp green", rgba, image.Rect(38, 6, 58, 26), tGreen, tol)
	checkColor(t, "webp blue", rgba, image.Rect(6, 38, 58, 58), tBlue, tol)
}

// flattenImage composites img over black into a new RGBA.
func flattenImage(img image.Image) *image.RGBA {
	b := img.Bounds()
	return Compose(img, b.Size(), FitStretch, tBlack)
}

// TestLoadImageFormats loads every supported format and renders each to a
// tiny mp4 that is decoded back to check the colour.
func TestLoadImageFormats(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	for _, tc := range imageCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := tc.make(t, dir)
			if tc.check != nil {
				tc.check(t, path)
			}
			img, err := LoadImage(path)
			if err != nil {
				t.Fatalf("LoadImage: %v", err)
			}
			if img.Bounds().Size() != tc.size {
				t.Fatalf("size %v, want %v", img.Bounds().Size(), tc.size)
			}
			if size, err := ImageSize(path); err != nil || size != tc.size {
				t.Errorf("ImageSize = %v, %v; want %v", size, err, tc.size)
			}
			bg := tc.bg
			if bg == (color.RGBA{}) {
				bg = tBlack
			}
			loaded := Compose(img, img.Bounds().Size(), FitStretch, bg)
			checkColor(t, "loaded", loaded, tc.region, tc.want, tc.tol)

			// The whole way through ffmpeg and back.
			out := filepath.Join(t.TempDir(), "out.mp4")
			s := testSettings(path, out)
			s.Background = bg
			renderOK(t, s)
			st := ffprobeJSON(t, out, false).video(t)
			even := CanvasSize(SizeSource, tc.size)
			if st.Width != even.X || st.Height != even.Y {
				t.Errorf("video is %dx%d, want %v", st.Width, st.Height, even)
			}
			frame := decodeFrame(t, out, 0)
			// The probe region shrinks by the evening of odd sides and by a
			// chroma block at its edges.
			checkColor(t, "decoded", frame, insetRect(tc.region, 2), tc.want, tc.tol+6)
		})
	}
}

func TestLoadImageErrors(t *testing.T) {
	t.Parallel()
	var goodJPEG bytes.Buffer
	if err := jpeg.Encode(&goodJPEG, solidImage(64, 64, color.RGBA{1, 2, 3, 255}), nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		make     func(dir string) string
		msgParts []string
	}{
		{"missing", func(dir string) string { return filepath.Join(dir, "nope.jpg") }, []string{"nope.jpg", "no such file"}},
		{"directory", func(dir string) string {
			p := filepath.Join(dir, "photos.png")
			os.Mkdir(p, 0o755)
			return p
		}, []string{"photos.png", "folder"}},
		{"zero bytes", func(dir string) string { return writeTestFile(t, dir, "empty.jpg", nil) }, []string{"empty.jpg", "empty"}},
		{"text named .png", func(dir string) string {
			return writeTestFile(t, dir, "notes.png", []byte("these are my notes, not a picture\n"))
		}, []string{"notes.png", "not a supported image", "JPEG, PNG, GIF, BMP, TIFF or WebP"}},
		{"truncated jpeg", func(dir string) string {
			b := goodJPEG.Bytes()
			return writeTestFile(t, dir, "cut.jpg", b[:len(b)/2])
		}, []string{"cut.jpg", "truncated"}},
		{"jpeg header only", func(dir string) string {
			b := goodJPEG.Bytes()
			return writeTestFile(t, dir, "stub.jpg", b[:20])
		}, []string{"stub.jpg"}},
		{"huge png header", func(dir string) string {
			return writeTestFile(t, dir, "bomb.png", pngWithHeader(100000, 100000))
		}, []string{"bomb.png", "100000x100000", "megapixels", "limit"}},
		{"png claiming 0x0", func(dir string) string {
			return writeTestFile(t, dir, "zero.png", pngWithHeader(0, 0))
		}, []string{"zero.png"}},
		{"png header without pixels", func(dir string) string {
			return writeTestFile(t, dir, "hollow.png", pngWithHeader(20, 20))
		}, []string{"hollow.png"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := tt.make(t.TempDir())
			img, err := LoadImage(path)
			if err == nil {
				t.Fatalf("LoadImage gave a %v image, want an error", img.Bounds())
			}
			checkImageFieldError(t, err, tt.msgParts)
		})
	}
}

func checkImageFieldError(t *testing.T, err error, parts []string) {
	t.Helper()
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "image" {
		t.Fatalf("error %v (%T) is not a FieldError for image", err, err)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("message %q lacks %q", err.Error(), p)
		}
	}
}

// TestStartRefusesBadImages runs the bad images through Start: each gives
// a FieldError on "image" and leaves nothing in the output folder.
func TestStartRefusesBadImages(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	var goodJPEG bytes.Buffer
	jpeg.Encode(&goodJPEG, solidImage(64, 64, color.RGBA{1, 2, 3, 255}), nil)
	tests := []struct {
		name string
		data []byte // nil with dir: a directory
		dir  bool
		gone bool
		part string
	}{
		{name: "zero bytes", data: []byte{}, part: "empty"},
		{name: "text as png", data: []byte("hello"), part: "not a supported image"},
		{name: "truncated jpeg", data: goodJPEG.Bytes()[:goodJPEG.Len()/2], part: "truncated"},
		{name: "huge png", data: pngWithHeader(100000, 100000), part: "megapixels"},
		{name: "directory", dir: true, part: "folder"},
		{name: "missing", gone: true, part: "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in, outDir := t.TempDir(), t.TempDir()
			path := filepath.Join(in, "picture.png")
			switch {
			case tt.dir:
				os.Mkdir(path, 0o755)
			case !tt.gone:
				writeTestFile(t, in, "picture.png", tt.data)
			}
			j, err := Start(context.Background(), testSettings(path, filepath.Join(outDir, "v.mp4")))
			if err == nil {
				j.Cancel()
				j.Wait()
				t.Fatal("Start accepted a bad image")
			}
			checkImageFieldError(t, err, []string{"picture.png", tt.part})
			checkDirHolds(t, outDir)
		})
	}
}
