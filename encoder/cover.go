package encoder

import (
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"

	"golang.org/x/image/draw"
)

// coverMaxSide is the longest side of cover art: what music stores ask
// for, and more than any player shows.
const coverMaxSide = 3000

// writeCover writes the image at path as a JPEG for cover art, upright
// and at most coverMaxSide on its longest side, into a temporary folder
// that cleanup removes.
// Transparent pixels show bg, as they do in the video.
func writeCover(path string, bg color.RGBA) (cover string, cleanup func(), err error) {
	cleanup = func() {}
	img, err := LoadImage(path)
	if err != nil {
		return "", cleanup, err
	}
	size := img.Bounds().Size()
	w, h := size.X, size.Y
	if long := max(w, h); long > coverMaxSide {
		w, h = max(1, w*coverMaxSide/long), max(1, h*coverMaxSide/long)
	}
	flat := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(flat, flat.Bounds(), &image.Uniform{C: bg}, image.Point{}, draw.Src)
	if w == size.X {
		draw.Draw(flat, flat.Bounds(), img, img.Bounds().Min, draw.Over)
	} else {
		draw.CatmullRom.Scale(flat, flat.Bounds(), img, img.Bounds(), draw.Over, nil)
	}
	dir, err := os.MkdirTemp("", "stillcast-cover-")
	if err != nil {
		return "", cleanup, fmt.Errorf("making a folder for the cover art: %w", err)
	}
	cleanup = func() { os.RemoveAll(dir) }
	cover = filepath.Join(dir, "cover.jpg")
	f, err := os.Create(cover)
	if err != nil {
		return "", cleanup, fmt.Errorf("writing the cover art: %w", err)
	}
	err = jpeg.Encode(f, flat, &jpeg.Options{Quality: 90})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", cleanup, fmt.Errorf("writing the cover art: %w", err)
	}
	return cover, cleanup, nil
}
