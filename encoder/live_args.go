package encoder

import (
	"fmt"
	"strconv"

	"github.com/stillcast/stillcast/encoder/picture"
)

// livePlan holds what the live encodes need, already resolved.
type livePlan struct {
	Input   string // the FIFO
	Audio   string // the pipe of a playlist's raw audio; "" for silence
	Width   int
	Height  int
	FPS     int
	Matrix  picture.Matrix
	Bitrate int    // bits per second
	Limits  limits // what this ffmpeg cannot do
}

// Live encoding follows what the platforms ask of an ingest stream
// (YouTube's and Twitch's encoder settings pages): H.264 High, keyframes
// every 2 s, constant bitrate, AAC stereo 48 kHz audio.
const (
	liveKeyframeSeconds = 2
	livePreset          = "veryfast"
	liveAudioBitrate    = "128k"
	liveAudioRate       = "48000"
)

// liveGOP is the keyframe interval in frames: exactly every 2 s.
func liveGOP(fps int) int { return liveKeyframeSeconds * fps }

// perFrameArgs builds ffmpeg's argument list for a live stream that
// encodes every frame (the per-frame path): MPEG-TS on its standard
// output, which Stillcast reads and publishes. It is a pure function; no
// shell ever sees it, and it holds no address and no key.
func perFrameArgs(p livePlan) []string {
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "warning", "-nostats"}
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
	args = append(args, "-bf", "0")
	if p.Audio != "" {
		args = append(args, playlistAudioArgs()...)
	} else {
		args = append(args, "-c:a", "aac", "-b:a", liveAudioBitrate, "-ar", liveAudioRate, "-ac", "2")
	}
	return append(args, "-f", "mpegts", "pipe:1")
}

// segmentArgs encodes a live segment: frames from the pipe at the live
// settings into raw H.264 (Annex B), which Stillcast splits into access
// units and loops. It has no B-frames, so a loop never reaches across its
// loop point, and a delimiter before every picture.
func segmentArgs(p livePlan, output string) []string {
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "warning"}
	args = append(args, progressArgs(progressInterval, p.Limits)...)
	args = append(args, rawInputArgs(p)...)
	args = append(args, liveVideoArgs(p)...)
	return append(args, "-bf", "0", "-an", "-f", "h264", "-y", "file:"+output)
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
		"-x264-params", "nal-hrd=cbr:aud=1", // filler keeps the bitrate steady, as ingest servers like
		"-g", gop, "-keyint_min", gop, "-sc_threshold", "0", // a keyframe exactly every 2 s, none in between
	)
}
