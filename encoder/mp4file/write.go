package mp4file

import (
	"context"
	"fmt"
	"io"
)

// Write writes to w an MP4 of frames frames: seg's samples, repeated
// from the first as often as they fit, the last repetition cut after
// whichever sample ends the video. progress, when not nil, is told the
// frames written so far after each repetition. It returns the bytes
// written; it stops between repetitions when ctx ends.
func Write(ctx context.Context, w io.Writer, seg *Segment, frames int, progress func(frames int)) (int64, error) {
	p, err := planFor(seg, frames)
	if err != nil {
		return 0, err
	}
	if int64(len(seg.Data)) != segmentBytes(seg) {
		return 0, fmt.Errorf("the segment holds %d bytes of samples, its table says %d", len(seg.Data), segmentBytes(seg))
	}
	head, err := header(seg, p)
	if err != nil {
		return 0, fmt.Errorf("building the MP4 index: %w", err)
	}
	written, err := w.Write(head)
	total := int64(written)
	if err != nil {
		return total, err
	}
	n := len(seg.Sizes)
	for rep := range p.chunks() {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		data, done := seg.Data, (rep+1)*n
		if rep == p.whole { // the cut one
			data, done = seg.Data[:restBytes(seg, p.rest)], frames
		}
		// One large write a repetition: the data is in memory already.
		written, err := w.Write(data)
		total += int64(written)
		if err != nil {
			return total, err
		}
		if progress != nil {
			progress(done)
		}
	}
	return total, nil
}

// Size is the length of the file Write makes of frames frames of seg.
func Size(seg *Segment, frames int) (int64, error) {
	p, err := planFor(seg, frames)
	if err != nil {
		return 0, err
	}
	head, err := header(seg, p)
	if err != nil {
		return 0, err
	}
	return int64(len(head)) + p.dataSize(seg), nil
}
