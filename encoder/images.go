package encoder

import (
	"image"

	"github.com/stillcast/stillcast/encoder/picture"
)

// loadImage decodes the image at path, upright, as picture.Load does,
// and words its problems as a *FieldError for "image" that names the
// file.
func loadImage(path string) (image.Image, error) {
	img, err := picture.Load(path)
	if err != nil {
		return nil, &FieldError{Field: "image", Err: err}
	}
	return img, nil
}
