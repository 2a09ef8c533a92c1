// Package encoder turns a still image into a video by writing raw frames
// into a named pipe that an ffmpeg subprocess reads. It never imports Fyne:
// the desktop window, the command line and the tests all drive it through
// Settings and the events of a Job.
package encoder

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/stillcast/stillcast/encoder/picture"
)

// Limits of a job. They keep a typo from asking for a day-long 16K render.
const (
	MinFPS        = 1
	MaxFPS        = 120
	MaxDuration   = 24 * time.Hour
	MaxCanvasSide = picture.MaxSide
	MinCRF        = 1 // 0 is lossless, which the High profile cannot carry
	MaxCRF        = 51
	// MaxCrossfade keeps a typo ("10" for 1.0) from turning a slideshow
	// into one long blur.
	MaxCrossfade = 10 * time.Second
	// MaxImagePixels refuses images whose header claims more pixels than
	// this before a single pixel is decoded.
	MaxImagePixels = picture.MaxPixels
)

// Fit says how the image is laid onto a canvas of another shape.
type Fit = picture.Fit

const (
	// FitLetterbox shows the whole image and fills the bars with the background.
	FitLetterbox = picture.Letterbox
	// FitCrop fills the whole canvas and cuts what overflows.
	FitCrop = picture.Crop
	// FitStretch fills the canvas and distorts the image to do so.
	FitStretch = picture.Stretch
)

// SupportedImages names the image formats Stillcast reads, for messages.
const SupportedImages = picture.Formats

// Fits lists the fit modes in the order a user is offered them.
func Fits() []Fit { return []Fit{FitLetterbox, FitCrop, FitStretch} }

// Presets lists x264's presets from the fastest encode to the smallest file.
func Presets() []string {
	return []string{"ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"}
}

// Slide is one image of a video and how long it shows.
type Slide struct {
	Image string
	// Duration is how long the image shows, crossfades included. 0 gives
	// it an even share of the time the other slides leave.
	Duration time.Duration
}

// SlidesOf makes slides of images, each with an even share of the time.
func SlidesOf(images ...string) []Slide {
	slides := make([]Slide, len(images))
	for i, img := range images {
		slides[i] = Slide{Image: img}
	}
	return slides
}

// Settings describes one job. The zero value is not useful; start from
// DefaultSettings.
type Settings struct {
	// Images are the pictures shown: one for a still video, several for a
	// slideshow, which plays them in order (and again from the first when
	// their durations end before the video does).
	Images []Slide
	// Crossfade is how long one slide takes to blend into the next; 0 cuts.
	Crossfade time.Duration
	// KenBurns zooms each slide slowly while it shows (files only). Every
	// frame then differs and is encoded, which takes far longer.
	KenBurns bool
	// Audio lists sound files. A file render plays them one after the
	// other, once; a live stream plays them as a playlist, looped forever,
	// and also takes folders.
	Audio []string
	// LoopAudio, for a file whose Duration is longer than its audio,
	// repeats the audio instead of following it with silence.
	LoopAudio bool
	// Shuffle plays a live playlist in a new random order every round.
	Shuffle bool
	// Output is the path of the video file to write. Its extension chooses
	// the container (see Containers()).
	Output string
	// Size is the canvas size. SizeSource takes the image's own size.
	Size Size
	Fit  Fit
	// Background fills letterbox bars and shows through transparent pixels.
	Background color.RGBA
	FPS        int
	// Duration is the video's length. 0 follows the audio, or the slides'
	// own durations when every slide has one; a live stream with 0 runs
	// until it is stopped.
	Duration time.Duration
	// Preset and CRF are handed to libx264.
	Preset string
	CRF    int
	// Force allows replacing an existing Output.
	Force bool
	// NoFastPath encodes every frame instead of encoding one segment and
	// repeating it by stream copy. The output looks the same; it only
	// takes longer. It is there for comparison and benchmarks.
	NoFastPath bool
	// FFmpeg is an explicit path to the ffmpeg binary; empty means
	// $STILLCAST_FFMPEG, then PATH.
	FFmpeg string
	// Live, when it has destinations, streams to them instead of writing
	// Output. Duration 0 then streams until the job is stopped.
	Live Live
}

// IsLive reports whether s describes a live stream rather than a file.
func (s Settings) IsLive() bool { return len(s.Live.Destinations) > 0 }

