package encoder

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// The still path: every frame of a still image is the same, so encoding
// each one again is wasted work. Instead one segment is encoded through the
// pipe, and the output is assembled from copies of it by stream copy.

// maxKeyframeGap is the longest a viewer waits for a keyframe when seeking.
const maxKeyframeGap = 10 * time.Second

// aacRate and aacFrameSamples describe the AAC audio laid beside a segment.
const (
	aacRate         = 48000
	aacFrameSamples = 1024
)

// aacAlignedFrames is the fewest video frames that also last a whole
// number of AAC frames at 48 kHz: k/fps seconds hold k·48000/fps samples,
// which must be a multiple of 1024.
func aacAlignedFrames(fps int) int {
	unit := aacFrameSamples * fps
	return unit / gcd(aacRate, unit)
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// stillSegmentFrames is the length of the segment that is encoded once:
// the longest that keeps a keyframe at least every maxKeyframeGap (more
// keyframes would make the file bigger) and ends on a boundary of both a
// video and an AAC frame, so audio can run beside it without drift.
func stillSegmentFrames(fps int) int {
	base := aacAlignedFrames(fps)
	n := max(1, int(maxKeyframeGap.Seconds())*fps/base)
	return base * n
}

// copyCostRatio estimates how many frames the copy phase assembles in the
// time the encode phase takes for one: it weighs the two phases in the
// progress fraction until the copy phase measures its own rate.
const copyCostRatio = 200

// stillRender is a render by the still path: encode one segment, then
// assemble the output from copies of it.
type stillRender struct {
	job     *Job
	bin     string
	plan    encodePlan // for the segment; Output is the final temporary file
	frame   []byte
	total   int // frames in the output
	segment int // frames in the segment
	began   time.Time
}

func (r *stillRender) run(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "stillcast-segment-")
	if err != nil {
		return fmt.Errorf("making a folder for the segment: %w", err)
	}
	defer os.RemoveAll(dir)
	segPath := filepath.Join(dir, "segment.h264")

	seg := r.plan
	seg.Segment = r.segment
	seg.Container = Container{Ext: ".h264", Format: "h264"}
	seg.Output = segPath
	encode := ffmpegRun{
		bin: r.bin,
		args: func(input string) []string {
			seg.Input = input
			return ffmpegArgs(seg)
		},
		frame:  r.frame,
		frames: r.segment,
		progress: func(p ffmpegProgress) {
			r.job.emit(r.progress(PhaseEncode, p.Frame, p.Speed, time.Since(r.began)))
		},
	}
	if err := encode.run(ctx); err != nil {
		return err
	}
	encoded := time.Since(r.began)

	data, err := os.ReadFile(segPath)
	if err != nil {
		return fmt.Errorf("reading the encoded segment: %w", err)
	}
	var last ffmpegProgress // the copy's final report: did it really copy every frame?
	asm := assemblePlan{FPS: r.plan.FPS, Frames: r.total, Container: r.plan.Container, Output: r.plan.Output}
	assemble := ffmpegRun{
		bin: r.bin,
		args: func(input string) []string {
			asm.Input = input
			return assembleArgs(asm)
		},
		frame:  data,
		frames: (r.total + r.segment - 1) / r.segment,
		// ffmpeg stops reading after the last frame it needs, which may be
		// in the middle of the last copy.
		partialInput: true,
		progress: func(p ffmpegProgress) {
			last = p
			ev := r.progress(PhaseAssemble, p.Frame, p.Speed, encoded)
			if copying := time.Since(r.began) - encoded; p.Frame > 0 && copying > 0 {
				rate := float64(p.Frame) / copying.Seconds()
				ev.ETA = time.Duration(float64(r.total-p.Frame) / rate * float64(time.Second)).Round(100 * time.Millisecond)
			}
			r.job.emit(ev)
		},
	}
	if err := assemble.run(ctx); err != nil {
		return err
	}
	if !last.End || last.Frame < r.total {
		return fmt.Errorf("ffmpeg assembled %d of %d frames", last.Frame, r.total)
	}
	return nil
}

// progress builds an event for one phase. The fraction weighs the phases
// by their estimated cost; the ETA follows from the encode rate so far.
func (r *stillRender) progress(phase Phase, frame int, speed float64, encodeTime time.Duration) Progress {
	copyWork := float64(r.total) / copyCostRatio
	work := float64(r.segment) + copyWork
	var done float64
	ev := Progress{Phase: phase, Frame: frame, Speed: speed, Elapsed: time.Since(r.began)}
	switch phase {
	case PhaseEncode:
		ev.Frame = min(frame, r.segment)
		ev.TotalFrames = r.segment
		done = float64(ev.Frame)
		if secs := ev.Elapsed.Seconds(); secs > 0 && ev.Frame > 0 {
			ev.FPS = float64(ev.Frame) / secs
			ev.ETA = time.Duration((work - done) / ev.FPS * float64(time.Second)).Round(100 * time.Millisecond)
		}
	case PhaseAssemble:
		ev.Frame = min(frame, r.total)
		ev.TotalFrames = r.total
		done = float64(r.segment) + float64(ev.Frame)/copyCostRatio
		if secs := (ev.Elapsed - encodeTime).Seconds(); secs > 0 {
			ev.FPS = float64(ev.Frame) / secs
		}
	}
	ev.Fraction = min(1, done/work)
	return ev
}
