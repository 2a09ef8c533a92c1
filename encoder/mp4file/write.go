package mp4file

import (
	"context"
	"fmt"
	"io"
)

// Write writes to w an MP4 of the pieces in order, each segment's samples
// as many times over as its piece says. progress, when not nil, is told
// the frames written so far after each repetition. It returns the bytes
// written; it stops between repetitions when ctx ends.
func Write(ctx context.Context, w io.Writer, pieces []Piece, progress func(frames int)) (int64, error) {
	p, err := planFor(pieces)
	if err != nil {
		return 0, err
	}
	for i, pc := range p.pieces {
		if int64(len(pc.Seg.Data)) != segmentBytes(pc.Seg) {
			return 0, fmt.Errorf("segment %d holds %d bytes of samples, its table says %d", i+1, len(pc.Seg.Data), segmentBytes(pc.Seg))
		}
	}
	head, err := header(p)
	if err != nil {
		return 0, fmt.Errorf("building the MP4 index: %w", err)
	}
	written, err := w.Write(head)
	total := int64(written)
	if err != nil {
		return total, err
	}
	done := 0
	for _, pc := range p.pieces {
		for range pc.Times {
			if err := ctx.Err(); err != nil {
				return total, err
			}
			// One large write a repetition: the data is in memory already.
			written, err := w.Write(pc.Seg.Data)
			total += int64(written)
			if err != nil {
				return total, err
			}
			done += len(pc.Seg.Sizes)
			if progress != nil {
				progress(done)
			}
		}
	}
	return total, nil
}

// Size is the length of the file Write makes of the pieces.
func Size(pieces []Piece) (int64, error) {
	p, err := planFor(pieces)
	if err != nil {
		return 0, err
	}
	head, err := header(p)
	if err != nil {
		return 0, err
	}
	return int64(len(head)) + p.dataSize(), nil
}

// Frames is the number of frames Write makes of the pieces; 0 when it
// would refuse them.
func Frames(pieces []Piece) int {
	p, err := planFor(pieces)
	if err != nil {
		return 0
	}
	return p.frames
}
