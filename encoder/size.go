package encoder

import (
	"fmt"
	"image"
	"strconv"
	"strings"

	"github.com/stillcast/stillcast/encoder/picture"
)

// Size is a canvas size. A zero W and H with Name "source" means the
// image's own size.
type Size struct {
	Name string // "source", "720p", … or "" for a custom WxH
	W, H int
}

// SizeSource takes the canvas size from the image after its orientation is
// applied, evened.
var SizeSource = Size{Name: "source"}

// NamedSizes lists the named canvas sizes in the order a user is offered them.
func NamedSizes() []Size {
	return []Size{
		SizeSource,
		{Name: "720p", W: 1280, H: 720},
		{Name: "1080p", W: 1920, H: 1080},
		{Name: "1440p", W: 2560, H: 1440},
		{Name: "4k", W: 3840, H: 2160},
		{Name: "vertical", W: 1080, H: 1920},
		{Name: "square", W: 1080, H: 1080},
	}
}

// IsSource reports whether the canvas follows the image's size.
func (z Size) IsSource() bool { return z.Name == "source" }

func (z Size) String() string {
	if z.Name != "" {
		return z.Name
	}
	return fmt.Sprintf("%dx%d", z.W, z.H)
}

func (z Size) validate() error {
	if z.IsSource() {
		return nil
	}
	if z.W < 2 || z.H < 2 {
		return fmt.Errorf("%dx%d is too small: each side must be at least 2 pixels", z.W, z.H)
	}
	if z.W > MaxCanvasSide || z.H > MaxCanvasSide {
		return fmt.Errorf("%dx%d is too large: each side must be at most %d pixels", z.W, z.H, MaxCanvasSide)
	}
	if !picture.FitsH264(z.W, z.H) {
		return fmt.Errorf("%dx%d is too large for H.264: at most %d megapixels, like 8192x4320", z.W, z.H, picture.MaxMacroblocks*256/1_000_000)
	}
	return nil
}

// CanvasSize is the size of the frames for an image of size img. A source
// size is the image's own, evened, and scaled down to what H.264 can carry
// when the photo is bigger; a fixed size is evened.
func CanvasSize(z Size, img image.Point) image.Point {
	if z.IsSource() {
		return picture.SourceCanvas(img)
	}
	return image.Pt(picture.Even(z.W), picture.Even(z.H))
}

// ParseSize reads "1920x1080" or a named size (see NamedSizes()), ignoring
// case. It checks the form only; Validate checks the range.
func ParseSize(text string) (Size, error) {
	t := strings.ToLower(strings.TrimSpace(text))
	for _, z := range NamedSizes() {
		if t == z.Name {
			return z, nil
		}
	}
	if t == "2160p" || t == "uhd" {
		return Size{Name: "4k", W: 3840, H: 2160}, nil
	}
	w, h, ok := strings.Cut(t, "x")
	if !ok {
		return Size{}, fmt.Errorf("%q is not a size: use WxH (like 1920x1080) or one of source, 720p, 1080p, 1440p, 4k, vertical, square", text)
	}
	wi, err1 := strconv.Atoi(w)
	hi, err2 := strconv.Atoi(h)
	if err1 != nil || err2 != nil || wi < 0 || hi < 0 {
		return Size{}, fmt.Errorf("%q is not a size: width and height must be whole numbers, like 1920x1080", text)
	}
	return Size{W: wi, H: hi}, nil
}