// DefaultSettings returns the settings a newcomer gets: the image's own
// size, letterboxed on black, 10 s at 25 fps, a quick preset at a quality
// that is hard to tell from the source.
func DefaultSettings() Settings {
	return Settings{
		Size:       SizeSource,
		Fit:        FitLetterbox,
		Background: color.RGBA{A: 0xff},
		FPS:        25,
		Duration:   10 * time.Second,
		Crossfade:  time.Second,
		Preset:     "veryfast",
		CRF:        20,
	}
}

// TotalFrames is the exact number of frames the output will hold.
func (s Settings) TotalFrames() int {
	return int(math.Round(s.Duration.Seconds() * float64(s.FPS)))
}

// FieldError is a problem with one field of Settings. Field is the name of
// the matching command-line flag ("fps", "size", "image", …), so the CLI can
// name the flag and the window can mark the field.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Err: fmt.Errorf(format, args...)}
}

// Validate checks every value in s without touching the file system and
// returns all the problems it finds, each a *FieldError, joined with
// errors.Join. Problems with files (a missing image, a folder that cannot be
// written) are found by Start.
func (s Settings) Validate() error {
	var errs []error
	errs = append(errs, s.validateSlides()...)
	switch {
	case s.IsLive():
		errs = append(errs, s.Live.validate()...)
	case strings.TrimSpace(s.Output) == "":
		errs = append(errs, fieldErr("out", "no output file chosen"))
	default:
		if _, err := ContainerFor(s.Output); err != nil {
			errs = append(errs, &FieldError{Field: "out", Err: err})
		}
	}
	if err := s.Size.validate(); err != nil {
		errs = append(errs, &FieldError{Field: "size", Err: err})
	}
	switch s.Fit {
	case FitLetterbox, FitCrop, FitStretch:
	default:
		errs = append(errs, fieldErr("fit", "unknown fit %q: use letterbox, crop or stretch", s.Fit))
	}
	if s.FPS < MinFPS || s.FPS > MaxFPS {
		errs = append(errs, fieldErr("fps", "must be between %d and %d, not %d", MinFPS, MaxFPS, s.FPS))
	}
	switch {
	case s.IsLive() && s.Duration == 0: // until stopped
	case s.Duration == 0 && len(s.Audio) > 0: // follows the audio
	case s.Duration == 0 && s.SlidesTimed(): // the slides' own
	case s.Duration <= 0:
		errs = append(errs, fieldErr("duration", "must be longer than zero"))
	case s.Duration > MaxDuration:
		errs = append(errs, fieldErr("duration", "must be at most 24h, not %s", s.Duration))
	case s.FPS >= MinFPS && s.TotalFrames() < 1:
		errs = append(errs, fieldErr("duration", "%s is shorter than one frame at %d fps", s.Duration, s.FPS))
	}
	if !validPreset(s.Preset) {
		errs = append(errs, fieldErr("preset", "unknown x264 preset %q: use one of %s", s.Preset, strings.Join(Presets(), ", ")))
	}
	if s.CRF < MinCRF || s.CRF > MaxCRF {
		errs = append(errs, fieldErr("crf", "must be between %d (best) and %d (smallest), not %d", MinCRF, MaxCRF, s.CRF))
	}
	return errors.Join(errs...)
}

// validateSlides checks the images and their timing.
func (s Settings) validateSlides() []error {
	var errs []error
	switch {
	case len(s.Images) == 0:
		errs = append(errs, fieldErr("image", "no image chosen"))
	case s.IsLive() && len(s.Images) > 1:
		errs = append(errs, fieldErr("image", "a live stream shows one image, not %d: slideshows are for files", len(s.Images)))
	}
	for i, sl := range s.Images {
		switch {
		case strings.TrimSpace(sl.Image) == "":
			errs = append(errs, fieldErr("image", "no image chosen for slide %d", i+1))
		case sl.Duration < 0:
			errs = append(errs, fieldErr("image-duration", "%s: the duration must be longer than zero", filepath.Base(sl.Image)))
		case sl.Duration > MaxDuration:
			errs = append(errs, fieldErr("image-duration", "%s: the duration must be at most 24h, not %s", filepath.Base(sl.Image), sl.Duration))
		}
	}
	if s.IsLive() && s.KenBurns {
		errs = append(errs, fieldErr("ken-burns", "is for files: a live stream shows its image still"))
	}
	if s.Crossfade < 0 || s.Crossfade > MaxCrossfade {
		errs = append(errs, fieldErr("crossfade", "must be between 0 (a cut) and %s, not %s", MaxCrossfade, s.Crossfade))
	}
	return errs
}

// SlidesTimed reports whether every slide has a duration of its own, so
// that a Duration of 0 means their sum.
func (s Settings) SlidesTimed() bool {
	for _, sl := range s.Images {
		if sl.Duration <= 0 {
			return false
		}
	}
	return len(s.Images) > 0
}

