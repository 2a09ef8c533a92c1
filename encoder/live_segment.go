package encoder

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
)

// The still path for live streams: a segment of liveSegmentSeconds is
// encoded once at the live settings, with silent AAC laid beside it, and
// ffmpeg loops it to the servers at wall-clock speed by stream copy. That
// costs about 1 % of a core, where encoding every frame costs most of one.

// liveSegmentSeconds holds whole 2 s keyframe intervals and whole AAC
// frames at 48 kHz (8 s = 375 frames of 1024 samples), so both streams end
// together and the loop never drifts.
const liveSegmentSeconds = 8

// liveSegmentFrames is the segment's length in video frames.
func liveSegmentFrames(fps int) int { return liveSegmentSeconds * fps }

// silenceFrames is how many AAC frames last liveSegmentSeconds.
const silenceFrames = liveSegmentSeconds * aacRate / aacFrameSamples

// silentAAC writes an ADTS file of exactly silenceFrames silent AAC
// frames. An encoder starts with priming frames that would overlap at
// every loop point, so one frame from the middle of encoded silence is
// repeated instead: every frame of silence is the same.
func silentAAC(ctx context.Context, bin, dir string) (string, error) {
	sample := filepath.Join(dir, "silence-sample.aac")
	err := ffmpeg.CombinedOutput(ctx, bin, "-hide_banner", "-nostdin", "-loglevel", "error",
		"-f", "lavfi", "-i", "anullsrc=channel_layout=stereo:sample_rate="+strconv.Itoa(aacRate),
		"-t", "1", "-c:a", "aac", "-b:a", liveAudioBitrate, "-f", "adts", "-y", "file:"+sample)
	if err != nil {
		return "", fmt.Errorf("encoding silence: %w", err)
	}
	data, err := os.ReadFile(sample)
	if err != nil {
		return "", err
	}
	frames, err := adtsFrames(data)
	if err != nil {
		return "", fmt.Errorf("encoding silence: %w", err)
	}
	const pick = 10 // well past the priming frames
	if len(frames) <= pick {
		return "", fmt.Errorf("encoding silence: only %d AAC frames", len(frames))
	}
	out := make([]byte, 0, silenceFrames*len(frames[pick]))
	for range silenceFrames {
		out = append(out, frames[pick]...)
	}
	path := filepath.Join(dir, "silence.aac")
	return path, os.WriteFile(path, out, 0o600)
}

// adtsFrames splits an ADTS stream into its frames by the length field of
// each frame header.
func adtsFrames(data []byte) ([][]byte, error) {
	var frames [][]byte
	for len(data) > 0 {
		if len(data) < 7 || data[0] != 0xFF || data[1]&0xF6 != 0xF0 {
			return nil, errors.New("not an ADTS stream")
		}
		n := int(data[3]&3)<<11 | int(data[4])<<3 | int(data[5])>>5
		if n < 7 || n > len(data) {
			return nil, errors.New("a truncated ADTS frame")
		}
		frames = append(frames, data[:n])
		data = data[n:]
	}
	return frames, nil
}

// liveSegmentArgs encodes the live segment: frames from the pipe at the
// live settings, the silence beside them, into Matroska. Its length is
// exactly liveSegmentSeconds, so a loop of it has no gaps and no drift
// (an hour of loops ends with audio and video within a frame), and unlike
// MP4 it carries no codec tags that FLV inside the tee muxer refuses.
func liveSegmentArgs(p livePlan, silence, output string) []string {
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "warning"}
	args = append(args, progressArgs(progressInterval, p.Limits)...)
	args = append(args, rawInputArgs(p)...)
	args = append(args, "-f", "aac", "-i", "file:"+silence, "-map", "0:v:0", "-map", "1:a:0")
	args = append(args, liveVideoArgs(p)...)
	return append(args,
		"-bf", "0", // decode order is display order: nothing reaches across the loop point
		"-c:a", "copy",
		"-f", "matroska", "-y", "file:"+output,
	)
}

// liveLoopArgs streams the segment in a loop at its own pace, copying it,
// with its own silence or, when audio is a pipe, a playlist's audio. lim
// is what this ffmpeg cannot do.
func liveLoopArgs(segment, audio string, outputs []string, lim limits) []string {
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "warning"}
	args = append(args, progressArgs(liveStatsPeriod, lim)...)
	args = append(args,
		"-re",                // send at the speed of the timestamps: a live stream
		"-stream_loop", "-1", // forever; timestamps go on growing across loops
		"-i", "file:"+segment,
	)
	if audio == "" {
		args = append(args, "-map", "0:v:0", "-map", "0:a:0", "-c", "copy")
	} else {
		args = append(args, pcmInputArgs(audio)...)
		args = append(args, "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy")
		args = append(args, playlistAudioArgs()...)
	}
	return append(args, liveOutputArgs(outputs)...)
}

// liveOutputArgs sends the encoded streams to one server as FLV, or to
// several through the tee muxer, where one destination failing does not
// stop the others.
func liveOutputArgs(outputs []string) []string {
	if len(outputs) == 1 {
		return []string{"-f", "flv", "-flvflags", "no_duration_filesize", outputs[0]}
	}
	slaves := make([]string, len(outputs))
	for i, o := range outputs {
		slaves[i] = "[f=flv:onfail=ignore:flvflags=no_duration_filesize]" + teeEscape(o)
	}
	return []string{
		"-flags", "+global_header", // FLV inside tee needs the codec headers up front
		"-f", "tee", strings.Join(slaves, "|"),
	}
}
