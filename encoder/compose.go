package encoder

import (
	"image"
	"image/color"
	"math"

	"golang.org/x/image/draw"
)

// evenDown rounds a side down to an even number of at least 2: yuv420p
// stores one colour sample per 2×2 pixels, so both sides must be even.
func evenDown(n int) int {
	n &^= 1
	if n < 2 {
		return 2
	}
	return n
}

// CanvasSize is the size of the frames for an image of size img. A source
// size is the image's own, evened, and scaled down to what H.264 can carry
// when the photo is bigger; a fixed size is evened.
func CanvasSize(z Size, img image.Point) image.Point {
	if z.IsSource() {
		return sourceCanvas(img)
	}
	return image.Pt(evenDown(z.W), evenDown(z.H))
}

// H.264's largest frame (level 6.2) holds maxMacroblocks 16×16 blocks.
const maxMacroblocks = 139264

func macroblocks(w, h int) int { return ((w + 15) / 16) * ((h + 15) / 16) }

// fitsH264 reports whether a w×h canvas is within the limits of a job.
func fitsH264(w, h int) bool {
	return w <= MaxCanvasSide && h <= MaxCanvasSide && macroblocks(w, h) <= maxMacroblocks
}

// sourceCanvas evens an image's size and, for a photo too big for H.264
// (a 48-megapixel phone photo is), scales it down keeping its shape.
func sourceCanvas(img image.Point) image.Point {
	w, h := evenDown(img.X), evenDown(img.Y)
	if fitsH264(w, h) {
		return image.Pt(w, h)
	}
	fw, fh := float64(img.X), float64(img.Y)
	scale := min(MaxCanvasSide/fw, MaxCanvasSide/fh, math.Sqrt(maxMacroblocks*256/(fw*fh)))
	for {
		w, h = evenDown(int(fw*scale)), evenDown(int(fh*scale))
		if fitsH264(w, h) {
			return image.Pt(w, h)
		}
		scale *= 0.999
	}
}

// FitRects says where an image of size img lands on a canvas: the part of
// the image that is used (src) and the rectangle of the canvas it is scaled
// into (dst).
func FitRects(img, canvas image.Point, fit Fit) (src, dst image.Rectangle) {
	src = image.Rect(0, 0, img.X, img.Y)
	dst = image.Rect(0, 0, canvas.X, canvas.Y)
	if img.X <= 0 || img.Y <= 0 || fit == FitStretch {
		return src, dst
	}
	// Compare aspect ratios as cross products to stay in integers.
	imgWider := int64(img.X)*int64(canvas.Y) > int64(canvas.X)*int64(img.Y)
	switch fit {
	case FitCrop:
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
// transparent pixels show the background.
func Compose(img image.Image, canvas image.Point, fit Fit, bg color.RGBA) *image.RGBA {
	bg.A = 0xff
	out := image.NewRGBA(image.Rect(0, 0, canvas.X, canvas.Y))
	draw.Draw(out, out.Bounds(), &image.Uniform{C: bg}, image.Point{}, draw.Src)
	b := img.Bounds()
	src, dst := FitRects(b.Size(), canvas, fit)
	src = src.Add(b.Min)
	if src.Size() == dst.Size() {
		draw.Draw(out, dst, img, src.Min, draw.Over)
		return out
	}
	draw.CatmullRom.Scale(out, dst, img, src, draw.Over, nil)
	return out
}
