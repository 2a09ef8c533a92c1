package picture

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/stillcast/stillcast/encoder/internal/imgtest"
)

// orientationNames are ImageMagick's names of the EXIF orientations 1–8.
var orientationNames = []string{"", "TopLeft", "TopRight", "BottomRight", "BottomLeft", "LeftTop", "RightTop", "RightBottom", "LeftBottom"}

func TestExifOrientationOfCommittedJPEGs(t *testing.T) {
	t.Parallel()
	identify, _ := exec.LookPath("identify")
	for o := 1; o <= 8; o++ {
		t.Run(fmt.Sprint(o), func(t *testing.T) {
			path := imgtest.Testdata(fmt.Sprintf("orient%d.jpg", o))
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := exifOrientation(data); got != o {
				t.Errorf("exifOrientation(%s) = %d, want %d", path, got, o)
			}
			// Only the first 64 KiB are peeked in Load: the same answer.
			if got := exifOrientation(data[:min(len(data), 64<<10)]); got != o {
				t.Errorf("head only: %d", got)
			}
			if identify == "" {
				return
			}
			// An independent reader agrees the files say what they should.
			out, err := exec.Command(identify, "-format", "%[orientation]", path).Output()
			if err != nil {
				t.Fatalf("identify: %v", err)
			}
			if got := strings.TrimSpace(string(out)); got != orientationNames[o] {
				t.Errorf("identify says %q, want %q", got, orientationNames[o])
			}
		})
	}
}

// tinyJPEG is a small Go-encoded JPEG without any EXIF.
func tinyJPEG(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, imgtest.Solid(8, 8, color.RGBA{10, 20, 30, 255}), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// exifOrientationCases are inputs and the orientation they must give.
func exifOrientationCases(t testing.TB) []struct {
	name string
	data []byte
	want int
} {
	plain := tinyJPEG(t)
	type tc = struct {
		name string
		data []byte
		want int
	}
	var cases []tc
	for o := 1; o <= 8; o++ {
		cases = append(cases,
			tc{fmt.Sprintf("II %d", o), imgtest.WithEXIF(plain, o, false), o},
			tc{fmt.Sprintf("MM %d", o), imgtest.WithEXIF(plain, o, true), o})
	}
	withFill := append([]byte{0xFF, 0xD8, 0xFF, 0xFF}, imgtest.WithEXIF(plain, 6, true)[2:]...)
	bad0 := imgtest.WithEXIF(plain, 0, true)
	bad9 := imgtest.WithEXIF(plain, 9, false)
	// Orientation stored as LONG instead of SHORT: refused.
	long := imgtest.WithEXIF(plain, 6, true)
	i := bytes.Index(long, []byte{0x01, 0x12, 0x00, 0x03})
	long[i+3] = 4
	// A bogus TIFF magic number.
	magic := imgtest.WithEXIF(plain, 6, false)
	j := bytes.Index(magic, []byte("II*\x00"))
	magic[j+2] = 43
	// EXIF after the start of scan is never reached.
	sos := bytes.Index(plain, []byte{0xFF, 0xDA})
	late := append(append(append([]byte{}, plain[:sos]...), []byte{0xFF, 0xDA, 0, 2}...), imgtest.EXIFSegment(6, true)...)
	// A segment length that runs past the data.
	long2 := imgtest.WithEXIF(plain, 6, true)
	binary.BigEndian.PutUint16(long2[4:], 0xFFFF)
	// An IFD offset that points outside.
	far := imgtest.WithEXIF(plain, 6, true)
	k := bytes.Index(far, []byte("MM\x00*"))
	binary.BigEndian.PutUint32(far[k+4:], 1<<31)
	cases = append(cases,
		tc{"no EXIF", plain, 1},
		tc{"fill bytes before EXIF", withFill, 6},
		tc{"orientation 0", bad0, 1},
		tc{"orientation 9", bad9, 1},
		tc{"orientation as LONG", long, 1},
		tc{"bad TIFF magic", magic, 1},
		tc{"EXIF after SOS", late, 1},
		tc{"segment past the end", long2, 1},
		tc{"IFD offset outside", far, 1},
		tc{"empty", nil, 1},
		tc{"SOI only", []byte{0xFF, 0xD8}, 1},
		tc{"PNG", imgtest.PNGWithHeader(10, 10), 1},
		tc{"truncated EXIF", imgtest.WithEXIF(plain, 6, true)[:30], 1},
		tc{"APP1 not EXIF", append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x0A}, []byte("http:abcd")...), 1},
	)
	return cases
}

