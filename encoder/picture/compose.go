package picture

import (
	"image"
	"image/color"
	"math"

	"golang.org/x/image/draw"
)

// Fit says how an image is laid onto a canvas of another shape.
type Fit string

const (
	// Letterbox shows the whole image and fills the bars with the background.
	Letterbox Fit = "letterbox"
	// Crop fills the whole canvas and cuts what overflows.
	Crop Fit = "crop"
	// Stretch fills the canvas and distorts the image to do so.
	Stretch Fit = "stretch"
	// Blur shows the whole image as Letterbox does, and fills the bars
	// with a blurred, darkened copy of it scaled to fill the canvas.
	Blur Fit = "blur"
)

// Even rounds a side down to an even number of at least 2: yuv420p
// stores one colour sample per 2×2 pixels, so both sides must be even.
func Even(n int) int {
	n &^= 1
	if n < 2 {
		return 2
	}
	return n
}

// MaxSide is the longest side of a canvas, in pixels.
const MaxSide = 8192

// MaxMacroblocks is how many 16×16 blocks H.264's largest frame (level
// 6.2) holds.
const MaxMacroblocks = 139264

func macroblocks(w, h int) int { return ((w + 15) / 16) * ((h + 15) / 16) }

// FitsH264 reports whether a w×h canvas is within MaxSide and what H.264
// can carry.
func FitsH264(w, h int) bool {
	return w <= MaxSide && h <= MaxSide && macroblocks(w, h) <= MaxMacroblocks
}

// SourceCanvas is the canvas that takes an image's own size: evened and,
// for a photo too big for H.264 (a 48-megapixel phone photo is), scaled
// down keeping its shape.
func SourceCanvas(img image.Point) image.Point {
	w, h := Even(img.X), Even(img.Y)
	if FitsH264(w, h) {
		return image.Pt(w, h)
	}
	fw, fh := float64(img.X), float64(img.Y)
	scale := min(MaxSide/fw, MaxSide/fh, math.Sqrt(MaxMacroblocks*256/(fw*fh)))
	for {
		w, h = Even(int(fw*scale)), Even(int(fh*scale))
		if FitsH264(w, h) {
			return image.Pt(w, h)
		}
		scale *= 0.999
	}
}

// FitRects says where an image of size img lands on a canvas: the part of
// the image that is used (src) and the rectangle of the canvas it is scaled
// into (dst). Blur places the image exactly as Letterbox does.
func FitRects(img, canvas image.Point, fit Fit) (src, dst image.Rectangle) {
	src = image.Rect(0, 0, img.X, img.Y)
	dst = image.Rect(0, 0, canvas.X, canvas.Y)
	if img.X <= 0 || img.Y <= 0 || fit == Stretch {
		return src, dst
	}
	// Compare aspect ratios as cross products to stay in integers.
	imgWider := int64(img.X)*int64(canvas.Y) > int64(canvas.X)*int64(img.Y)
	switch fit {
	case Crop:
		if imgWider { // cut the sides
			w := max(1, int((int64(img.Y)*int64(canvas.X)+int64(canvas.Y)/2)/int64(canvas.Y)))
			x := (img.X - w) / 2
			src = image.Rect(x, 0, x+w, img.Y)
		} else { // cut top and bottom
			h := max(1, int((int64(img.X)*int64(canvas.Y)+int64(canvas.X)/2)/int64(canvas.X)))
			y := (img.Y - h) / 2
			src = image.Rect(0, y, img.X, y+h)
		}
	default: // letterbox
		if imgWider { // bars above and below
			h := max(1, int((int64(canvas.X)*int64(img.Y)+int64(img.X)/2)/int64(img.X)))
			y := (canvas.Y - h) / 2
			dst = image.Rect(0, y, canvas.X, y+h)
		} else { // bars left and right
			w := max(1, int((int64(canvas.Y)*int64(img.X)+int64(img.Y)/2)/int64(img.Y)))
			x := (canvas.X - w) / 2
			dst = image.Rect(x, 0, x+w, canvas.Y)
		}
	}
	return src, dst
}

// Compose lays img onto a canvas of the given size: the background colour
// first, then the image scaled with Catmull-Rom and composited over it, so
// transparent pixels show the background. With Blur the bars show the
// blurred fill (see drawBlurredFill) instead of the background; where the
// image lands, the canvas is the same as Letterbox's.
func Compose(img image.Image, canvas image.Point, fit Fit, bg color.RGBA) *image.RGBA {
	bg.A = 0xff
	out := image.NewRGBA(image.Rect(0, 0, canvas.X, canvas.Y))
	draw.Draw(out, out.Bounds(), &image.Uniform{C: bg}, image.Point{}, draw.Src)
	b := img.Bounds()
	src, dst := FitRects(b.Size(), canvas, fit)
	src = src.Add(b.Min)
	img, src = shrinkFor(img, src, dst.Size())
	if src.Size() == dst.Size() {
		draw.Draw(out, dst, img, src.Min, draw.Over)
	} else {
		draw.CatmullRom.Scale(out, dst, img, src, draw.Over, nil)
	}
	if fit == Blur {
		drawBlurredFill(out, dst, bars(out.Bounds(), dst)...)
	}
	return out
}
