package picture

import (
	"bytes"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stillcast/stillcast/encoder/internal/imgtest"
)

// TestLoadFormats loads every supported format and checks its size, its
// header's size and its colour composited over the background.
func TestLoadFormats(t *testing.T) {
	t.Parallel()
	for _, tc := range imgtest.Cases(Load) {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			path := tc.Make(t, t.TempDir())
			if tc.Check != nil {
				tc.Check(t, path)
			}
			img, err := Load(path)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if img.Bounds().Size() != tc.Size {
				t.Fatalf("size %v, want %v", img.Bounds().Size(), tc.Size)
			}
			if size, err := Size(path); err != nil || size != tc.Size {
				t.Errorf("Size = %v, %v; want %v", size, err, tc.Size)
			}
			bg := tc.Bg
			if bg == (color.RGBA{}) {
				bg = imgtest.Black
			}
			loaded := Compose(img, img.Bounds().Size(), Stretch, bg)
			imgtest.CheckColor(t, "loaded", loaded, tc.Region, tc.Want, tc.Tol)
		})
	}
}

func TestLoadImageErrors(t *testing.T) {
	t.Parallel()
	var goodJPEG bytes.Buffer
	if err := jpeg.Encode(&goodJPEG, imgtest.Solid(64, 64, color.RGBA{1, 2, 3, 255}), nil); err != nil {
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
		{"zero bytes", func(dir string) string { return imgtest.WriteFile(t, dir, "empty.jpg", nil) }, []string{"empty.jpg", "empty"}},
		{"text named .png", func(dir string) string {
			return imgtest.WriteFile(t, dir, "notes.png", []byte("these are my notes, not a picture\n"))
		}, []string{"notes.png", "not a supported image", "JPEG, PNG, GIF, BMP, TIFF or WebP"}},
		{"truncated jpeg", func(dir string) string {
			b := goodJPEG.Bytes()
			return imgtest.WriteFile(t, dir, "cut.jpg", b[:len(b)/2])
		}, []string{"cut.jpg", "truncated"}},
		{"jpeg header only", func(dir string) string {
			b := goodJPEG.Bytes()
			return imgtest.WriteFile(t, dir, "stub.jpg", b[:20])
		}, []string{"stub.jpg"}},
		{"huge png header", func(dir string) string {
			return imgtest.WriteFile(t, dir, "bomb.png", imgtest.PNGWithHeader(100000, 100000))
		}, []string{"bomb.png", "100000x100000", "megapixels", "limit"}},
		{"png claiming 0x0", func(dir string) string {
			return imgtest.WriteFile(t, dir, "zero.png", imgtest.PNGWithHeader(0, 0))
		}, []string{"zero.png"}},
		{"png header without pixels", func(dir string) string {
			return imgtest.WriteFile(t, dir, "hollow.png", imgtest.PNGWithHeader(20, 20))
		}, []string{"hollow.png"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := tt.make(t.TempDir())
			img, err := Load(path)
			if err == nil {
				t.Fatalf("Load gave a %v image, want an error", img.Bounds())
			}
			checkImageError(t, err, tt.msgParts)
		})
	}
}

func checkImageError(t *testing.T, err error, parts []string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("message %q lacks %q", err.Error(), p)
		}
	}
}
