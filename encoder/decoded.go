package encoder

// TEMPORARY in branch batch: the chapters branch brings the real
// measureDecoded; this one is replaced at the merge.

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
)

func measureDecoded(ctx context.Context, bin string, tracks []AudioInfo) error {
	for i, t := range tracks {
		args := []string{"-hide_banner", "-nostdin", "-v", "error", "-i", "file:" + t.Path, "-map", "0:a:0",
			"-ac", "1", "-ar", strconv.Itoa(t.SampleRate), "-f", "s16le", "pipe:1"}
		n, err := ffmpeg.ReadOutput(ctx, bin, args, func(r io.Reader) (int64, error) { return io.Copy(io.Discard, r) })
		if err != nil {
			return fmt.Errorf("decoding %s: %w", filepath.Base(t.Path), err)
		}
		s, r := n/2, int64(t.SampleRate)
		tracks[i].Duration = time.Duration(s/r)*time.Second + time.Duration(s%r)*time.Second/time.Duration(r)
	}
	return nil
}
