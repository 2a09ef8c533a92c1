package encoder

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/mp4file"
)

// Long stills: a video of one still picture is one segment played over
// and over. Its MP4 is written in Go (encoder/mp4file): the index first,
// then the segment's bytes once per repetition, the last cut after
// whichever frame ends the video. That is I/O-bound, where ffmpeg's
// concat demuxer spends about 25 ms an entry and more a packet: a 10-hour
// video took minutes. Where the output needs more than the video (audio,
// cover art, chapters) or another container, ffmpeg remuxes that MP4 by
// stream copy, which is cheap: it reads one file.
//
// Slideshows, crossfades included, keep the concat path (stillpath.go):
// their parts differ, and each needs its own keyframe and its own place
// in the list.

// longVideo is the length above which a still spaces its keyframes by
// its length, so that it has at most longVideoKeyframes of them, from
// maxKeyframeGap up to longVideoKeyframeGap apart. Every keyframe of a
// still is the same picture encoded in full again (about 110 KB at 1080p),
// so at one every 10 s they made most of a ten-hour file: 3600 of them.
// Seeking lands on the keyframe before and decodes forward; the frames
// between are a few hundred bytes each and quick to decode. A longer gap
// costs encode time: the segment of one gap is encoded once.
const (
	longVideo            = time.Hour
	longVideoKeyframes   = 300
	longVideoKeyframeGap = 2 * time.Minute
)

// repeatCostRatio is copyCostRatio for the Go writer and its remux: they
// move the frames of a ten-hour video in a few seconds.
const repeatCostRatio = 1000

// writerReportEvery is how often the Go writer reports progress, as
// often as ffmpeg is asked to (progressInterval).
const writerReportEvery = 200 * time.Millisecond

// repeatGap is the keyframe interval of a still of length d: the user's
// choice, else maxKeyframeGap, and for a long video d spread over
// longVideoKeyframes, in whole seconds, up to longVideoKeyframeGap.
func repeatGap(s Settings, d time.Duration) time.Duration {
	switch {
	case s.KeyframeInterval > 0:
		return s.KeyframeInterval
	case d > longVideo:
		spread := (d/longVideoKeyframes + time.Second - 1).Truncate(time.Second)
		return min(longVideoKeyframeGap, max(maxKeyframeGap, spread))
	}
	return maxKeyframeGap
}

// planRepeat plans the still path of a video of one still picture, of
// length d: one segment of repeatGap, encoded once after a warm-up
// segment, and written as often as it fits. It returns nil where the
// writer does not apply: several slides or a crossfade, a video no
// longer than one segment (then every frame is encoded), or when tests
// ask for the concat path.
func planRepeat(p renderPlan, d time.Duration) *stillPlan {
	s := p.Settings
	if s.concatPath || len(p.Clips) != 1 || p.Clips[0].blend() {
		return nil
	}
	c := p.Clips[0]
	k := segmentFrames(repeatGap(s, d), s.FPS)
	if p.Total <= k {
		return nil
	}
	copies := (p.Total + k - 1) / k
	var parts []part
	// x264 spends more on a stream's first group of pictures than on
	// those after it (see stillParts); a short warm-up is enough, however
	// long the segment.
	if copies >= 3 {
		warm := min(k, stillSegmentFrames(s.FPS))
		parts = append(parts, part{clips: []clip{{a: c.a, b: -1, n: warm, span: c.span}}})
	}
	parts = append(parts, part{clips: []clip{{a: c.a, b: -1, n: k, span: c.span}}, copies: copies})
	return &stillPlan{
		Parts: parts, Segment: k, Repeat: true,
		Assemble: assemblePlan{
			Frames: p.Total, FPS: s.FPS, Container: p.Encode.Container, Mux: p.Encode.Mux,
			Limits: p.Encode.Limits,
		},
	}
}

// needsRemux reports whether the output takes more than the Go writer's
// MP4 of the video alone.
func (r *stillRender) needsRemux() bool {
	m := r.final.Mux
	return r.final.Container.Format != "mp4" || m.Audio != nil || m.Cover != "" || m.Chapters != ""
}

// writeRepeated writes the output from the segment encoded into dir: by
// the Go writer straight into the temporary output, or into dir first
// when ffmpeg must remux it with the audio, cover and chapters.
func (r *stillRender) writeRepeated(ctx context.Context, dir string, encoded time.Duration) error {
	seg, err := mp4file.ReadSegment(filepath.Join(dir, partName(len(r.plan.Parts)-1, Container{Ext: ".mp4"})))
	if err != nil {
		return err
	}
	out, remux := r.final.Output, r.needsRemux()
	r.stages = 1
	if remux {
		out, r.stages = filepath.Join(dir, "video.mp4"), 2
	}
	if err := r.writeVideo(ctx, seg, out, encoded); err != nil {
		return err
	}
	if !remux {
		return nil
	}
	r.stage = 1
	asm := r.plan.Assemble
	asm.Video, asm.Output = out, r.final.Output
	asm.Mux = r.final.Mux // with the cover art and chapters, written for this render
	var last ffmpeg.Progress
	err = ffmpeg.Command{
		Bin:  r.bin,
		Args: func(ffmpeg.Inputs) []string { return assembleArgs(asm) },
		Progress: func(p ffmpeg.Progress) {
			last = p
			r.emit(r.progress(PhaseAssemble, p.Frame, p.Speed, encoded))
		},
	}.Run(ctx)
	if err != nil {
		return err
	}
	if !last.End || last.Frame < r.total {
		return fmt.Errorf("ffmpeg copied %d of %d frames", last.Frame, r.total)
	}
	return nil
}

// writeVideo writes the video's MP4 into path and checks that it holds
// every frame.
func (r *stillRender) writeVideo(ctx context.Context, seg *mp4file.Segment, path string, encoded time.Duration) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return fmt.Errorf("writing the video: %w", err)
	}
	w := bufio.NewWriterSize(f, 4<<20)
	written, reported := 0, time.Time{}
	n, err := mp4file.Write(ctx, w, seg, r.total, func(frames int) {
		written = frames
		switch {
		case frames == r.total: // the last, which a reader must see
			r.job.emitSure(r.progress(PhaseAssemble, frames, 0, encoded))
		case time.Since(reported) >= writerReportEvery:
			reported = time.Now()
			r.emit(r.progress(PhaseAssemble, frames, 0, encoded))
		}
	})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return ErrCancelled
	case err != nil:
		return fmt.Errorf("writing the video %s: %w", filepath.Base(path), err)
	}
	if want, _ := mp4file.Size(seg, r.total); written != r.total || n != want {
		return fmt.Errorf("wrote %d of %d frames (%d of %d bytes)", written, r.total, n, want)
	}
	return nil
}
