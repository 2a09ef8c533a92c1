package encoder

import (
	"errors"
	"fmt"
	"image"
	"io/fs"
	"path/filepath"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/picture"
)

// slideCache keeps what was made of each slide, as many as its budget
// allows, forgetting the least recently made first: a slideshow plays its
// slides in order, so what is forgotten is what played longest ago.
type slideCache[T any] struct {
	budget int
	build  func(slide int) (T, error)
	items  map[int]T
	order  []int // least recently made first
}

func newSlideCache[T any](budget int, build func(int) (T, error)) *slideCache[T] {
	return &slideCache[T]{budget: max(3, budget), build: build, items: map[int]T{}}
}

func (c *slideCache[T]) get(i int) (T, error) {
	if v, ok := c.items[i]; ok {
		return v, nil
	}
	v, err := c.build(i)
	if err != nil {
		return v, err
	}
	if len(c.order) >= c.budget {
		delete(c.items, c.order[0])
		c.order = c.order[1:]
	}
	c.items[i] = v
	c.order = append(c.order, i)
	return v, nil
}

// slideCacheBytes bounds the composed slides kept in memory.
const slideCacheBytes = 512 << 20

// newSlideFrames makes the yuv420p frame of each slide when it is first
// needed; first is slide 0's, made already.
func newSlideFrames(s Settings, canvas image.Point, first []byte) *slideCache[[]byte] {
	c := newSlideCache(slideCacheBytes/max(1, len(first)), func(i int) ([]byte, error) {
		img, err := loadImage(s.Images[i].Image)
		if err != nil {
			return nil, err
		}
		return picture.ToYUV420(picture.Compose(img, canvas, s.Fit, s.Background), picture.MatrixFor(canvas.Y)), nil
	})
	c.items[0], c.order = first, []int{0}
	return c
}

// clipFrames yields the frames of clips in order, to be written to ffmpeg.
func clipFrames(clips []clip, slides *slideCache[[]byte]) ffmpeg.Frames {
	return func(yield func([]byte, error) bool) {
		var mix []byte
		for _, r := range clips {
			a, err := slides.get(r.a)
			if err != nil {
				yield(nil, err)
				return
			}
			if !r.blend() {
				for range r.n {
					if !yield(a, nil) {
						return
					}
				}
				continue
			}
			b, err := slides.get(r.b)
			if err != nil {
				yield(nil, err)
				return
			}
			if mix == nil {
				mix = make([]byte, len(a))
			}
			for j := range r.n {
				picture.Blend(mix, a, b, r.weight(j))
				if !yield(mix, nil) {
					return
				}
			}
		}
	}
}

// partClips lists the clips of the parts in the order they are encoded.
func partClips(parts []part) []clip {
	var clips []clip
	for _, p := range parts {
		clips = append(clips, p.clips...)
	}
	return clips
}

// checkImages reads the header of every slide's image but the first,
// which is composed already, so a missing or unreadable one is reported
// before the render starts rather than minutes into it.
func checkImages(s Settings) error {
	var errs []error
	for i, sl := range s.Images {
		if i == 0 {
			continue
		}
		if _, err := picture.Size(sl.Image); err != nil {
			errs = append(errs, &FieldError{Field: "image", Err: fmt.Errorf("%s: %w", describeSlide(s, i), describeImageError(err))})
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return nil
}

// describeImageError words what reading an image's header ran into.
func describeImageError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return wordedError{"no such file", err}
	case errors.Is(err, image.ErrFormat):
		return wordedError{fmt.Sprintf("not an image Stillcast can read (use %s)", picture.Formats), err}
	case errors.Is(err, picture.ErrTooLarge):
		return err // its own words say how large
	}
	return describeOpenError(err)
}

// describeSlide names a slide for messages.
func describeSlide(s Settings, i int) string {
	return fmt.Sprintf("image %d (%s)", i+1, filepath.Base(s.Images[i].Image))
}
