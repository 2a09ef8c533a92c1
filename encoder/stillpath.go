package encoder

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
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
// default of one every 250 frames. The audio of a file is not cut into
// segments: it joins the video when the copies are assembled, so the
// segment need not end on an audio frame as the live segment does.
func stillSegmentFrames(fps int) int {
	return int(maxKeyframeGap.Seconds()) * fps
}

// segmentFrames is the segment for a keyframe interval the user chose, in
// whole frames (at least one); 0 takes stillSegmentFrames.
func segmentFrames(interval time.Duration, fps int) int {
	if interval <= 0 {
		return stillSegmentFrames(fps)
	}
	return max(1, int(math.Round(interval.Seconds()*float64(fps))))
}

// copyCostRatio estimates how many frames the copy phase assembles in the
// time the encode phase takes for one: it weighs the two phases in the
// progress fraction until the copy phase measures its own rate.
const copyCostRatio = 200

// audioEncodeCostRatio replaces copyCostRatio when the copy phase also
// encodes the audio: ffmpeg's AAC encoder clips at about ten times real
// time on two cores, so the copy is then the longer phase.
const audioEncodeCostRatio = 5

// stillRender carries out the still path of a plan: encode the parts
// once, then assemble the output from copies of them.
type stillRender struct {
	job    *Job
	bin    string
	plan   *stillPlan
	final  encodePlan    // the output's: Output is the temporary file, Mux its audio and cover
	frames ffmpeg.Frames // the parts' frames, in order
	total  int           // frames in the output
	began  time.Time
	aac    *aacPlan        // the audio, encoded beside the parts; nil when the assembly makes it
	fold   *foldedProgress // the audio's progress folded into the events, with aac
	// stage counts the copy phase's runs done of stages (0: one run): the
	// Go writer and then ffmpeg's remux, when the output needs one.
	stage, stages int
}

// emit sends the progress of the picture, with the audio's when it is
// encoded beside it.
func (r *stillRender) emit(ev Progress) {
	if r.fold != nil {
		r.fold.picture(ev)
		return
	}
	r.job.emit(ev)
}

func (r *stillRender) encodeAndAssemble(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "stillcast-segment-")
	if err != nil {
		return fmt.Errorf("making a folder for the segment: %w", err)
	}
	defer os.RemoveAll(dir)
	var audio *aacAhead
	if r.aac != nil {
		r.fold = &foldedProgress{job: r.job, began: r.began}
		audio = startAAC(ctx, r.bin, dir, r.final.Mux.Audio, *r.aac, r.final.Limits, r.fold.audioAt)
		defer audio.stop() // before the folder is removed
	}
	seg := r.plan.segmentEncode(r.final, dir)
	encode := ffmpeg.Command{
		Bin: r.bin,
		Args: func(in ffmpeg.Inputs) []string {
			seg.Input = in.Video
			return ffmpegArgs(seg)
		},
		Video:  r.frames,
		Frames: encodedFrames(r.plan.Parts),
		Progress: func(p ffmpeg.Progress) {
			r.emit(r.progress(PhaseEncode, p.Frame, p.Speed, 0))
		},
	}
	if err := encode.Run(ctx); err != nil {
		return err
	}
	encoded := time.Since(r.began)
	if audio != nil {
		a := r.final.Mux.Audio
		if r.final.Mux.Audio, err = audio.wait(ctx, a.Length, a.Tags); err != nil {
			return err
		}
		r.fold.audioAt(1) // its last report may fall short of the end
	}
	if r.plan.Repeat {
		return r.writeRepeated(ctx, dir, encoded)
	}

	asm := r.plan.Assemble
	asm.List, asm.Output = filepath.Join(dir, "list.ffconcat"), r.final.Output
	asm.Mux = r.final.Mux // with the cover art and the audio, written for this render
	if err := os.WriteFile(asm.List, []byte(r.plan.List), 0o600); err != nil {
		return fmt.Errorf("writing the segment list: %w", err)
	}
	var last ffmpeg.Progress // the copy's final report: did it really copy every frame?
	assemble := ffmpeg.Command{
		Bin:  r.bin,
		Args: func(ffmpeg.Inputs) []string { return assembleArgs(asm) },
		Progress: func(p ffmpeg.Progress) {
			last = p
			r.emit(r.progress(PhaseAssemble, p.Frame, p.Speed, encoded))
		},
	}
	if err := assemble.Run(ctx); err != nil {
		return err
	}
	if !last.End || last.Frame < r.total {
		return fmt.Errorf("ffmpeg assembled %d of %d frames", last.Frame, r.total)
	}
	return nil
}

// concatList is the concat demuxer's playlist: each part as many times as
// it is played. Each entry's duration is given exactly, because B-frames
// delay the first timestamp of a part and the probed length would leave a
// gap at every joint. The segment muxer numbers the parts from 0.
func concatList(parts []part, fps int) string {
	var b strings.Builder
	b.WriteString("ffconcat version 1.0\n")
	for i, p := range parts {
		d := strconv.FormatFloat(float64(p.frames())/float64(fps), 'f', 6, 64)
		for range p.copies {
			fmt.Fprintf(&b, "file part%d.nut\nduration %s\n", i, d)
		}
	}
	return b.String()
}

// progress builds an event for one phase. The fraction weighs the phases
// by their estimated cost; the ETA follows from the encode rate so far,
// and in the copy phase from its own.
func (r *stillRender) progress(phase Phase, frame int, speed float64, encodeTime time.Duration) Progress {
	encodeWork := encodedFrames(r.plan.Parts)
	ratio := float64(copyCostRatio)
	if r.plan.Repeat {
		ratio = repeatCostRatio
	}
	if a := r.final.Mux.Audio; a != nil && !a.Copy && r.aac == nil {
		ratio = audioEncodeCostRatio
	}
	copyWork := float64(r.total) / ratio
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
		stages := float64(max(1, r.stages))
		copied := (float64(r.stage) + float64(ev.Frame)/float64(r.total)) / stages // of the copy phase
		done = float64(encodeWork) + copied*copyWork
		if secs := (ev.Elapsed - encodeTime).Seconds(); secs > 0 {
			ev.FPS = float64(ev.Frame) / secs
			if copied > 0 {
				ev.ETA = time.Duration(secs * (1 - copied) / copied * float64(time.Second)).Round(100 * time.Millisecond)
			}
		}
	}
	ev.Fraction = min(1, done/work)
	return ev
}
