package encoder

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The still path: every frame of a still image is the same, so encoding
// each one again is wasted work. Instead a few segments are encoded
// through the pipe, and the output is assembled from copies of them by
// stream copy.

// maxKeyframeGap is the longest a viewer waits for a keyframe when seeking.
const maxKeyframeGap = 10 * time.Second

// aacRate and aacFrameSamples describe the AAC audio of live streams.
const (
	aacRate         = 48000
	aacFrameSamples = 1024
)

// stillSegmentFrames is the length of the segment that is encoded once:
// the longest that keeps a keyframe at least every maxKeyframeGap. Every
// segment starts with a keyframe, the costliest frame by far, so fewer
// segments make a smaller file: as few keyframes as the plain recipe's
// default of one every 250 frames. (Files have no audio yet; when they do,
// the segment must also end on an AAC frame, as the live segment does.)
func stillSegmentFrames(fps int) int {
	return int(maxKeyframeGap.Seconds()) * fps
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

	// One encode makes three parts, split at the keyframes: a warm-up
	// segment that is thrown away, the segment, and the tail (the frames
	// left over after whole copies of the segment). x264 spends about 10 %
	// more on a stream's first group of pictures than on the ones after
	// it, so the copied segment is a later one.
	copies, tail := r.total/r.segment, r.total%r.segment
	seg := r.plan
	seg.Segment = r.segment
	seg.SplitAt = []int{r.segment, 2 * r.segment}
	seg.Container = Container{Ext: ".nut", Format: "nut"} // exact timestamps, B-frames and all
	seg.Output = filepath.Join(dir, "part%d.nut")
	encodeFrames := 2*r.segment + tail
	encode := ffmpegRun{
		bin: r.bin,
		args: func(input string) []string {
			seg.Input = input
			return ffmpegArgs(seg)
		},
		frame:  r.frame,
		frames: encodeFrames,
		progress: func(p ffmpegProgress) {
			r.job.emit(r.progress(PhaseEncode, p.Frame, p.Speed, 0))
		},
	}
	if err := encode.run(ctx); err != nil {
		return err
	}
	encoded := time.Since(r.began)

	list := filepath.Join(dir, "list.ffconcat")
	if err := os.WriteFile(list, []byte(concatList(copies, r.segment, tail, r.plan.FPS)), 0o600); err != nil {
		return fmt.Errorf("writing the segment list: %w", err)
	}
	var last ffmpegProgress // the copy's final report: did it really copy every frame?
	asm := assemblePlan{List: list, Frames: r.total, Container: r.plan.Container, Output: r.plan.Output}
	assemble := ffmpegRun{
		bin:  r.bin,
		args: func(string) []string { return assembleArgs(asm) },
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

// concatList is the concat demuxer's playlist: copies of the segment, then
// the tail. Each entry's duration is given exactly, because B-frames
// delay the first timestamp of a segment and the probed length would
// leave a gap at every joint.
func concatList(copies, segment, tail, fps int) string {
	var b strings.Builder
	b.WriteString("ffconcat version 1.0\n")
	entry := func(name string, frames int) {
		fmt.Fprintf(&b, "file %s\nduration %s\n", name, strconv.FormatFloat(float64(frames)/float64(fps), 'f', 6, 64))
	}
	for range copies {
		entry("part1.nut", segment)
	}
	if tail > 0 {
		entry("part2.nut", tail)
	}
	return b.String()
}

// progress builds an event for one phase. The fraction weighs the phases
// by their estimated cost; the ETA follows from the encode rate so far.
func (r *stillRender) progress(phase Phase, frame int, speed float64, encodeTime time.Duration) Progress {
	encodeWork := 2*r.segment + r.total%r.segment
	copyWork := float64(r.total) / copyCostRatio
	work := float64(encodeWork) + copyWork
	var done float64
	ev := Progress{Phase: phase, Frame: frame, Speed: speed, Elapsed: time.Since(r.began)}
	switch phase {
	case PhaseEncode:
		ev.Frame = min(frame, encodeWork)
		ev.TotalFrames = encodeWork
		done = float64(ev.Frame)
		if secs := ev.Elapsed.Seconds(); secs > 0 && ev.Frame > 0 {
			ev.FPS = float64(ev.Frame) / secs
			ev.ETA = time.Duration((work - done) / ev.FPS * float64(time.Second)).Round(100 * time.Millisecond)
		}
	case PhaseAssemble:
		ev.Frame = min(frame, r.total)
		ev.TotalFrames = r.total
		done = float64(encodeWork) + float64(ev.Frame)/copyCostRatio
		if secs := (ev.Elapsed - encodeTime).Seconds(); secs > 0 {
			ev.FPS = float64(ev.Frame) / secs
		}
	}
	ev.Fraction = min(1, done/work)
	return ev
}