func TestExifOrientation(t *testing.T) {
	t.Parallel()
	for _, tt := range exifOrientationCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			if got := exifOrientation(tt.data); got != tt.want {
				t.Errorf("exifOrientation = %d, want %d", got, tt.want)
			}
		})
	}
}

func FuzzExifOrientation(f *testing.F) {
	for _, tt := range exifOrientationCases(f) {
		f.Add(tt.data)
	}
	for o := 1; o <= 8; o++ {
		if data, err := os.ReadFile(imgtest.Testdata(fmt.Sprintf("orient%d.jpg", o))); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		keep := bytes.Clone(data)
		o := exifOrientation(data)
		if o < 1 || o > 8 {
			t.Fatalf("exifOrientation = %d, outside 1–8", o)
		}
		if !bytes.Equal(data, keep) {
			t.Fatal("exifOrientation changed its input")
		}
		// Only JPEG data can carry an orientation.
		if o != 1 && (len(data) < 2 || data[0] != 0xFF || data[1] != 0xD8) {
			t.Fatalf("orientation %d from data that is no JPEG", o)
		}
	})
}

// asymImage is a 3×2 image with six distinct colours: pixel (x, y) has the
// colour {x, y}. After orient, each pixel says where it came from.
func asymImage() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for y := 0; y < 2; y++ {
		for x := 0; x < 3; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), 99, 255})
		}
	}
	return img
}

func TestOrient(t *testing.T) {
	t.Parallel()
	// want[o] is the upright image as rows of source coordinates "xy",
	// written out by hand from the EXIF definitions (where row 0 and
	// column 0 of the stored image belong):
	//
	//	source  00 10 20
	//	        01 11 21
	want := map[int][]string{
		1: {"00 10 20", "01 11 21"},
		2: {"20 10 00", "21 11 01"},    // mirrored left–right
		3: {"21 11 01", "20 10 00"},    // turned 180°
		4: {"01 11 21", "00 10 20"},    // mirrored top–bottom
		5: {"00 01", "10 11", "20 21"}, // transposed
		6: {"01 00", "11 10", "21 20"}, // turned 90° clockwise
		7: {"21 20", "11 10", "01 00"}, // transverse
		8: {"20 21", "10 11", "00 01"}, // turned 90° counter-clockwise
	}
	for o := 0; o <= 9; o++ {
		t.Run(fmt.Sprint(o), func(t *testing.T) {
			rows, ok := want[o]
			if !ok {
				rows = want[1] // 0 and 9 are not orientations: unchanged
			}
			out := orient(asymImage(), o)
			b := out.Bounds()
			var got []string
			for y := b.Min.Y; y < b.Max.Y; y++ {
				var cells []string
				for x := b.Min.X; x < b.Max.X; x++ {
					r, g, bb, a := out.At(x, y).RGBA()
					if bb>>8 != 99 || a != 0xffff {
						t.Fatalf("pixel %d,%d is %v: not from the source", x, y, out.At(x, y))
					}
					cells = append(cells, fmt.Sprintf("%d%d", r>>8, g>>8))
				}
				got = append(got, strings.Join(cells, " "))
			}
			if strings.Join(got, " / ") != strings.Join(rows, " / ") {
				t.Errorf("orient(%d):\n got %q\nwant %q", o, got, rows)
			}
			// orientPoint agrees with orient, and is a bijection.
			seen := map[image.Point]bool{}
			for y := 0; y < 2; y++ {
				for x := 0; x < 3; x++ {
					dx, dy := orientPoint(o, x, y, 3, 2)
					p := image.Pt(dx, dy)
					if !p.In(b) || seen[p] {
						t.Fatalf("orientPoint(%d, %d, %d) = %v: outside %v or taken twice", o, x, y, p, b)
					}
					seen[p] = true
					if c := out.At(dx, dy).(color.RGBA); c.R != uint8(x) || c.G != uint8(y) {
						t.Errorf("orientPoint(%d, %d, %d) = %v, but orient put %v there", o, x, y, p, c)
					}
				}
			}
		})
	}
}

