package encoder

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/stillcast/stillcast/encoder/picture"
)

// encodePlan holds everything ffmpegArgs needs, already resolved: sizes
// evened, paths chosen, container picked.
type encodePlan struct {
	Input     string // the FIFO ffmpeg reads raw frames from
	Width     int
	Height    int
	FPS       int
	Matrix    picture.Matrix
	Preset    string
	CRF       int
	Container Container
	Output    string // the temporary file beside the target
	// Segment, when above 0, makes closed groups of pictures of that many
	// frames, to be repeated by stream copy.
	Segment int
	// Moving says every frame differs from the one before (Ken Burns):
	// they are encoded with x264MovingArgs, not tuned for a still.
	Moving bool
	// NoBFrames leaves out B-frames, so that a copy of the output can be
	// cut after any frame: no frame then refers to a later one.
	NoBFrames bool
	// SplitAt, when set, writes the output as several files, a new one
	// starting at each of these frame numbers, each with a keyframe;
	// Output is then a pattern with %d for the part's number.
	SplitAt []int
	// Mux adds audio and cover art to the output.
	Mux mux
	// Limits are what this ffmpeg cannot do.
	Limits limits
}

// progressInterval is how often ffmpeg reports progress. Five reports a
// second keeps a progress bar smooth without flooding the events.
const progressInterval = "0.2"

// ffmpegArgs builds ffmpeg's argument list (without the program name). It
// is a pure function; no shell ever sees it.
func ffmpegArgs(p encodePlan) []string {
	args := []string{
		"-hide_banner",
		"-nostdin",             // never wait for keys on a terminal
		"-loglevel", "warning", // stderr carries problems only; it becomes the error text
	}
	// Machine-readable progress on stdout.
	args = append(args, progressArgs(progressInterval, p.Limits)...)

	// Input: planar yuv420p frames, converted once in Go, so ffmpeg does no
	// per-frame colour conversion. The tags say how they were made.
	args = append(args,
		"-f", "rawvideo",
		"-pix_fmt", "yuv420p",
		"-video_size", fmt.Sprintf("%dx%d", p.Width, p.Height),
		"-framerate", strconv.Itoa(p.FPS),
	)
	args = append(args, colorTags(p.Matrix)...)
	args = append(args, "-i", "file:"+p.Input) // "file:" so a name can never read as an option or protocol
	args = append(args, p.Mux.inputArgs()...)

	// The video is output stream v:0; a cover, if any, is v:1 and copied.
	args = append(args,
		"-map", "0:v:0",
		"-c:v:0", "libx264",
	)
	if p.Moving {
		args = append(args, x264MovingArgs(p.Preset)...)
	} else {
		args = append(args,
			"-preset", p.Preset,
			"-tune", "stillimage", // psychovisual settings for content that does not move
		)
	}
	args = append(args,
		"-crf", strconv.Itoa(p.CRF),
		"-profile:v:0", "high", // what every player and upload site takes
		"-pix_fmt:v:0", "yuv420p",
	)
	if p.Segment > 0 {
		k := strconv.Itoa(p.Segment)
		args = append(args, "-g", k, "-keyint_min", k, "-sc_threshold", "0") // closed GOPs of a segment: keyframes only where planned
	}
	if p.NoBFrames {
		args = append(args, "-bf", "0")
	}
	if len(p.SplitAt) > 0 {
		at := make([]string, len(p.SplitAt))
		for i, n := range p.SplitAt {
			at[i] = strconv.FormatFloat(float64(n)/float64(p.FPS), 'f', 6, 64)
		}
		// Every part starts with a keyframe of its own, so it can be copied
		// anywhere; ffmpeg rounds these times to the frame.
		args = append(args, "-force_key_frames:v:0", strings.Join(at, ","), "-forced-idr", "1")
	}
	// Tag the output too, so players decode the colours the way Go encoded them.
	args = append(args, colorTags(p.Matrix)...)
	args = append(args, p.Mux.outputArgs()...)
	if a := p.Mux.Audio; a != nil {
		// The video ends with the pipe; audio that is longer, looped or
		// padded must be cut to it.
		args = append(args, "-t", seconds(a.Length))
	}

	if len(p.SplitAt) > 0 {
		at := make([]string, len(p.SplitAt))
		for i, n := range p.SplitAt {
			at[i] = strconv.Itoa(n)
		}
		return append(args,
			"-f", "segment", "-segment_format", p.Container.Format,
			"-segment_frames", strings.Join(at, ","),
			"-reset_timestamps", "1", // each part starts at zero, as a file of its own
			"-y", "file:"+p.Output,
		)
	}
	if p.Container.FastStart {
		args = append(args, "-movflags", "+faststart") // index first: playback starts before the download ends
	}
	args = append(args,
		"-f", p.Container.Format,
		"-y", // the temporary file exists already: it was created to reserve the name
		"file:"+p.Output,
	)
	return args
}

