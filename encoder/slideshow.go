package encoder

import (
	"errors"
	"fmt"
	"image"
	"io/fs"
	"math"
	"path/filepath"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/picture"
)

// Shown is one stretch of the video during which a slide shows.
type Shown struct {
	Slide  int // index into Settings.Images
	Start  time.Duration
	Length time.Duration // crossfades included: each is centred on a cut
}

// Timeline says how long the video is and when each slide shows.
type Timeline struct {
	Total time.Duration
	Shown []Shown
}

// Timeline works out the video's length and when each slide shows, given
// the length of its audio (0 without). The length is Duration, else the
// audio's, else the sum of the slides' durations. Slides without a
// duration share evenly what the others leave; when every slide has one
// and the video is longer, the slides play again from the first.
func (s Settings) Timeline(audio time.Duration) (Timeline, error) {
	total := s.Duration
	if total <= 0 {
		total = audio
	}
	var fixed time.Duration
	auto := 0
	for _, sl := range s.Images {
		if sl.Duration > 0 {
			fixed += sl.Duration
		} else {
			auto++
		}
	}
	if total <= 0 {
		if auto > 0 || len(s.Images) == 0 {
			return Timeline{}, fieldErr("duration", "set a duration, an audio file to follow, or a duration for every image")
		}
		total = fixed
	}
	tl := Timeline{Total: total}
	if auto > 0 {
		left := total - fixed
		if left <= 0 {
			return Timeline{}, fieldErr("image-duration", "the images with a duration take %s of the video's %s, which leaves nothing for the other %d", fixed, total, auto)
		}
		share := left / time.Duration(auto)
		var at time.Duration
		for i, sl := range s.Images {
			d := sl.Duration
			if d <= 0 {
				d = share
			}
			if i == len(s.Images)-1 {
				d = total - at // the rounding of the shares ends up here
			}
			tl.Shown = append(tl.Shown, Shown{Slide: i, Start: at, Length: d})
			at += d
		}
		return tl, nil
	}
	// Every slide has its duration: play them in order, again and again,
	// until the video ends.
	for at, i := time.Duration(0), 0; at < total; i = (i + 1) % len(s.Images) {
		d := min(s.Images[i].Duration, total-at)
		tl.Shown = append(tl.Shown, Shown{Slide: i, Start: at, Length: d})
		at += d
	}
	return tl, nil
}

// run is a stretch of frames of the video: one slide, or a crossfade from
// slide a to slide b.
type run struct {
	a, b int // b < 0 for a run of slide a alone
	n    int // frames
	// A crossfade's frame j shows (step+j+1)/(steps+1) of b: never all of
	// either, and exactly half in the middle of an odd number of steps.
	step, steps int
	// span is the index in the layout of a's span; b's is the next.
	span int
}

func (r run) blend() bool { return r.b >= 0 }

// weight is how much of slide b frame j of a crossfade shows, in 1/256.
func (r run) weight(j int) int {
	return int(math.Round(float64(r.step+j+1) / float64(r.steps+1) * 256))
}

// span is a stretch of frames [from, to) that belongs to one slide: the
// crossfades are centred on its ends.
type span struct{ slide, from, to int }

// layout lays the timeline out in frames at fps: the spans of the slides,
// neighbours that show the same slide merged, and the crossfade between
// each span and the next (fades[i] joins spans i and i+1), of up to fade
// frames and never longer than either span.
func layout(tl Timeline, fps int, fade int) (spans []span, fades []int) {
	for _, sh := range tl.Shown {
		from := int(math.Round(sh.Start.Seconds() * float64(fps)))
		to := int(math.Round((sh.Start + sh.Length).Seconds() * float64(fps)))
		if to <= from {
			continue
		}
		if n := len(spans); n > 0 && spans[n-1].slide == sh.Slide {
			spans[n-1].to = to
			continue
		}
		spans = append(spans, span{sh.Slide, from, to})
	}
	if len(spans) == 0 {
		return nil, nil
	}
	fades = make([]int, len(spans)-1)
	for i := range fades {
		fades[i] = min(fade, spans[i].to-spans[i].from, spans[i+1].to-spans[i+1].from)
	}
	return spans, fades
}

// visible is the stretch of frames [from, to) in which span i shows at
// all: its own frames, less the first half of the crossfade in, plus the
// second half of the crossfade out.
func visible(spans []span, fades []int, i int) (from, to int) {
	from, to = spans[i].from, spans[i].to
	if i > 0 {
		from -= fades[i-1] / 2
	}
	if i < len(fades) {
		to += fades[i] - fades[i]/2
	}
	return from, to
}