func TestOrientOffsetAndPaletted(t *testing.T) {
	t.Parallel()
	// A sub-image with bounds away from 0,0 and a paletted image orient by
	// their own pixels.
	big := image.NewRGBA(image.Rect(0, 0, 10, 10))
	src := asymImage()
	for y := 0; y < 2; y++ {
		for x := 0; x < 3; x++ {
			big.SetRGBA(5+x, 7+y, src.RGBAAt(x, y))
		}
	}
	sub := big.SubImage(image.Rect(5, 7, 8, 9))
	out := orient(sub, 6)
	if out.Bounds() != image.Rect(0, 0, 2, 3) {
		t.Fatalf("bounds %v", out.Bounds())
	}
	if c := out.At(1, 0).(color.RGBA); c.R != 0 || c.G != 0 || c.B != 99 {
		t.Errorf("top-right after orientation 6 = %v, want the source's top-left", c)
	}
	pal := image.NewPaletted(image.Rect(0, 0, 2, 1), color.Palette{color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}})
	pal.SetColorIndex(1, 0, 1)
	out = orient(pal, 3)
	if c := out.At(0, 0).(color.RGBA); c != (color.RGBA{0, 0, 255, 255}) {
		t.Errorf("paletted turned 180°: left pixel %v, want blue", c)
	}
}

// TestLoadImageOrientationMatchesImageMagick loads every committed
// orientation JPEG and compares the upright result, quadrant by quadrant,
// with ImageMagick's -auto-orient.
func TestLoadImageOrientationMatchesImageMagick(t *testing.T) {
	t.Parallel()
	convert, err := exec.LookPath("convert")
	if err != nil {
		t.Skip("ImageMagick convert is not installed")
	}
	for o := 1; o <= 8; o++ {
		t.Run(fmt.Sprint(o), func(t *testing.T) {
			path := imgtest.Testdata(fmt.Sprintf("orient%d.jpg", o))
			img, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(convert, path, "-auto-orient", "-depth", "8", "rgb:-").Output()
			if err != nil {
				t.Fatalf("convert: %v", err)
			}
			size, err := Size(path)
			if err != nil {
				t.Fatal(err)
			}
			b := img.Bounds()
			if b.Size() != size {
				t.Errorf("Size = %v, Load gives %v", size, b.Size())
			}
			wantSize := image.Pt(60, 40)
			if o >= 5 {
				wantSize = image.Pt(40, 60)
			}
			if b.Size() != wantSize || len(out) != 3*wantSize.X*wantSize.Y {
				t.Fatalf("size %v (ImageMagick %d bytes), want %v", b.Size(), len(out), wantSize)
			}
			// Compare the centres of the four quadrants.
			for _, q := range []image.Point{{1, 1}, {3, 1}, {1, 3}, {3, 3}} {
				x, y := q.X*wantSize.X/4, q.Y*wantSize.Y/4
				r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				i := 3 * (y*wantSize.X + x)
				im := [3]int{int(out[i]), int(out[i+1]), int(out[i+2])}
				ours := [3]int{int(r >> 8), int(g >> 8), int(bl >> 8)}
				for k := 0; k < 3; k++ {
					if d := ours[k] - im[k]; d > 24 || d < -24 {
						t.Errorf("pixel %d,%d: ours %v, ImageMagick %v", x, y, ours, im)
						break
					}
				}
			}
		})
	}
}

