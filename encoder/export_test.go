package encoder

import (
	"context"
	"errors"
	"runtime"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
)

// The end-to-end tests in package encoder_test make and read audio with
// the same helpers as the tests inside the package.
var (
	MakeTone = makeTone
	PCMOf    = pcmOf
	RMS      = rms
	// LoudSource writes audio that is loud everywhere, for loops.
	LoudSource = loudSource
	// AlignedSNR, StereoPCM and MakeMusic measure the AAC
	// of the benchmark as the quality test does.
	AlignedSNR = alignedSNR
	StereoPCM  = stereoPCM
	MakeMusic  = makeMusic
)

// LiveKeyframeSeconds is the keyframe interval of a live stream.
const LiveKeyframeSeconds = liveKeyframeSeconds

// SpliceLoop loops the audio file at path to length by copy, as a render
// with --audio-loop does before it muxes, and returns the stream it made
// and the cleanup of its folder. It fails when the file was not spliced.
func SpliceLoop(ctx context.Context, bin, path string, length time.Duration) (string, func(), error) {
	probe, err := ffmpeg.FindProbe(bin)
	if err != nil {
		return "", func() {}, err
	}
	info, err := probeAudio(ctx, probe, path)
	if err != nil {
		return "", func() {}, err
	}
	a := planAudio([]AudioInfo{info}, length, true, Containers()[0], 25)
	spliced, cleanup, err := spliceAudio(ctx, bin, a)
	if err == nil && spliced.Spliced == "" {
		err = errors.New("not spliced: encoded as before")
	}
	if err != nil {
		return "", cleanup, err
	}
	return spliced.Spliced, cleanup, nil
}

// WithConcatPath makes a still take the concat path instead of the Go
// writer, for benchmarks that measure the one beside the other.
func WithConcatPath(s Settings) Settings {
	s.concatPath = true
	return s
}

// KenBurnsFrames are the frames a Ken Burns render of s draws and writes
// into the pipe, and their number: the drawing alone, for a benchmark.
func KenBurnsFrames(s Settings) (ffmpeg.Frames, int, error) {
	first, err := loadImage(s.Images[0].Image)
	if err != nil {
		return nil, 0, err
	}
	p, err := planRender(s, facts{Image: first.Bounds().Size(), Cores: runtime.NumCPU()})
	if err != nil {
		return nil, 0, err
	}
	return p.kenBurnsVideo(), p.Total, nil
}