// x264MovingArgs are the preset and options for frames that all move, as
// a slow zoom does. The still tune's psychovisual settings cost size there
// and buy nothing. At the default veryfast, the motion search and analysis
// of superfast keep up with the zoom at 30 % less of x264's time, but
// superfast also drops the macroblock-tree rate control, which a slow zoom
// needs most (without it the file is seven times larger): it is kept, with
// veryfast's 10-frame lookahead. A minute of 1080p Ken Burns came out 19 %
// smaller than with veryfast and the still tune, at SSIM 0.9977 against
// 0.9980 of the frames (README, Ken Burns). Other presets are as chosen.
func x264MovingArgs(preset string) []string {
	if preset == "veryfast" {
		return []string{"-preset", "superfast", "-x264-params", "mbtree=1:rc-lookahead=10"}
	}
	return []string{"-preset", preset}
}

// progressArgs asks for machine-readable progress on stdout every period
// seconds, or at ffmpeg's own pace when it cannot be told (before 4.4).
func progressArgs(period string, lim limits) []string {
	args := []string{"-progress", "pipe:1"}
	if !lim.NoStatsPeriod {
		args = append(args, "-stats_period", period)
	}
	return append(args, "-nostats") // the progress, not the human status line
}

// colorTags describes limited-range frames made with matrix m from sRGB
// pixels. The primaries and transfer stay BT.709 for SD too, because the
// pixels are sRGB whatever the matrix.
func colorTags(m picture.Matrix) []string {
	return []string{
		"-colorspace", m.Colorspace,
		"-color_primaries", "bt709",
		"-color_trc", "bt709",
		"-color_range", "tv",
	}
}

// assemblePlan holds what assembleArgs needs: a concat playlist of the
// encoded segments, or a video file of them, and the number of frames it
// adds up to.
type assemblePlan struct {
	List      string
	Video     string // read instead of List when set
	Frames    int
	FPS       int
	Container Container
	Output    string
	Mux       mux
	Limits    limits
}

// assembleArgs builds the argument list that joins the encoded segments
// into the output file by stream copy, without decoding or encoding.
func assembleArgs(p assemblePlan) []string {
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error"}
	args = append(args, progressArgs(progressInterval, p.Limits)...)
	// Forward slashes, because the list names its parts relative to
	// itself, and ffmpeg before 4.4 finds the list's folder by its last
	// '/': with a Windows path it looked for the parts in the current folder.
	if p.Video != "" {
		args = append(args, "-i", "file:"+p.Video)
	} else {
		args = append(args, "-f", "concat", "-safe", "0", "-i", "file:"+filepath.ToSlash(p.List))
	}
	args = append(args, p.Mux.inputArgs()...)
	args = append(args, "-map", "0:v:0", "-c:v:0", "copy")
	args = append(args, p.Mux.outputArgs()...)
	// Exactly fps × duration, and the audio cut to it. By time, not
	// -frames:v: ffmpeg 5 ends every stream of a file once one reaches
	// its frame limit, which cut the audio short.
	args = append(args, "-t", seconds(time.Duration(p.Frames)*time.Second/time.Duration(p.FPS)))
	if p.Container.FastStart {
		args = append(args, "-movflags", "+faststart")
	}
	return append(args, "-f", p.Container.Format, "-y", "file:"+p.Output)
}
