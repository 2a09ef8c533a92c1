package ui

import (
	"image"

	"golang.org/x/image/draw"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/encoder/picture"
)

// Preview sizes, in pixels of the long side.
const (
	// thumbMaxSide bounds the copy of the image kept for previews. The
	// full image is decoded again by the encoder when a job starts.
	thumbMaxSide = 2400
	// previewMaxSide bounds the composed preview: sharp on a large screen,
	// quick enough to redo on every change.
	previewMaxSide = 1600
)

// loadedImage is a loaded image: its real size and a smaller copy to preview.
type loadedImage struct {
	path  string
	size  image.Point // after EXIF orientation, as the encoder sees it
	thumb image.Image // never changed once made: goroutines share it
}

// loadPicture decodes path with the encoder's own loader, so what fails
// here fails the same way in a job.
func loadPicture(path string) (*loadedImage, error) {
	img, err := picture.Load(path)
	if err != nil {
		return nil, &encoder.FieldError{Field: "image", Err: err}
	}
	size := img.Bounds().Size()
	return &loadedImage{path: path, size: size, thumb: shrink(img, thumbMaxSide)}, nil
}

// shrink returns img scaled down so its long side is at most maxSide.
func shrink(img image.Image, maxSide int) image.Image {
	b := img.Bounds()
	to := scaleDown(b.Size(), maxSide)
	if to == b.Size() {
		return img
	}
	out := image.NewRGBA(image.Rectangle{Max: to})
	draw.CatmullRom.Scale(out, out.Bounds(), img, b, draw.Src, nil)
	return out
}

// scaleDown keeps p's shape and makes its long side at most maxSide.
func scaleDown(p image.Point, maxSide int) image.Point {
	long := max(p.X, p.Y)
	if long <= maxSide {
		return p
	}
	return image.Pt(max(1, p.X*maxSide/long), max(1, p.Y*maxSide/long))
}

// composePreview lays the picture out exactly as the encoder will, with
// picture.Compose, on the real frame size canvas scaled down to at most
// previewMaxSide.
func composePreview(pic *loadedImage, canvas image.Point, s encoder.Settings) *image.RGBA {
	return picture.Compose(pic.thumb, scaleDown(canvas, previewMaxSide), s.Fit, s.Background)
}
