package splice

import (
	"fmt"
	"io"
)

// Write writes the output's frames in order: runs of copied source frames
// as one write each, and the pieces' frames (join and fade, as the layout
// numbers them).
func (l Layout) Write(w io.Writer, s Stream, join, fade [][]byte) error {
	runFrom, runTo := 0, 0 // bytes of s.Data not yet written
	flush := func() error {
		if runTo > runFrom {
			if _, err := w.Write(s.Data[runFrom:runTo]); err != nil {
				return err
			}
		}
		runFrom, runTo = 0, 0
		return nil
	}
	for j := range l.Total {
		part, i := l.FrameAt(j)
		if part == Copy {
			f := s.Frames[i]
			if runTo != f.Off || runTo == runFrom {
				if err := flush(); err != nil {
					return err
				}
				runFrom = f.Off
			}
			runTo = f.Off + f.Len
			continue
		}
		piece := join
		if part == Fade {
			piece = fade
		}
		if i >= len(piece) {
			return fmt.Errorf("output frame %d: the %v piece has %d frames, not %d", j, part, len(piece), i+1)
		}
		if err := flush(); err != nil {
			return err
		}
		if _, err := w.Write(piece[i]); err != nil {
			return err
		}
	}
	return flush()
}
