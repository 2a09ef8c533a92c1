package encoder

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"

	"github.com/stillcast/stillcast/encoder/picture"
)

// writeCover writes the image at path as a JPEG for cover art, upright
// and at most picture.CoverMaxSide on its longest side, into a temporary
// folder that cleanup removes. Transparent pixels show bg, as they do in
// the video.
func writeCover(path string, bg color.RGBA) (cover string, cleanup func(), err error) {
	cleanup = func() {}
	img, err := loadImage(path)
	if err != nil {
		return "", cleanup, err
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
	err = picture.WriteCover(f, img, bg)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", cleanup, fmt.Errorf("writing the cover art: %w", err)
	}
	return cover, cleanup, nil
}
