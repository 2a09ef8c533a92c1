package picture

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	// The decoders register themselves with package image.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// Formats names the image formats Load reads, for messages.
const Formats = "JPEG, PNG, GIF, BMP, TIFF or WebP"

// MaxPixels refuses images whose header claims more pixels than this
// before a single pixel is decoded: a 14 KB PNG can claim 100000×100000
// and would need 40 GB to decode.
const MaxPixels = 100_000_000

// LoadError is why Load refused a file: its name, and what is wrong
// with it as a pattern and its values. The pattern is a stable ID a
// window can translate the message by.
type LoadError struct {
	Name   string
	Format string
	Args   []any
}

func (e *LoadError) Error() string { return e.Name + ": " + fmt.Sprintf(e.Format, e.Args...) }

// Load decodes the image at path, refuses one whose header claims more
// than MaxPixels before decoding it, and applies its EXIF orientation.
// Every error names the file and says what is wrong with it, in words
// fit to show.
func Load(path string) (image.Image, error) {
	name := filepath.Base(path)
	bad := func(format string, args ...any) error {
		return &LoadError{Name: name, Format: format, Args: args}
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, bad("no such file")
		}
		if errors.Is(err, fs.ErrPermission) {
			return nil, bad("permission denied")
		}
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, bad("is a folder, not an image")
	}
	if info.Size() == 0 {
		return nil, bad("the file is empty")
	}

	br := bufio.NewReaderSize(f, 64<<10)
	// The EXIF block sits near the start of a JPEG; peek keeps it without
	// reading the file twice.
	head, _ := br.Peek(64 << 10)
	orientation := exifOrientation(bytes.Clone(head))

	cfg, format, err := image.DecodeConfig(br)
	if err != nil {
		switch {
		case errors.Is(err, image.ErrFormat):
			return nil, bad("not a supported image (use %s)", Formats)
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			return nil, bad("the %s file is truncated", format)
		}
		return nil, bad("cannot read the image header: %v", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, bad("the image claims a size of %dx%d", cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > MaxPixels {
		return nil, bad("%dx%d is %d megapixels; the limit is %d megapixels", cfg.Width, cfg.Height, px/1_000_000, MaxPixels/1_000_000)
	}

	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bufio.NewReaderSize(f, 64<<10))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, bad("the %s file is truncated", format)
		}
		return nil, bad("the %s file is corrupt: %v", format, err)
	}
	return orient(img, orientation), nil
}

// ErrTooLarge says an image's header claims more than MaxPixels.
var ErrTooLarge = errors.New("the image has more pixels than Stillcast takes")

// tooLarge is ErrTooLarge for an image of w×h, in words that say how large.
type tooLarge struct{ w, h int }

func (e tooLarge) Error() string {
	return fmt.Sprintf("%dx%d is %d megapixels; the limit is %d megapixels", e.w, e.h, int64(e.w)*int64(e.h)/1_000_000, MaxPixels/1_000_000)
}
func (e tooLarge) Unwrap() error { return ErrTooLarge }

// Size returns the size of the image at path after its EXIF
// orientation, reading only its header. An image over MaxPixels is an
// error wrapping ErrTooLarge, as Load would refuse it.
func Size(path string) (image.Point, error) {
	f, err := os.Open(path)
	if err != nil {
		return image.Point{}, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	head, _ := br.Peek(64 << 10)
	o := exifOrientation(bytes.Clone(head))
	cfg, _, err := image.DecodeConfig(br)
	if err != nil {
		return image.Point{}, err
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > MaxPixels {
		return image.Point{}, tooLarge{cfg.Width, cfg.Height}
	}
	if o >= 5 {
		return image.Pt(cfg.Height, cfg.Width), nil
	}
	return image.Pt(cfg.Width, cfg.Height), nil
}
