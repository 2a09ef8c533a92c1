package picture

import (
	"image"
	"image/color"
	"image/jpeg"
	"io"

	"golang.org/x/image/draw"
)

// CoverMaxSide is the longest side of cover art: what music stores ask
// for, and more than any player shows.
const CoverMaxSide = 3000

// WriteCover writes img as a JPEG for cover art, at most CoverMaxSide on
// its longest side. Transparent pixels show bg, as they do in the video.
func WriteCover(w io.Writer, img image.Image, bg color.RGBA) error {
	size := img.Bounds().Size()
	cw, ch := size.X, size.Y
	if long := max(cw, ch); long > CoverMaxSide {
		cw, ch = max(1, cw*CoverMaxSide/long), max(1, ch*CoverMaxSide/long)
	}
	bg.A = 0xff
	flat := image.NewRGBA(image.Rect(0, 0, cw, ch))
	draw.Draw(flat, flat.Bounds(), &image.Uniform{C: bg}, image.Point{}, draw.Src)
	if cw == size.X {
		draw.Draw(flat, flat.Bounds(), img, img.Bounds().Min, draw.Over)
	} else {
		draw.CatmullRom.Scale(flat, flat.Bounds(), img, img.Bounds(), draw.Over, nil)
	}
	return jpeg.Encode(w, flat, &jpeg.Options{Quality: 90})
}