// frameRuns turns a layout into runs of one slide and crossfades, in order.
func frameRuns(spans []span, fades []int) []run {
	var runs []run
	for i, sp := range spans {
		from, to := sp.from, sp.to
		if i > 0 {
			from += fades[i-1] - fades[i-1]/2 // the second half of the fade in
		}
		if i < len(fades) {
			to -= fades[i] / 2 // the first half of the fade out
		}
		if to > from {
			runs = append(runs, run{a: sp.slide, b: -1, n: to - from, span: i})
		}
		if i < len(fades) && fades[i] > 0 {
			runs = append(runs, run{a: sp.slide, b: spans[i+1].slide, n: fades[i], steps: fades[i], span: i})
		}
	}
	return runs
}

// part is a piece of the encoded stream that the output plays copies
// times in a row (0: encoded, but not played).
type part struct {
	runs   []run
	copies int
}

func (p part) frames() int {
	n := 0
	for _, r := range p.runs {
		n += r.n
	}
	return n
}

// stillParts plans the still path for runs: each run of one slide that
// holds whole segments is encoded as one segment, played as many times as
// it fits, and what is left over is encoded with the crossfade after it.
// Every part starts with a keyframe, so any of them can follow any other.
// x264 spends about 10 % more on a stream's first group of pictures than
// on the ones after it, so when the stream starts with three or more
// copies of a segment, where that pays for the extra encode, a warm-up
// segment is encoded before it and thrown away.
func stillParts(runs []run, segment int) []part {
	var parts []part
	cur := part{copies: 1}
	flush := func() {
		if len(cur.runs) > 0 {
			parts = append(parts, cur)
		}
		cur = part{copies: 1}
	}
	for _, r := range runs {
		k := r.n / segment
		if r.blend() || k == 0 {
			cur.runs = append(cur.runs, r)
			continue
		}
		flush()
		seg := run{a: r.a, b: -1, n: segment, span: r.span}
		if len(parts) == 0 && k >= 3 {
			parts = append(parts, part{runs: []run{seg}, copies: 0})
		}
		parts = append(parts, part{runs: []run{seg}, copies: k})
		if rest := r.n % segment; rest > 0 {
			cur.runs = append(cur.runs, run{a: r.a, b: -1, n: rest, span: r.span})
		}
	}
	flush()
	return parts
}

// savesEncoding reports whether the still path by these parts encodes
// fewer frames than the total: otherwise encoding every frame is as fast
// and needs no copy step.
func savesEncoding(parts []part, total int) bool {
	return encodedFrames(parts) < total
}

// encodedFrames counts the frames the parts make ffmpeg encode.
func encodedFrames(parts []part) int {
	n := 0
	for _, p := range parts {
		n += p.frames()
	}
	return n
}

// splitPoints are the frames of the encoded stream where each part after
// the first begins.
func splitPoints(parts []part) []int {
	var at []int
	n := 0
	for i, p := range parts {
		if i > 0 {
			at = append(at, n)
		}
		n += p.frames()
	}
	return at
}

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
func newSlideFrames(s Settings, canvas canvasDims, first []byte) *slideCache[[]byte] {
	c := newSlideCache(slideCacheBytes/max(1, len(first)), func(i int) ([]byte, error) {
		img, err := loadImage(s.Images[i].Image)
		if err != nil {
			return nil, err
		}
		return picture.ToYUV420(picture.Compose(img, canvasPoint(canvas), s.Fit, s.Background), picture.MatrixFor(canvas.H)), nil
	})
	c.items[0], c.order = first, []int{0}
	return c
}

// runFrames yields the frames of runs in order, to be written to ffmpeg.
func runFrames(runs []run, slides *slideCache[[]byte]) ffmpeg.Frames {
	return func(yield func([]byte, error) bool) {
		var mix []byte
		for _, r := range runs {
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

// partRuns lists the runs of the parts in the order they are encoded.
func partRuns(parts []part) []run {
	var runs []run
	for _, p := range parts {
		runs = append(runs, p.runs...)
	}
	return runs
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
		return errors.New("no such file")
	case errors.Is(err, image.ErrFormat):
		return fmt.Errorf("not an image Stillcast can read (use %s)", picture.Formats)
	}
	return describeOpenError(err)
}

// describeSlide names a slide for messages.
func describeSlide(s Settings, i int) string {
	return fmt.Sprintf("image %d (%s)", i+1, filepath.Base(s.Images[i].Image))
}

func canvasPoint(c canvasDims) image.Point { return image.Point{X: c.W, Y: c.H} }