func validPreset(p string) bool {
	for _, q := range Presets() {
		if p == q {
			return true
		}
	}
	return false
}

// FieldErrors flattens an error returned by Validate or Start into its
// field errors, in order. An error that carries none gives nil.
func FieldErrors(err error) []*FieldError {
	if err == nil {
		return nil
	}
	if fe, ok := err.(*FieldError); ok {
		return []*FieldError{fe}
	}
	var out []*FieldError
	switch e := err.(type) {
	case interface{ Unwrap() []error }:
		for _, inner := range e.Unwrap() {
			out = append(out, FieldErrors(inner)...)
		}
	case interface{ Unwrap() error }:
		out = FieldErrors(e.Unwrap())
	}
	return out
}

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

// ParseDuration reads a Go duration ("90s", "1h30m"), plain seconds ("90",
// "2.5") or a clock time ("1:30", "1:30:00", "0:00:02.5").
func ParseDuration(text string) (time.Duration, error) {
	t := strings.TrimSpace(text)
	bad := fmt.Errorf("%q is not a duration: use 90s, 1m30s, 1:30:00 or plain seconds", text)
	if t == "" {
		return 0, bad
	}
	if strings.Contains(t, ":") {
		parts := strings.Split(t, ":")
		if len(parts) > 3 {
			return 0, bad
		}
		var total float64
		for i, p := range parts {
			last := i == len(parts)-1
			v, err := strconv.ParseFloat(p, 64)
			if err != nil || v < 0 || (!last && strings.Contains(p, ".")) || (i > 0 && v >= 60) || p == "" {
				return 0, bad
			}
			total = total*60 + v
		}
		return secondsToDuration(total, bad)
	}
	if v, err := strconv.ParseFloat(t, 64); err == nil {
		return secondsToDuration(v, bad)
	}
	d, err := time.ParseDuration(t)
	if err != nil {
		return 0, bad
	}
	return d, nil
}

func secondsToDuration(v float64, bad error) (time.Duration, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > float64(math.MaxInt64/int64(time.Second)) {
		return 0, bad
	}
	return time.Duration(math.Round(v * float64(time.Second))), nil
}

// ParseColor reads "#RRGGBB", "RRGGBB" or "#RGB".
func ParseColor(text string) (color.RGBA, error) {
	t := strings.TrimPrefix(strings.TrimSpace(text), "#")
	if len(t) == 3 {
		t = string([]byte{t[0], t[0], t[1], t[1], t[2], t[2]})
	}
	v, err := strconv.ParseUint(t, 16, 32)
	if len(t) != 6 || err != nil {
		return color.RGBA{}, fmt.Errorf("%q is not a colour: use #RRGGBB, like #000000 for black", text)
	}
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}, nil
}

// FormatColor writes c as "#rrggbb".
func FormatColor(c color.RGBA) string {
	return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
}

// Container is an output file format.
type Container struct {
	Ext    string // ".mp4"
	Format string // ffmpeg's muxer name
	// FastStart moves the index to the front so playback starts before the
	// whole file has downloaded.
	FastStart bool
	cover     coverStyle // how a song video's cover art goes in, if at all
}

// coverStyle is how a container carries cover art.
type coverStyle int

const (
	noCover         coverStyle = iota // ffmpeg writes none (MOV, FLV, TS)
	coverPicture                      // a picture stream marked as attached (MP4)
	coverAttachment                   // a file attached to the container (Matroska)
)

// Containers lists the output formats, the default first.
func Containers() []Container {
	return []Container{
		{Ext: ".mp4", Format: "mp4", FastStart: true, cover: coverPicture},
		{Ext: ".mov", Format: "mov", FastStart: true},
		{Ext: ".mkv", Format: "matroska", cover: coverAttachment},
		{Ext: ".flv", Format: "flv"},
		{Ext: ".ts", Format: "mpegts"},
	}
}

// ContainerFor picks the container from path's extension, ignoring case.
func ContainerFor(path string) (Container, error) {
	ext := strings.ToLower(filepath.Ext(path))
	for _, c := range Containers() {
		if c.Ext == ext {
			return c, nil
		}
	}
	exts := make([]string, len(Containers()))
	for i, c := range Containers() {
		exts[i] = c.Ext
	}
	if ext == "" {
		return Container{}, fmt.Errorf("%q has no extension: end it with one of %s", filepath.Base(path), strings.Join(exts, " "))
	}
	return Container{}, fmt.Errorf("%q is not a supported output type: use one of %s", ext, strings.Join(exts, " "))
}
