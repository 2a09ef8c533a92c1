package encoder

import (
	"image/color"
	"math"
	"time"

	"github.com/stillcast/stillcast/encoder/picture"
)

// Limits of a job. They keep a typo from asking for a day-long 16K render.
const (
	minFPS        = 1
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
	// MaxImages and MaxAudioFiles bound a job's lists: a slideshow of an
	// hour at a third of a second a slide, an archive of albums.
	MaxImages     = 10_000
	MaxAudioFiles = 5_000
	// MinKeyframeInterval and MaxKeyframeInterval bound KeyframeInterval:
	// shorter makes a large file, longer a slow seek.
	MinKeyframeInterval = time.Second
	MaxKeyframeInterval = 10 * time.Minute
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
	// FitBlur shows the whole image over a blurred, darkened copy of it
	// that fills the bars.
	FitBlur = picture.Blur
)

// SupportedImages names the image formats Stillcast reads, for messages.
const SupportedImages = picture.Formats

// Fits lists the fit modes in the order a user is offered them.
func Fits() []Fit { return []Fit{FitLetterbox, FitCrop, FitStretch, FitBlur} }

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
	// AudioCodec chooses the audio of a file: "" (CodecAuto) copies what
	// the container takes untouched and encodes the rest to AAC;
	// CodecAAC, CodecALAC and CodecFLAC encode to that codec (a source
	// already in it, and untouched, is copied); CodecCopy always copies.
	AudioCodec string
	// Shuffle plays a live playlist in a new random order every round.
	Shuffle bool
	// Output is the path of the video file to write. Its extension chooses
	// the container (see Containers()).
	Output string
	// Tracklist is where a render of several audio files writes its
	// tracklist: "" beside Output as NAME.tracklist.txt, TracklistStdout
	// ("-") to no file, only into Finished; else this path. Force
	// replaces it as it does Output.
	Tracklist string
	// Size is the canvas size. SizeSource takes the image's own size.
	Size Size
	Fit  Fit
	// Background fills letterbox bars and shows through transparent pixels
	// (with FitBlur, the fill is made of the image over it).
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
	// KeyframeInterval is the longest a file's video runs between
	// keyframes, where seeking lands. 0 chooses: 10 s, and for a still
	// over an hour its length over 300, up to 2 minutes, which keeps a
	// long file small.
	KeyframeInterval time.Duration
	// concatPath makes a still take the concat path, as slideshows do,
	// instead of the Go writer: benchmarks measure the one beside the other.
	concatPath bool
	// FFmpeg is an explicit path to the ffmpeg binary; empty means
	// $STILLCAST_FFMPEG, then SavedFFmpeg, then PATH.
	FFmpeg string
	// SavedFFmpeg is the ffmpeg the user chose once and Stillcast saved;
	// it comes after $STILLCAST_FFMPEG, and its errors say it was saved.
	SavedFFmpeg string
	// Live, when it has destinations, streams to them instead of writing
	// Output. Duration 0 then streams until the job is stopped.
	Live Live
	// Each makes one video per audio file instead of one video: Output is
	// then a folder, and each video is named "NN - Title.mp4" from the
	// song's tags. Images are none (each song's own cover art), one (for
	// every song without art of its own), or one per song.
	Each bool
	// Album, with Each, also makes the full album video, with chapters,
	// in the same folder and the same run.
	Album bool
	// CoverFromAudio shows the cover art embedded in the audio (ID3 APIC,
	// MP4 covr, a FLAC or Vorbis picture) instead of Images, which then
	// only stand in for songs that have none.
	CoverFromAudio bool
	// TitleCard draws "Artist – Title" of the song onto a file's picture:
	// each song's own in its video, and in an album video each track's
	// as its chapter plays.
	TitleCard bool
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
