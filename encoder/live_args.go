package encoder

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stillcast/stillcast/encoder/picture"
)

// livePlan holds what liveArgs needs, already resolved.
type livePlan struct {
	Input   string // the FIFO
	Audio   string // the pipe of a playlist's raw audio; "" for silence
	Width   int
	Height  int
	FPS     int
	Matrix  picture.Matrix
	Bitrate int      // bits per second
	Outputs []string // full publish addresses, keys included
	Limits  limits   // what this ffmpeg cannot do
}

// Live encoding follows what the platforms ask of an ingest stream
// (YouTube's and Twitch's encoder settings pages): H.264 High, keyframes
// every 2 s, constant bitrate, AAC stereo 48 kHz audio, FLV.
const (
	liveKeyframeSeconds = 2
	livePreset          = "veryfast"
	liveAudioBitrate    = "128k"
	liveAudioRate       = "48000"
	// liveStatsPeriod: one status a second is plenty for a stream that
	// runs for hours.
	liveStatsPeriod = "1"
)

// liveGOP is the keyframe interval in frames: exactly every 2 s.
func liveGOP(fps int) int { return liveKeyframeSeconds * fps }

// liveArgs builds ffmpeg's argument list for a live stream that encodes
// every frame (the per-frame path). It is a pure function; no shell ever
// sees it.
func liveArgs(p livePlan) []string {
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "warning"}
	args = append(args, progressArgs(liveStatsPeriod, p.Limits)...)
	args = append(args, "-re") // read the frames at their own rate: timestamps follow the wall clock
	args = append(args, rawInputArgs(p)...)
	if p.Audio != "" {
		args = append(args, pcmInputArgs(p.Audio)...)
	} else {
		// Platforms reject or flag streams without audio: send silence.
		args = append(args, "-f", "lavfi", "-i", "anullsrc=channel_layout=stereo:sample_rate="+liveAudioRate)
	}
	args = append(args, "-map", "0:v:0", "-map", "1:a:0")
	args = append(args, liveVideoArgs(p)...)
	if p.Audio != "" {
		args = append(args, playlistAudioArgs()...)
	} else {
		args = append(args, "-c:a", "aac", "-b:a", liveAudioBitrate, "-ar", liveAudioRate, "-ac", "2")
	}
	return append(args, liveOutputArgs(p.Outputs)...)
}

// rawInputArgs reads the pipe's yuv420p frames, tagged as Go made them.
func rawInputArgs(p livePlan) []string {
	args := []string{
		"-f", "rawvideo", "-pix_fmt", "yuv420p",
		"-video_size", fmt.Sprintf("%dx%d", p.Width, p.Height),
		"-framerate", strconv.Itoa(p.FPS),
	}
	args = append(args, colorTags(p.Matrix)...)
	return append(args, "-i", "file:"+p.Input)
}

// liveVideoArgs encodes video the way ingest servers ask for it.
func liveVideoArgs(p livePlan) []string {
	gop := strconv.Itoa(liveGOP(p.FPS))
	rate := strconv.Itoa(p.Bitrate)
	args := []string{"-c:v", "libx264", "-preset", livePreset, "-profile:v", "high", "-pix_fmt", "yuv420p"}
	args = append(args, colorTags(p.Matrix)...)
	return append(args,
		"-b:v", rate, "-maxrate", rate, "-bufsize", rate, // constant bitrate with a one-second buffer
		"-x264-params", "nal-hrd=cbr", // filler keeps the bitrate steady, as ingest servers like
		"-g", gop, "-keyint_min", gop, "-sc_threshold", "0", // a keyframe exactly every 2 s, none in between
	)
}

// teeEscape protects the characters the tee muxer splits on.
func teeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `|`, `\|`, `[`, `\[`, `]`, `\]`).Replace(s)
}
