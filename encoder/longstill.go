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
// and over, and a shorter one for the frames left. Its MP4 is written in
// Go (encoder/mp4file): the index first, then the segment's bytes once
// per repetition, then the last segment's. That is I/O-bound, where ffmpeg's
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
// length d: one segment of about repeatGap (repeatSegment), played as
// often as it fits whole, and a shorter last segment for the frames left,
// both encoded once in one run after a warm-up segment. It returns nil
// where the writer does not apply: several slides or a crossfade, a video
// no longer than one segment (then every frame is encoded), or when tests
// ask for the concat path.
func planRepeat(p renderPlan, d time.Duration) *stillPlan {
	s := p.Settings
	if s.concatPath || len(p.Clips) != 1 || p.Clips[0].blend() {
		return nil
	}
	c := p.Clips[0]
	gap := segmentFrames(repeatGap(s, d), s.FPS)
	if p.Total <= gap {
		return nil
	}
	k, rest := repeatSegment(p.Total, gap)
	whole := p.Total / k
	segment := func(n, copies int) part { return part{clips: []clip{c.clipOf(n)}, copies: copies} }
	var parts []part
	if (p.Total+k-1)/k >= 3 { // as stillParts does
		parts = append(parts, warmUp(c.clipOf(k)))
	}
	parts = append(parts, segment(k, whole))
	if rest > 0 {
		parts = append(parts, segment(rest, 1))
	}
	sp := planStill(p.Encode, parts, k, p.Total)
	sp.Repeat, sp.List = true, ""
	return sp
}

// repeatSegment chooses the segment of a still of total frames with
// keyframes at most gap frames apart: the one, from gap down to nine
// tenths of it, that leaves the fewest frames after its last whole
// repetition, the longest of those. The frames left, rest, are a segment
// of their own, encoded in full, so this keeps that encode short: a
// ten-hour video with keyframes 2 minutes apart could otherwise encode
// nearly 2 minutes more.
func repeatSegment(total, gap int) (k, rest int) {
	k, rest = gap, total%gap
	for n := gap - 1; n >= max(1, gap-gap/10) && rest > 0; n-- {
		if r := total % n; r < rest {
			k, rest = n, r
		}
	}
	return k, rest
}

// needsRemux reports whether the output takes more than the Go writer's
// MP4 of the video alone.
func (r *stillRender) needsRemux() bool {
	m := r.final.Mux
	return r.final.Container.Format != "mp4" || m.Audio != nil || m.Cover != "" || m.Chapters != ""
}

// writeRepeated writes the output from the segments encoded into dir: by
// the Go writer straight into the temporary output, or into dir first
// when ffmpeg must remux it with the audio, cover and chapters.
func (r *stillRender) writeRepeated(ctx context.Context, dir string, encoded time.Duration) error {
	var pieces []mp4file.Piece
	for i, p := range r.plan.Parts {
		if p.copies == 0 { // the warm-up
			continue
		}
		seg, err := mp4file.ReadSegment(filepath.Join(dir, partName(i, Container{Ext: ".mp4"})))
		if err != nil {
			return err
		}
		pieces = append(pieces, mp4file.Piece{Seg: seg, Times: p.copies})
	}
	out, remux := r.final.Output, r.needsRemux()
	r.stages = 1
	if remux {
		out, r.stages = filepath.Join(dir, "video.mp4"), 2
	}
	if err := r.writeVideo(ctx, pieces, out, encoded); err != nil {
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
	err := ffmpeg.Command{
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
func (r *stillRender) writeVideo(ctx context.Context, pieces []mp4file.Piece, path string, encoded time.Duration) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return fmt.Errorf("writing the video: %w", err)
	}
	w := bufio.NewWriterSize(f, 4<<20)
	written, reported := 0, time.Time{}
	if frames := mp4file.Frames(pieces); frames != r.total {
		f.Close()
		return fmt.Errorf("the segments make %d frames, not %d", frames, r.total)
	}
	n, err := mp4file.Write(ctx, w, pieces, func(frames int) {
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
	if want, _ := mp4file.Size(pieces); written != r.total || n != want {
		return fmt.Errorf("wrote %d of %d frames (%d of %d bytes)", written, r.total, n, want)
	}
	return nil
}