// TestOrientMakesOneCopy: turning a photo upright allocates the upright
// image and little more, whatever the photo's size, and in the photo's
// own format: a 4:2:0 JPEG's copy is 1.5 bytes a pixel, not 4 of RGBA.
func TestOrientMakesOneCopy(t *testing.T) {
	src := image.NewYCbCr(image.Rect(0, 0, 1200, 900), image.YCbCrSubsampleRatio420)
	for o := 2; o <= 8; o++ {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		out := orient(src, o)
		runtime.ReadMemStats(&after)
		copyBytes := uint64(1200*900 + 2*600*450)
		if got := after.TotalAlloc - before.TotalAlloc; got > copyBytes+copyBytes/10 {
			t.Errorf("orient(%d) allocated %d bytes, want at most one upright 4:2:0 copy (%d) and a tenth more", o, got, copyBytes)
		}
		if out.Bounds().Dx()*out.Bounds().Dy() != 1200*900 {
			t.Errorf("orient(%d) is %v", o, out.Bounds())
		}
	}
}

// TestOrientPlanesMatchRGBA: turning a JPEG's planes, or a grey image's,
// gives the same pixels as turning its RGBA conversion, for every
// orientation and subsampling; with odd sides the luma still matches.
func TestOrientPlanesMatchRGBA(t *testing.T) {
	t.Parallel()
	ratios := map[string]image.YCbCrSubsampleRatio{"444": image.YCbCrSubsampleRatio444, "422": image.YCbCrSubsampleRatio422,
		"420": image.YCbCrSubsampleRatio420, "440": image.YCbCrSubsampleRatio440}
	for name, ratio := range ratios {
		for _, size := range []image.Point{{6, 4}, {7, 5}} {
			src := image.NewYCbCr(image.Rect(0, 0, size.X, size.Y), ratio)
			for i := range src.Y {
				src.Y[i] = byte(i * 37)
			}
			for i := range src.Cb {
				src.Cb[i], src.Cr[i] = byte(40+i*23), byte(200-i*19)
			}
			even := size.X%2 == 0 && size.Y%2 == 0
			for o := 2; o <= 8; o++ {
				got, ok := orient(src, o).(*image.YCbCr)
				if !ok {
					t.Fatalf("%s %v orientation %d: not YCbCr", name, size, o)
				}
				want := orientRGBA(src, o)
				if got.Bounds() != want.Bounds() {
					t.Fatalf("%s %v orientation %d: bounds %v, want %v", name, size, o, got.Bounds(), want.Bounds())
				}
				wantY := orientRGBA(&image.Gray{Pix: src.Y, Stride: src.YStride, Rect: src.Rect}, o).(*image.RGBA)
				for y := range want.Bounds().Dy() {
					for x := range want.Bounds().Dx() {
						if g := got.Y[got.YOffset(x, y)]; g != wantY.Pix[wantY.PixOffset(x, y)] {
							t.Fatalf("%s %v orientation %d: luma at %d,%d is %d, want %d", name, size, o, x, y, g, wantY.Pix[wantY.PixOffset(x, y)])
						}
						if even && color.RGBAModel.Convert(got.At(x, y)) != want.At(x, y) {
							t.Fatalf("%s %v orientation %d: pixel %d,%d is %v, want %v", name, size, o, x, y, got.At(x, y), want.At(x, y))
						}
					}
				}
			}
		}
	}
	gray := image.NewGray(image.Rect(0, 0, 5, 3))
	for i := range gray.Pix {
		gray.Pix[i] = byte(i * 11)
	}
	for o := 2; o <= 8; o++ {
		got, ok := orient(gray, o).(*image.Gray)
		if !ok {
			t.Fatalf("grey orientation %d: not grey", o)
		}
		want := orientRGBA(gray, o)
		for y := range want.Bounds().Dy() {
			for x := range want.Bounds().Dx() {
				if color.RGBAModel.Convert(got.At(x, y)) != want.At(x, y) {
					t.Fatalf("grey orientation %d: pixel %d,%d is %v, want %v", o, x, y, got.At(x, y), want.At(x, y))
				}
			}
		}
	}
	// 4:1:1 has no turned form: it is turned as RGBA.
	if _, ok := orient(image.NewYCbCr(image.Rect(0, 0, 8, 4), image.YCbCrSubsampleRatio411), 6).(*image.RGBA); !ok {
		t.Error("4:1:1 turned by a quarter is not RGBA")
	}
}
